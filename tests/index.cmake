# Integration tests of lzs-index: the command line, crash safety (SIGKILL at points of a
# run, xapian-check, convergence with a clean build), SIGTERM in a state the run cannot leave by
# itself, a full disk (a small tmpfs). Included by tests/CMakeLists.txt.
add_executable(lzs-index-testtool ${CMAKE_CURRENT_LIST_DIR}/index/tool.c)
target_link_libraries(lzs-index-testtool PRIVATE lzs_core lzs_xapian)
lzs_target_setup(lzs-index-testtool)

set(LZS_INDEX_TEST_ENV
    "LZS_INDEX_BIN=$<TARGET_FILE:lzs-index>"
    "LZS_INDEX_TOOL=$<TARGET_FILE:lzs-index-testtool>"
    "LZS_KILLPOINT=$<TARGET_FILE:lzs-killpoint>"
    "LZS_CORPUS=${PROJECT_SOURCE_DIR}/corpus"
    "LZS_XAPIAN_CHECK=${LZS_XAPIAN_CHECK}")

add_test(NAME index_cli COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/index/cli.sh)
add_test(NAME index_crash COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/index/crash.sh)
add_test(NAME index_sigterm COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/index/sigterm.sh)
add_test(NAME index_diskfull COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/index/diskfull.sh)
set_tests_properties(index_cli index_crash index_sigterm index_diskfull PROPERTIES
                     ENVIRONMENT "${LZS_INDEX_TEST_ENV}")
# The timeouts only stop a hung test; they are no measurement. Under ctest -j8 on two
# shared cores (a load of 20 and more) a test takes ten times as long as alone: index_crash
# ran 30 s alone and did not finish in 300 s there.
set_tests_properties(index_diskfull PROPERTIES TIMEOUT 600)
set_tests_properties(index_cli PROPERTIES TIMEOUT 1200)
set_tests_properties(index_crash PROPERTIES TIMEOUT 1200)
set_tests_properties(index_sigterm PROPERTIES TIMEOUT 600)

# A FIFO among the inputs used to hang test_index for ever: a hang is a failure.
set_tests_properties(test_index PROPERTIES TIMEOUT 1200)

# Runs of 2 and 3 extraction threads and of the default (one a core), cancelled ones too.
# (index_cli runs the same workers as test_index, through the program: left to the release
# and ASan trees, so the TSan step stays short.)
lzs_threads_test(test_index test_index)
lzs_threads_test(index_sigterm lzs-index)

# lzs-index --shards: two shards against one index for test_stub's queries, incremental runs,
# SIGKILL at points of an update run (tests/cluster/test_shards.py).
find_package(Python3 COMPONENTS Interpreter)
if(TARGET lzs-searchd AND Python3_Interpreter_FOUND)
  add_test(NAME index_shards
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/cluster/test_shards.py
                   --searchd $<TARGET_FILE:lzs-searchd> --indexer $<TARGET_FILE:lzs-index>
                   --corpus ${PROJECT_SOURCE_DIR}/corpus --killpoint $<TARGET_FILE:lzs-killpoint>)
  set_tests_properties(index_shards PROPERTIES TIMEOUT 1200)
endif()
