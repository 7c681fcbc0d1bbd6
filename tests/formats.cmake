# Format parity (tests/formats/parity.py): each markdown source of tests/fixtures/formats
# and its committed DOCX, ODT, HTML and PDF variants must extract alike with the real
# lzs-index. formats_parity_selftest checks the comparison itself (a source against its copy
# renamed .txt, and deliberately altered extractions). Included by tests/CMakeLists.txt.
set(LZS_FORMATS_ARGS
    --lzs-index $<TARGET_FILE:lzs-index>
    --data ${PROJECT_SOURCE_DIR}/corpus/data
    --fixtures ${CMAKE_CURRENT_LIST_DIR}/fixtures/formats)
add_test(NAME formats_parity
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/formats/parity.py ${LZS_FORMATS_ARGS})
add_test(NAME formats_parity_selftest
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/formats/parity.py ${LZS_FORMATS_ARGS}
                 --self-test)
set_tests_properties(formats_parity formats_parity_selftest PROPERTIES TIMEOUT 600)
