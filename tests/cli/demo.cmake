# ./dev demo draws the run it summarises: the verdict explore prints (the
# shrunk run) is the verdict under the timeline the demo then replays,
# step count included, and the diagram is written.
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
message(STATUS "the demo draws the run it summarises:${summary}")
