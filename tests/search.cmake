# test_search indexes the shipped corpus (plus its own fixtures) before searching it.
if(TARGET test_search)
  target_link_libraries(test_search PRIVATE lzs_index)
endif()
# test_lang indexes the shipped corpus and the fixtures of tests/data/lang.
if(TARGET test_lang)
  target_link_libraries(test_lang PRIVATE lzs_index)
endif()
# test_compare indexes the shipped corpus and the fixtures of tests/data/lang.
if(TARGET test_compare)
  target_link_libraries(test_compare PRIVATE lzs_index)
endif()
