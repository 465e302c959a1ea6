# CMake helper: the hand-written RTL sources of rtl/files.f, in order.
#
#   include(${PROJECT_SOURCE_DIR}/rtl/pbit_rtl.cmake)
#   pbit_rtl_sources(PBIT_RTL_SOURCES)       # absolute paths
#
# A complete design is: <emit dir>/pbit_pkg.sv, ${PBIT_RTL_SOURCES},
# <emit dir>/pbit_array.sv (exactly the <emit dir>/files.f that `pbit rtl emit`
# writes), plus rtl/pbit.vlt for Verilator.
set(PBIT_RTL_DIR ${CMAKE_CURRENT_LIST_DIR})
set(PBIT_RTL_VLT ${CMAKE_CURRENT_LIST_DIR}/pbit.vlt)

function(pbit_rtl_sources out_var)
  file(STRINGS ${PBIT_RTL_DIR}/files.f lines)
  set(files)
  foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    if(line STREQUAL "" OR line MATCHES "^//")
      continue()
    endif()
    list(APPEND files ${PBIT_RTL_DIR}/${line})
  endforeach()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PBIT_RTL_DIR}/files.f)
  set(${out_var} ${files} PARENT_SCOPE)
endfunction()
