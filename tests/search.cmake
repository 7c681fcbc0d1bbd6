# test_search indexes the shipped corpus (plus its own fixtures) before searching it, and
# reads the index's terms through the shim.
target_link_libraries(test_search PRIVATE lzs_index lzs_xapian)
# test_lang indexes the shipped corpus and the fixtures of tests/data/lang.
target_link_libraries(test_lang PRIVATE lzs_index)
# test_compare indexes the shipped corpus and the fixtures of tests/data/lang.
target_link_libraries(test_compare PRIVATE lzs_index)
# test_facets indexes the shipped corpus and documents made by the corpus generator.
add_dependencies(test_facets lzs-bench-gen)
# test_cites indexes the fixtures of tests/data/cites, adds and removes some.
target_link_libraries(test_cites PRIVATE lzs_index)
# test_pool indexes four documents of the shipped corpus, then the fifth; two of its
# searchers count at once in threads of their own, through one pool of facet columns.
lzs_threads_test(test_pool test_pool)
# test_search's parallel tests read a match set on a second thread of the library while the
# first weighs the page (lzs_searcher_set_parallel).
lzs_threads_test(test_search test_search)
# test_facets' match sets are large enough for a tally to count its facets on two threads.
lzs_threads_test(test_facets test_facets lzs-bench-gen)
