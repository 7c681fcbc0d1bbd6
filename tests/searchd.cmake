# Integration tests of lzs-searchd: the real daemon over HTTP on an ephemeral loopback port,
# with an index of the shipped corpus built by the real lzs-index (tests/searchd/).
# docs/api.md's field, parameter, header, CSV and error blocks agree with docs/openapi.yaml,
# and the YAML describes every route of searchd/routes.c (needs no daemon).
add_test(NAME api_openapi
         COMMAND ${LZS_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/openapi.py check
                 --spec ${PROJECT_SOURCE_DIR}/docs/openapi.yaml
                 --doc ${PROJECT_SOURCE_DIR}/docs/api.md
                 --routes ${PROJECT_SOURCE_DIR}/searchd/routes.c)
set(LZS_SEARCHD_TEST_ARGS --searchd $<TARGET_FILE:lzs-searchd> --indexer $<TARGET_FILE:lzs-index>
                          --corpus ${PROJECT_SOURCE_DIR}/corpus)
add_test(NAME searchd_api
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_api.py
                 ${LZS_SEARCHD_TEST_ARGS} --doc ${PROJECT_SOURCE_DIR}/docs/api.md
                 --web ${LZS_WEB_OUT})
add_test(NAME searchd_openapi
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_openapi.py
                 ${LZS_SEARCHD_TEST_ARGS} --spec ${PROJECT_SOURCE_DIR}/docs/openapi.yaml
                 --doc ${PROJECT_SOURCE_DIR}/docs/api.md --web ${LZS_WEB_OUT})
add_test(NAME searchd_page
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_page.py
                 ${LZS_SEARCHD_TEST_ARGS} --web ${LZS_WEB_OUT})
add_test(NAME searchd_reload
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_reload.py
                 ${LZS_SEARCHD_TEST_ARGS})
add_test(NAME searchd_export
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_export.py
                 ${LZS_SEARCHD_TEST_ARGS} --doc ${PROJECT_SOURCE_DIR}/docs/api.md)
add_test(NAME searchd_hostile
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_hostile.py
                 ${LZS_SEARCHD_TEST_ARGS} --doc ${PROJECT_SOURCE_DIR}/docs/api.md
                 --web ${PROJECT_SOURCE_DIR}/web)
add_test(NAME searchd_slow
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_slow.py
                 ${LZS_SEARCHD_TEST_ARGS})
add_test(NAME searchd_shutdown
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_shutdown.py
                 ${LZS_SEARCHD_TEST_ARGS})
add_test(NAME searchd_meta
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_meta.py
                 ${LZS_SEARCHD_TEST_ARGS})
add_test(NAME searchd_cites
         COMMAND ${LZS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/searchd/test_cites.py
                 --searchd $<TARGET_FILE:lzs-searchd> --indexer $<TARGET_FILE:lzs-index>
                 --data ${CMAKE_CURRENT_SOURCE_DIR}/data/cites)
set_tests_properties(searchd_api searchd_openapi searchd_page searchd_meta searchd_cites searchd_reload searchd_export
                     searchd_hostile searchd_slow searchd_shutdown PROPERTIES TIMEOUT 600)
# The daemon's worker pool, its export producers, reloads and shutdown under load.
# (searchd_hostile and searchd_slow drive the screening thread the others drive too, with
# long waits on sockets: left to the release and ASan trees, so the TSan step stays short.)
foreach(t searchd_api searchd_reload searchd_export searchd_shutdown)
  lzs_threads_test(${t} lzs-searchd lzs-index)
endforeach()
