# lzs-bench-read: what reading a document costs in every format (time, pages/s, MB/s, peak
# resident memory), through the whole pipeline or a reader alone, on files given on its
# command line and on large documents it generates (bench/readgen.c: a PDF report laid out
# with tests/pdf/pdfgen, DOCX and ODT packages built with tests/zipbuild.h, a coe.int page).
# Prints figures; ctest runs it once (bench_read_smoke) on a small generated document of each
# published format and a shipped text, and checks that a row of figures came out for each.
#   build/release/bench/lzs-bench-read --generate pdf 2000 --generate docx 10000 corpus/*.txt
add_executable(lzs-bench-read ${CMAKE_CURRENT_LIST_DIR}/bench_read.c
                              ${CMAKE_CURRENT_LIST_DIR}/readgen.c)
target_include_directories(lzs-bench-read PRIVATE ${PROJECT_SOURCE_DIR}/lib
                                                  ${PROJECT_SOURCE_DIR}/tests)
target_link_libraries(lzs-bench-read PRIVATE lzs_extract lzs_pdfgen)
lzs_target_setup(lzs-bench-read)

# One row of figures per document: format, size, size of its text, pages (PDF) or "-",
# blocks, passages, then median, best and CPU milliseconds, pages/s (or "-"), MB/s, base and
# peak MB, and the file.
# (CMake's regular expressions allow few groups: hence classes, not alternatives.)
set(num "[0-9]+[.]?[0-9]*")
set(opt "[-0-9.]+")
set(row " +${num} +${num} +${opt} +[0-9]+ +[0-9]+ +${num} +${num} +${num} +${opt} +${num} +${num} +${num} +")
add_test(NAME bench_read_smoke
         COMMAND lzs-bench-read --repeat 2 --generate pdf 3 --generate docx 60
                 --generate odt 60 --generate html 60
                 ${PROJECT_SOURCE_DIR}/corpus/000_61b0df1d91b66db2.txt)
set_tests_properties(bench_read_smoke PROPERTIES
    PASS_REGULAR_EXPRESSION "\npdf${row}[^\n]*pdf-3-pages\\.pdf\ndocx${row}[^\n]*docx-60-decisions\\.docx\nodt${row}[^\n]*odt-60-decisions\\.odt\nhtml${row}[^\n]*html-60-decisions\\.html\ntxt${row}[^\n]*000_61b0df1d91b66db2\\.txt\n.*peak resident memory"
    FAIL_REGULAR_EXPRESSION "lzs-bench-read:|Sanitizer|runtime error")
