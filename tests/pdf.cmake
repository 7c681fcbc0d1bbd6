# The test-only PDF writer (tests/pdf/pdfgen.c: cairo's PDF surface, DejaVu fonts) that the
# PDF reader's tests (test_read_pdf) and benchmark (lzs-bench-read) build their documents
# with. Included by tests/CMakeLists.txt.
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo-pdf cairo-ft freetype2)
add_library(lzs_pdfgen STATIC ${CMAKE_CURRENT_LIST_DIR}/pdf/pdfgen.c)
target_include_directories(lzs_pdfgen PUBLIC ${CMAKE_CURRENT_LIST_DIR}/pdf)
target_link_libraries(lzs_pdfgen PUBLIC lzs_core PkgConfig::CAIRO Threads::Threads)
lzs_target_setup(lzs_pdfgen)
