# irqsim check fails an expect none line whose search never opened the
# race windows its reaches= names (a vacuous proof), and says which; a
# window the trace cannot open is named as such. The same scenario with a
# device that sends every event opens the move's window, and passes.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir -P vacuous.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(trace ${SRC}/tests/cli/data/vacuous.trace)

execute_process(COMMAND ${IRQSIM} check ${trace}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "check of a vacuous proof: exit ${rc}, want 1:\n${out}${err}")
endif()
foreach(want
    "FAIL ${trace}:20: expect none: none (dfs complete"
    "never opened: irr-no-handler,move-in-flight"
    "vacuous: reaches=move-in-flight, but no state the search explored opened it"
    "FAIL ${trace}:21: expect none"
    "vacuous: reaches=stale-message, a window this trace cannot open"
    "PASS ${trace}:22: expect none")
  string(FIND "${out}" "${want}" at)
  if(at LESS 0)
    message(FATAL_ERROR "check: no '${want}' in:\n${out}")
  endif()
endforeach()

# the device sends every event: an interrupt is pending at the old
# vector during the move, and the same line passes
file(READ ${trace} text)
string(REPLACE "behaviour=ack" "behaviour=free-running" text "${text}")
string(REGEX REPLACE "\nexpect none strategy=dfs reaches=stale-message" "" text "${text}")
file(WRITE ${WORK}/free-running.trace "${text}")
execute_process(COMMAND ${IRQSIM} check ${WORK}/free-running.trace
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR out MATCHES "     vacuous:")
  message(FATAL_ERROR "check with a free-running device: exit ${rc}:\n${out}${err}")
endif()

# explore says the same under its summary, and in --json (the move
# keeps its old vector until the cleanup, the vector-leak race's window,
# and an actor waits for a lock another holds)
execute_process(COMMAND ${IRQSIM} explore ${trace} --strategy dfs --json
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"windows\":{\"reached\":\\[\"raise-masked\",\"old-vector-held\",\"actor-blocked\"\\],\"not_reached\":\\[\"irr-no-handler\",\"move-in-flight\",\"irr-in-service\"\\]}")
  message(FATAL_ERROR "explore --json windows (exit ${rc}):\n${out}${err}")
endif()
message(STATUS "vacuous proofs: caught")
