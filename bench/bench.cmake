# Benchmark programs (not run by ctest, but for a smoke test over a tiny corpus):
#   lzs-bench-gen      synthetic corpus generator
#   lzs-bench-search   indexing throughput and query latency, lzs_search vs plain Xapian
# bench/run.sh runs the full benchmark.
add_executable(lzs-bench-gen ${CMAKE_CURRENT_LIST_DIR}/gen.c)
target_link_libraries(lzs-bench-gen PRIVATE lzs_extract)
lzs_target_setup(lzs-bench-gen)

add_executable(lzs-bench-search ${CMAKE_CURRENT_LIST_DIR}/bench_search.c
                                ${CMAKE_CURRENT_LIST_DIR}/baseline.cc)
target_link_libraries(lzs-bench-search PRIVATE lzs_search lzs_index PkgConfig::XAPIAN
                                               PkgConfig::JANSSON)
lzs_target_setup(lzs-bench-search)

add_test(NAME bench_smoke
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/smoke.sh $<TARGET_FILE:lzs-bench-gen>
                    $<TARGET_FILE:lzs-bench-search>)

# lzs-bench-sets: what a fixed-seed set of searches finds, to compare two builds or schemas
# (bench/sets_compare.sh).
add_executable(lzs-bench-sets ${CMAKE_CURRENT_LIST_DIR}/sets.c)
target_link_libraries(lzs-bench-sets PRIVATE lzs_search PkgConfig::JANSSON)
lzs_target_setup(lzs-bench-sets)
