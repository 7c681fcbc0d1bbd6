# lzs-bench-readers: speed and memory of the DOCX and ODT readers on a generated list of
# decisions (not run by ctest, but for a smoke test over a tiny document).
#   build/release/bench/lzs-bench-readers --decisions 2000 --reps 20
add_executable(lzs-bench-readers ${CMAKE_CURRENT_LIST_DIR}/bench_readers.c)
target_include_directories(lzs-bench-readers PRIVATE ${PROJECT_SOURCE_DIR}/lib
                                                     ${PROJECT_SOURCE_DIR}/tests)
target_link_libraries(lzs-bench-readers PRIVATE lzs_extract)
lzs_target_setup(lzs-bench-readers)

add_test(NAME bench_readers_smoke COMMAND lzs-bench-readers --decisions 60 --reps 2)
