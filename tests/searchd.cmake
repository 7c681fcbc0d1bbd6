# Integration tests of lzs-searchd: the real daemon over HTTP on an ephemeral loopback port,
# with an index of the shipped corpus built by the real lzs-index (tests/searchd/).
find_package(Python3 COMPONENTS Interpreter)
# docs/api.md's field, parameter, header, CSV and error blocks agree with docs/openapi.yaml,
# and the YAML describes every route of searchd/routes.c (needs no daemon).
if(Python3_Interpreter_FOUND)
  add_test(NAME api_openapi
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/openapi.py check
                   --spec ${PROJECT_SOURCE_DIR}/docs/openapi.yaml
                   --doc ${PROJECT_SOURCE_DIR}/docs/api.md
                   --routes ${PROJECT_SOURCE_DIR}/searchd/routes.c)
endif()
if(TARGET lzs-searchd AND TARGET lzs-index AND Python3_Interpreter_FOUND)
  set(LZS_SEARCHD_TEST_ARGS --searchd $<TARGET_FILE:lzs-searchd> --indexer $<TARGET_FILE:lzs-index>
                            --corpus ${PROJECT_SOURCE_DIR}/corpus)
  add_test(NAME searchd_api
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_api.py
                   ${LZS_SEARCHD_TEST_ARGS} --doc ${PROJECT_SOURCE_DIR}/docs/api.md
                   --web ${LZS_WEB_OUT})
  add_test(NAME searchd_openapi
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_openapi.py
                   ${LZS_SEARCHD_TEST_ARGS} --spec ${PROJECT_SOURCE_DIR}/docs/openapi.yaml
                   --doc ${PROJECT_SOURCE_DIR}/docs/api.md --web ${LZS_WEB_OUT})
  add_test(NAME searchd_reload
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_reload.py
                   ${LZS_SEARCHD_TEST_ARGS})
  add_test(NAME searchd_export
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_export.py
                   ${LZS_SEARCHD_TEST_ARGS} --doc ${PROJECT_SOURCE_DIR}/docs/api.md)
  add_test(NAME searchd_hostile
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_hostile.py
                   ${LZS_SEARCHD_TEST_ARGS} --doc ${PROJECT_SOURCE_DIR}/docs/api.md
                   --web ${PROJECT_SOURCE_DIR}/web)
  add_test(NAME searchd_slow
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_slow.py
                   ${LZS_SEARCHD_TEST_ARGS})
  add_test(NAME searchd_shutdown
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_shutdown.py
                   ${LZS_SEARCHD_TEST_ARGS})
  set_tests_properties(searchd_api searchd_openapi searchd_reload searchd_export searchd_hostile searchd_slow
                       searchd_shutdown PROPERTIES TIMEOUT 600)
endif()
