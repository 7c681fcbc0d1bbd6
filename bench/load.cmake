# lzs-load: open-loop load and soak generator for lzs-searchd (bench/load/run.sh drives it;
# never run by ctest: it prints figures, it does not assert timings).
add_executable(lzs-load ${CMAKE_CURRENT_LIST_DIR}/load/lzs-load.c)
target_link_libraries(lzs-load PRIVATE m)
lzs_target_setup(lzs-load)
