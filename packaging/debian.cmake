# debian.cmake — run by CPack (CPACK_PRE_BUILD_SCRIPTS) on the tree installed for the package,
# before the .deb is made: adds what belongs to the Debian system package only, as debhelper
# would. The systemd units go to /lib/systemd/system, where Debian 12's packages put them;
# /etc/default/lanzasearch is a conffile (debian/conffiles); man pages are compressed
# (gzip -9n: no name or time in the header, so the same page gives the same bytes).
set(src ${CPACK_LZS_PACKAGING_DIR})
# CPack installs into a folder of CPACK_TEMPORARY_DIRECTORY named after how it groups what it
# installs; the tree is the one that holds usr/bin.
file(GLOB roots LIST_DIRECTORIES true ${CPACK_TEMPORARY_DIRECTORY}/usr/bin
                                      ${CPACK_TEMPORARY_DIRECTORY}/*/usr/bin)
list(LENGTH roots n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "debian.cmake: expected one installed tree under "
                      "${CPACK_TEMPORARY_DIRECTORY}, found ${n}: ${roots}")
endif()
get_filename_component(root ${roots} DIRECTORY)
get_filename_component(root ${root} DIRECTORY)

file(MAKE_DIRECTORY ${root}/lib/systemd/system ${root}/etc/default)
foreach(unit lzs-searchd.service lzs-index.service lzs-index.timer)
  file(COPY_FILE ${src}/systemd/${unit} ${root}/lib/systemd/system/${unit})
endforeach()
file(COPY_FILE ${src}/lanzasearch.default ${root}/etc/default/lanzasearch)

file(GLOB pages ${root}/usr/share/man/man*/*.[1-9])
foreach(page ${pages})
  execute_process(COMMAND gzip -9nf ${page} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "debian.cmake: gzip ${page} failed (${rc})")
  endif()
endforeach()
