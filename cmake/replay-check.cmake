# Byte-for-byte reproduction of a trace's first failing schedule:
#   irqsim explore TRACE --save FILE      finds it and prints the seed
#   irqsim run TRACE --seed N --render text   twice: identical logs
#   irqsim replay FILE --render text          identical to the run
# A trace with no violation in its default configuration checks that two
# runs of seed 0 give the same log.
# Usage: cmake -DIRQSIM=bin -DTRACE=file -DWORK=dir -P replay-check.cmake
file(MAKE_DIRECTORY ${WORK})
set(saved ${WORK}/run.irqsim)
file(REMOVE ${saved})

execute_process(COMMAND ${IRQSIM} explore ${TRACE} --save ${saved}
                OUTPUT_VARIABLE explore_out RESULT_VARIABLE rc)
if(rc EQUAL 2)
  message(FATAL_ERROR "explore failed:\n${explore_out}")
endif()

set(seed 0)
if(rc EQUAL 1)
  string(REGEX MATCH "--seed ([0-9]+)" m "${explore_out}")
  if(NOT m)
    message(FATAL_ERROR "no seed in the explore output:\n${explore_out}")
  endif()
  set(seed ${CMAKE_MATCH_1})
endif()

foreach(i 1 2)
  execute_process(COMMAND ${IRQSIM} run ${TRACE} --seed ${seed} --render text
                  OUTPUT_VARIABLE run_${i} RESULT_VARIABLE rc_${i})
endforeach()
if(NOT run_1 STREQUAL run_2)
  message(FATAL_ERROR "two runs of seed ${seed} differ")
endif()
if(NOT rc_1 EQUAL rc)
  message(FATAL_ERROR "run --seed ${seed} exits ${rc_1}, explore exited ${rc}")
endif()

if(rc EQUAL 1)
  execute_process(COMMAND ${IRQSIM} replay ${saved} --render text
                  OUTPUT_VARIABLE replay_out RESULT_VARIABLE rc_replay)
  if(NOT rc_replay EQUAL 1)
    message(FATAL_ERROR "replay of ${saved} exits ${rc_replay}:\n${replay_out}")
  endif()
  # the event log and verdict are identical; only the reproduce hint differs
  string(REGEX REPLACE "\n  reproduce:.*" "" run_cmp "${run_1}")
  string(REGEX REPLACE "\n  reproduce:.*" "" replay_cmp "${replay_out}")
  string(STRIP "${run_cmp}" run_cmp)
  string(STRIP "${replay_cmp}" replay_cmp)
  if(NOT run_cmp STREQUAL replay_cmp)
    file(WRITE ${WORK}/run.txt "${run_cmp}")
    file(WRITE ${WORK}/replay.txt "${replay_cmp}")
    message(FATAL_ERROR "replay differs from run --seed ${seed}: see ${WORK}")
  endif()
  message(STATUS "seed ${seed}: run, run and replay give the same event log")
else()
  message(STATUS "no violation; two runs of seed 0 give the same event log")
endif()
