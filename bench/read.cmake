# lzs-bench-read: speed (pages/s, MB/s) and peak memory of the format readers, on files
# given on its command line or on a PDF it lays out itself (tests/pdf/pdfgen). Not run by
# ctest but for a smoke test on a 3-page PDF that checks it prints its figures.
add_executable(lzs-bench-read ${CMAKE_CURRENT_LIST_DIR}/bench_read.c)
target_include_directories(lzs-bench-read PRIVATE ${PROJECT_SOURCE_DIR}/lib)
target_link_libraries(lzs-bench-read PRIVATE lzs_extract lzs_pdfgen)
lzs_target_setup(lzs-bench-read)

add_test(NAME bench_read_smoke COMMAND lzs-bench-read --generate 3)
set_tests_properties(bench_read_smoke PROPERTIES
    PASS_REGULAR_EXPRESSION "pages/s.*MB/s.*peak resident memory"
    FAIL_REGULAR_EXPRESSION "lzs-bench-read:")
