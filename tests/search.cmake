# test_search indexes the shipped corpus (plus its own fixtures) before searching it.
if(TARGET test_search)
  target_link_libraries(test_search PRIVATE lzs_index)
endif()
