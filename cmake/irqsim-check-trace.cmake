# The ctest irqsim_add_trace_test() registers: irqsim check TRACE, with
# PROFILES (comma-separated) applied as --profile would apply them.
# irqsim check prints a PASS or FAIL line per expect line and, for a FAIL,
# the command that reproduces it; this script prints that output, naming
# TRACE, and fails when irqsim check does.
# Usage: cmake -DIRQSIM=exe -DTRACE=file [-DPROFILES=a,b] -DWORK=dir
#        -P irqsim-check-trace.cmake
cmake_minimum_required(VERSION 3.18)
foreach(v IRQSIM TRACE WORK)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "irqsim-check-trace.cmake: -D${v}= is missing")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# irqsim check's exit status, said in words.
function(verdict rc what)
  if(rc EQUAL 0)
    return()
  elseif(rc EQUAL 1)
    message(FATAL_ERROR "irqsim check ${what}: an expect line does not "
      "hold (exit 1); each FAIL above says how to reproduce what it saw")
  else()
    message(FATAL_ERROR "irqsim check ${what}: exit ${rc} (bad input: "
      "see the message above)")
  endif()
endfunction()

if(NOT PROFILES)
  # irqsim's own output as it comes; saved runs go to WORK
  execute_process(COMMAND "${IRQSIM}" check "${TRACE}" --save "${WORK}"
                  WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc)
  verdict("${rc}" "${TRACE}")
  return()
endif()

# Each profile must be one irqsim has (the first word of a line of
# irqsim list profiles), so that an error in the copy's last line cannot
# be read as one of the trace's.
string(REPLACE "," ";" profiles "${PROFILES}")
execute_process(COMMAND "${IRQSIM}" list profiles
                OUTPUT_VARIABLE known RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "irqsim list profiles: exit ${rc}")
endif()
foreach(p ${profiles})
  if(NOT "\n${known}" MATCHES "\n${p}([ \t\n]|$)")
    message(FATAL_ERROR "irqsim_add_trace_test PROFILE ${p}: irqsim has no "
      "such profile (irqsim list profiles):\n${known}")
  endif()
endforeach()

# The copy: TRACE, then its profile line, so every line keeps its number.
get_filename_component(base "${TRACE}" NAME)
set(copy "${WORK}/${base}")
file(READ "${TRACE}" text)
if(text AND NOT text MATCHES "\n$")
  string(APPEND text "\n")
endif()
string(REPLACE ";" " " words "${profiles}")
string(APPEND text "profile ${words}   # irqsim_add_trace_test PROFILE\n")
file(WRITE "${copy}" "${text}")

execute_process(COMMAND "${IRQSIM}" check "${copy}" --save "${WORK}"
                WORKING_DIRECTORY "${WORK}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
# Name TRACE: a reproducer runs TRACE with the profiles as --profile
# options (the same runs: they apply after the trace's own lines), and
# FILE:LINE is TRACE's line.
set(opts)
foreach(p ${profiles})
  string(APPEND opts " --profile ${p}")
endforeach()
foreach(v out err)
  foreach(cmd run explore)
    foreach(after " " "\n")
      string(REPLACE "irqsim ${cmd} ${copy}${after}"
                     "irqsim ${cmd} ${TRACE}${opts}${after}" ${v} "${${v}}")
    endforeach()
  endforeach()
  string(REPLACE "${copy}" "${TRACE}" ${v} "${${v}}")
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -E echo_append "${out}")
if(err)
  message("${err}")
endif()
verdict("${rc}" "${TRACE}${opts}")
