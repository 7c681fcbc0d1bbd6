# test_search indexes the shipped corpus (plus its own fixtures) before searching it.
target_link_libraries(test_search PRIVATE lzs_index)
# test_lang indexes the shipped corpus and the fixtures of tests/data/lang.
target_link_libraries(test_lang PRIVATE lzs_index)
