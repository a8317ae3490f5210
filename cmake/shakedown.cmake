# Helpers so that each folder declares itself in one short call.

# sd_library(NAME DIR DEPS...): a static library from every .cpp in DIR (not recursive).
function(sd_library name dir)
  file(GLOB _srcs CONFIGURE_DEPENDS ${dir}/*.cpp)
  if(_srcs)
    add_library(${name} STATIC ${_srcs})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src ${CMAKE_BINARY_DIR}/generated)
    target_link_libraries(${name} PUBLIC ${ARGN})
  else()
    # A folder with no code yet still gives a target, so dependents need not change when it fills in.
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR}/src ${CMAKE_BINARY_DIR}/generated)
    target_link_libraries(${name} INTERFACE ${ARGN})
  endif()
endfunction()

# sd_unit_tests(NAME DIR DEPS...): one GoogleTest executable from every .cpp in DIR, registered with ctest.
function(sd_unit_tests name dir)
  file(GLOB _srcs CONFIGURE_DEPENDS ${dir}/*.cpp)
  if(NOT _srcs)
    return()
  endif()
  add_executable(${name} ${_srcs})
  target_link_libraries(${name} PRIVATE ${ARGN} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    SD_SOURCE_DIR="${PROJECT_SOURCE_DIR}" SD_BINARY_DIR="${CMAKE_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()

# sd_fuzzer(NAME SOURCE DEPS...): a libFuzzer target.
function(sd_fuzzer name src)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE ${ARGN})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
endfunction()

# sd_embed(TARGET VAR OUT_CPP FILES...): compiles the files into a table {relative path, contents}.
function(sd_embed target symbol out)
  add_custom_command(OUTPUT ${out}
    COMMAND sd_embed ${symbol} ${PROJECT_SOURCE_DIR} ${out} ${ARGN}
    DEPENDS sd_embed ${ARGN}
    COMMENT "Embedding data for ${symbol}")
  target_sources(${target} PRIVATE ${out})
endfunction()
