# Replica cluster tests: scripts/cluster.sh's topology (primary + xapian-replicate-server,
# replicas of xapian-replicate + lzs-searchd, haproxy in front) on free loopback ports
# (tests/cluster/). They need xapian-tools and haproxy (scripts/install-deps.sh --test) and
# fail, naming what is missing, without them.
find_package(Python3 COMPONENTS Interpreter)
if(TARGET lzs-searchd AND TARGET lzs-index AND Python3_Interpreter_FOUND)
  set(LZS_CLUSTER_TEST_ARGS --searchd $<TARGET_FILE:lzs-searchd> --indexer $<TARGET_FILE:lzs-index>
                            --corpus ${PROJECT_SOURCE_DIR}/corpus)
  foreach(t replicate failover fullcopy)
    add_test(NAME cluster_${t}
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cluster/test_${t}.py
                     ${LZS_CLUSTER_TEST_ARGS})
    set_tests_properties(cluster_${t} PROPERTIES TIMEOUT 600 RESOURCE_LOCK cluster)
  endforeach()
  # One search over several indexes: three shards named by a Xapian stub against one index.
  add_test(NAME multi_index_stub
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cluster/test_stub.py
                   ${LZS_CLUSTER_TEST_ARGS})
  set_tests_properties(multi_index_stub PROPERTIES TIMEOUT 600)
endif()
