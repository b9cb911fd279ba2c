# irqsim check: a line that does not hold prints the command that gives
# what check saw, with the line's profile, knobs and ignored verdicts, and
# saves a violation where check runs (or in --save DIR). Each printed
# command and saved run gives the verdict check reported.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir -P check-fail.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/dir)
set(trace ${SRC}/tests/cli/data/check-fail.trace)

execute_process(COMMAND ${IRQSIM} check ${trace} --runs 2000
                WORKING_DIRECTORY ${WORK}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "check: expected exit 1, got ${rc}:\n${out}${err}")
endif()
string(REGEX MATCHALL "FAIL [^\n]*" fails "${out}")
list(LENGTH fails nfail)
string(REGEX MATCHALL "     reproduce: irqsim [^\n]*" repros "${out}")
list(LENGTH repros nrepro)
string(REGEX MATCHALL "     replay:    irqsim replay [^\n]*" replays "${out}")
list(LENGTH replays nreplay)
if(NOT nfail EQUAL 3 OR NOT nrepro EQUAL 3 OR NOT nreplay EQUAL 2)
  message(FATAL_ERROR "check: want 3 FAILs, 3 reproducers and 2 saved runs:\n${out}")
endif()

set(verdict_re "check-fail: ([a-z-]+) after [0-9]+ steps")
foreach(i 0 1 2)
  list(GET fails ${i} fail)
  list(GET repros ${i} repro)
  string(REGEX MATCH "irqsim (.*)$" m "${repro}")
  separate_arguments(args UNIX_COMMAND "${CMAKE_MATCH_1}")
  execute_process(COMMAND ${IRQSIM} ${args} WORKING_DIRECTORY ${WORK}
                  OUTPUT_VARIABLE rout ERROR_VARIABLE rerr RESULT_VARIABLE rrc)
  # the line's options, as the expect line gives them
  if(i LESS 2 AND NOT repro MATCHES "--profile linux-6.16")
    message(FATAL_ERROR "${repro}\nleaves out the line's profile")
  endif()
  if(i EQUAL 0 AND NOT repro MATCHES "--set storm_bound=3 --ignore lost-interrupt")
    message(FATAL_ERROR "${repro}\nleaves out the line's knob or ignore")
  endif()
  if(i EQUAL 2)
    # nothing found: the search again, which finds nothing either
    if(NOT repro MATCHES "explore .* --strategy dfs --profile linux-6.18 --ignore lost-interrupt$"
       OR NOT rrc EQUAL 0)
      message(FATAL_ERROR "${repro}\nexit ${rrc}, expected the dfs search (exit 0):\n${rout}${rerr}")
    endif()
    continue()
  endif()
  string(REGEX MATCH "expect none[^:]*: ([a-z-]+)" m "${fail}")
  set(want ${CMAKE_MATCH_1})
  string(REGEX MATCH "${verdict_re}" m "${rout}")
  if(NOT rrc EQUAL 1 OR NOT CMAKE_MATCH_1 STREQUAL want)
    message(FATAL_ERROR "${fail}\n${repro}\ngives (exit ${rrc}) '${CMAKE_MATCH_1}', not ${want}:\n${rout}${rerr}")
  endif()
  set(run_verdict "${m}")
  list(GET replays ${i} replay)
  string(REGEX MATCH "irqsim replay (.*)$" m "${replay}")
  set(file ${CMAKE_MATCH_1})
  if(NOT EXISTS ${WORK}/${file})
    message(FATAL_ERROR "${replay}: no ${file} in ${WORK}")
  endif()
  execute_process(COMMAND ${IRQSIM} replay ${file} WORKING_DIRECTORY ${WORK}
                  OUTPUT_VARIABLE pout ERROR_VARIABLE perr RESULT_VARIABLE prc)
  string(REGEX MATCH "${verdict_re}" m "${pout}")
  if(NOT prc EQUAL 1 OR NOT m STREQUAL run_verdict)
    message(FATAL_ERROR "${replay} gives (exit ${prc}) '${m}', not '${run_verdict}':\n${pout}${perr}")
  endif()
endforeach()

# --save DIR puts them there
execute_process(COMMAND ${IRQSIM} check ${trace} --runs 2000 --save ${WORK}/dir
                OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 1 OR NOT EXISTS ${WORK}/dir/check-fail.line19.irqsim)
  message(FATAL_ERROR "check --save ${WORK}/dir: exit ${rc}, no check-fail.line19.irqsim:\n${out}")
endif()
message(STATUS "check: 3 FAILs, each with a command that gives it; 2 saved runs replay")
