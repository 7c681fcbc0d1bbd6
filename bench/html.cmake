# lzs-bench-html: speed and memory of the HTML reader on the fixture pages and on a
# synthetic page of about 8 MB (prints figures; not a test).
add_executable(lzs-bench-html ${CMAKE_CURRENT_LIST_DIR}/bench_html.c)
target_include_directories(lzs-bench-html PRIVATE ${PROJECT_SOURCE_DIR}/lib)
target_link_libraries(lzs-bench-html PRIVATE lzs_extract)
lzs_target_setup(lzs-bench-html)
