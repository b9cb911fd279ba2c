# ./dev demo draws the run it summarises: the verdict explore prints (the
# shrunk run) is the verdict under the timeline the demo then replays,
# step count included, and the diagram of that run's causal slice is
# written.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir -P demo.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND bash ${SRC}/dev demo-steps ${IRQSIM} ${WORK}
                WORKING_DIRECTORY ${SRC}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dev demo-steps: exit ${rc}:\n${out}${err}")
endif()
string(REGEX MATCHALL "\nseed000-vfio-loss: [a-z-]+ after [0-9]+ steps" verdicts "${out}")
list(LENGTH verdicts n)
if(NOT n EQUAL 2)
  message(FATAL_ERROR "dev demo-steps: want the summary's verdict and the drawn run's:\n${out}")
endif()
list(GET verdicts 0 summary)
list(GET verdicts 1 drawn)
if(NOT summary STREQUAL drawn)
  message(FATAL_ERROR "the demo summarises${summary}\nbut draws${drawn}:\n${out}")
endif()
if(NOT EXISTS ${WORK}/demo.svg)
  message(FATAL_ERROR "dev demo-steps wrote no ${WORK}/demo.svg")
endif()
# the diagram is the shrunk run's too, drawn as the violation's slice
string(REGEX MATCH "became inevitable at step ([0-9]+)" step "${out}")
file(READ ${WORK}/demo.svg svg)
string(FIND "${svg}" " at step ${CMAKE_MATCH_1}: " at)
string(FIND "${svg}" "causal slice" slice)
if(NOT step OR at EQUAL -1 OR slice EQUAL -1)
  message(FATAL_ERROR "${WORK}/demo.svg is not the causal slice of the run summarised (${step})")
endif()
message(STATUS "the demo draws the run it summarises:${summary}")
