# Robustness harnesses: fuzz targets (tests/fuzz), fault injection (tests/fault).
#
# With -DLZS_FUZZ=ON (a clang build, see scripts/fuzz.sh) each target tests/fuzz/fuzz_NAME.c
# becomes a libFuzzer executable fuzz_NAME. In every build each target is also linked with
# a plain replay driver as fuzz_NAME_replay and registered with ctest over its seed corpus
# and its regression inputs (tests/fuzz/regress/NAME/), so that a crash found once stays
# a test in the gcc builds too. Every target is built and replayed: a target without a
# library or without inputs stops the configuration.

set(LZS_ROBUST_DIR ${CMAKE_CURRENT_LIST_DIR})

# The library each target links.
set(LZS_FUZZ_LIB_text lzs_core)
set(LZS_FUZZ_LIB_extract lzs_extract)
set(LZS_FUZZ_LIB_docx lzs_extract)
set(LZS_FUZZ_LIB_html lzs_extract)
set(LZS_FUZZ_LIB_hitjson lzs_extract)
set(LZS_FUZZ_LIB_query lzs_index lzs_search)
set(LZS_FUZZ_LIB_searchd_url lzs_index lzs_search PkgConfig::MHD PkgConfig::ZLIB)

# The daemon's sources but its main(): the searchd target runs a real server in-process.
file(GLOB LZS_FUZZ_EXTRA_searchd_url CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/searchd/*.c)
list(FILTER LZS_FUZZ_EXTRA_searchd_url EXCLUDE REGEX "/main\\.c$")

if(LZS_FUZZ AND NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "LZS_FUZZ needs clang: CC=clang CXX=clang++ (see scripts/fuzz.sh)")
endif()

set(LZS_FUZZ_BUILT "")
file(GLOB LZS_FUZZ_SRCS CONFIGURE_DEPENDS ${LZS_ROBUST_DIR}/fuzz/fuzz_*.c)
foreach(src ${LZS_FUZZ_SRCS})
  get_filename_component(tgt ${src} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" name ${tgt})
  if(NOT DEFINED LZS_FUZZ_LIB_${name})
    message(FATAL_ERROR "tests/robust.cmake: no library declared for ${tgt}")
  endif()

  # Inputs replayed under ctest: the committed seeds and regression inputs.
  set(inputs "")
  foreach(d seeds/${name} regress/${name})
    if(IS_DIRECTORY ${LZS_ROBUST_DIR}/fuzz/${d})
      file(GLOB any ${LZS_ROBUST_DIR}/fuzz/${d}/*)
      if(any)
        list(APPEND inputs ${LZS_ROBUST_DIR}/fuzz/${d})
      endif()
    endif()
  endforeach()
  if(NOT inputs)
    message(FATAL_ERROR "tests/robust.cmake: ${tgt} has no inputs to replay under ctest: "
                        "put seeds in tests/fuzz/seeds/${name}/")
  endif()

  add_executable(${tgt}_replay ${src} ${LZS_ROBUST_DIR}/fuzz/replay_main.c
                              ${LZS_FUZZ_EXTRA_${name}})
  target_include_directories(${tgt}_replay PRIVATE ${PROJECT_SOURCE_DIR}/lib
                                                   ${PROJECT_SOURCE_DIR}/searchd
                                                   ${LZS_ROBUST_DIR}/fuzz)
  target_link_libraries(${tgt}_replay PRIVATE ${LZS_FUZZ_LIB_${name}})
  lzs_target_setup(${tgt}_replay)
  add_test(NAME ${tgt}_replay COMMAND ${tgt}_replay ${inputs})

  if(LZS_FUZZ)
    add_executable(${tgt} ${src} ${LZS_FUZZ_EXTRA_${name}})
    target_include_directories(${tgt} PRIVATE ${PROJECT_SOURCE_DIR}/lib
                                              ${PROJECT_SOURCE_DIR}/searchd
                                              ${LZS_ROBUST_DIR}/fuzz)
    target_link_libraries(${tgt} PRIVATE ${LZS_FUZZ_LIB_${name}})
    target_compile_options(${tgt} PRIVATE -fsanitize=fuzzer)
    target_link_options(${tgt} PRIVATE -fsanitize=fuzzer)
    lzs_target_setup(${tgt})
    list(APPEND LZS_FUZZ_BUILT ${name})
  endif()
endforeach()

if(LZS_FUZZ)
  # scripts/fuzz.sh reads the targets from here.
  string(REPLACE ";" "\n" lines "${LZS_FUZZ_BUILT}")
  file(WRITE ${PROJECT_BINARY_DIR}/fuzz-targets.txt "${lines}\n")
endif()

include(${LZS_ROBUST_DIR}/fault/fault.cmake)
