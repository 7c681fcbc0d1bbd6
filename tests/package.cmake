# The installed layout and the Debian package (packaging/): tests/package/install.sh installs
# the build into a temporary prefix and runs the installed programs there;
# tests/package/package.sh makes the .deb with CPack and checks its contents, dependencies,
# man pages, systemd units and (in the hardened build types) the programs' hardening. Both
# use the build as it is: the test command builds everything first.
add_test(NAME install COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/package/install.sh)
add_test(NAME package COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/package/package.sh)
set_tests_properties(install package PROPERTIES TIMEOUT 300 ENVIRONMENT
    "LZS_BUILD=${PROJECT_BINARY_DIR};LZS_SOURCE=${PROJECT_SOURCE_DIR};LZS_CMAKE=${CMAKE_COMMAND};LZS_CPACK=${CMAKE_CPACK_COMMAND};LZS_HARDENED=$<IF:${LZS_HARDENED},1,0>")

