# test_search indexes the shipped corpus (plus its own fixtures) before searching it.
target_link_libraries(test_search PRIVATE lzs_index)
