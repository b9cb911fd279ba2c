# The installed CMake package, as a user's project meets it: cmake
# --install into a fresh prefix, configure and build tests/cmake-consumer
# against that prefix alone, run its ctest. Its passing traces pass, its
# failing ones (WILL_FAIL) fail, and a failure prints reproducers that name
# the user's trace with the test's profiles and give the violation the
# FAIL line reports. Misuse of irqsim_add_trace_test() and a version the
# package does not have are configure errors.
# Usage: cmake -DBUILD=dir -DSRC=dir -DWORK=dir -P cmake-package.cmake
cmake_minimum_required(VERSION 3.18)
file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
set(consumer ${SRC}/tests/cmake-consumer)

function(run what)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what}: exit ${rc}\n${out}${err}")
  endif()
  set(out "${out}${err}" PARENT_SCOPE)
endfunction()

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix})
file(GLOB_RECURSE config ${prefix}/*/irqsimConfig.cmake)
file(GLOB_RECURSE version ${prefix}/*/irqsimConfigVersion.cmake)
if(NOT config OR NOT version)
  message(FATAL_ERROR "cmake --install installed no irqsimConfig.cmake and irqsimConfigVersion.cmake")
endif()

# Only the scratch prefix may provide irqsim.
set(configure ${CMAKE_COMMAND} -S ${consumer}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
run("configure the consumer" ${configure} -B ${WORK}/consumer)
run("build the consumer" ${CMAKE_COMMAND} --build ${WORK}/consumer)
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} -V --no-tests=error
                WORKING_DIRECTORY ${WORK}/consumer
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
set(out "${out}${err}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "100% tests passed, 0 tests failed out of 5")
  message(FATAL_ERROR "the consumer's ctest: exit ${rc}, want its 5 tests passed:\n${out}")
endif()

# Each failing test printed FAIL with the user's trace and line, and a
# reproducer that gives the verdict the FAIL line names.
foreach(c "reinject| --schedule '|" "wrong-expect| --profile linux-6.16 --profile qemu-current --seed |")
  string(REPLACE "|" ";" c "${c}")
  list(GET c 0 name)
  list(GET c 1 opts)
  set(trace ${consumer}/${name}.trace)
  string(REGEX MATCH "FAIL ${trace}:17: expect none: ([a-z-]+)" m "${out}")
  set(want ${CMAKE_MATCH_1})
  string(FIND "${out}" "reproduce: irqsim run ${trace}${opts}" at)
  if(NOT want OR at EQUAL -1)
    message(FATAL_ERROR "the ${name} test did not print 'FAIL ${trace}:17' and 'reproduce: irqsim run ${trace}${opts}...':\n${out}")
  endif()
  string(REGEX MATCH "reproduce: irqsim run (${trace}[^\n]*)" m "${out}")
  separate_arguments(args UNIX_COMMAND "${CMAKE_MATCH_1}")
  execute_process(COMMAND ${prefix}/bin/irqsim run ${args}
                  OUTPUT_VARIABLE rout RESULT_VARIABLE rrc)
  if(NOT rrc EQUAL 1 OR NOT rout MATCHES "^${name}: ${want} after")
    message(FATAL_ERROR "irqsim run ${CMAKE_MATCH_1}: exit ${rrc}, want ${want}:\n${rout}")
  endif()
endforeach()
# the copy with the profile line never shows
string(FIND "${out}" "${WORK}/consumer/irqsim/wrong_expect/wrong-expect.trace" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "the wrong-expect test names its copy of the trace:\n${out}")
endif()

# Misuse and versions: each a configure error that says what is wrong.
foreach(c "-DIRQSIM_MISUSE=missing-trace|no trace file .*no-such.trace"
          "-DIRQSIM_MISUSE=empty-profile|PROFILE needs a profile name"
          "-DIRQSIM_WANT=9.0|requested version \"9\\.0\".*irqsimConfig\\.cmake, version: 0\\.1\\.0"
          "-DIRQSIM_WANT=0.2|requested version \"0\\.2\".*irqsimConfig\\.cmake, version: 0\\.1\\.0")
  string(REPLACE "|" ";" c "${c}")
  list(GET c 0 opt)
  list(GET c 1 want)
  file(REMOVE_RECURSE ${WORK}/misuse)
  execute_process(COMMAND ${configure} -B ${WORK}/misuse ${opt}
                  OUTPUT_VARIABLE mout ERROR_VARIABLE merr RESULT_VARIABLE mrc)
  string(REGEX REPLACE "[ \t\r\n]+" " " flat "${mout}${merr}")
  if(mrc EQUAL 0 OR NOT flat MATCHES "${want}")
    message(FATAL_ERROR "configure ${opt}: exit ${mrc}, want an error matching '${want}':\n${mout}${merr}")
  endif()
endforeach()

# An unknown profile is the test's failure, with irqsim's profiles listed.
file(REMOVE_RECURSE ${WORK}/misuse)
run("configure ${opt}" ${configure} -B ${WORK}/misuse -DIRQSIM_MISUSE=bad-profile)
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} -R bad-profile --output-on-failure
                WORKING_DIRECTORY ${WORK}/misuse
                OUTPUT_VARIABLE mout ERROR_VARIABLE merr RESULT_VARIABLE mrc)
if(mrc EQUAL 0 OR NOT "${mout}${merr}" MATCHES "PROFILE linux-9.99: irqsim has no such profile")
  message(FATAL_ERROR "PROFILE linux-9.99: exit ${mrc}, want the test to fail naming it:\n${mout}${merr}")
endif()
message(STATUS "find_package(irqsim) from ${prefix}: 5 consumer tests as expected, misuse refused")
