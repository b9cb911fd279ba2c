# Shards merge to one machine's answer:
#   irqsim explore TRACE                     the lowest failing seed
#   irqsim explore TRACE --jobs 2            the same seed
#   irqsim explore TRACE --shard I/3 (x3) + irqsim merge: the same seed
#   dfs with --shard I/2 + merge: complete with no violation (PROFILE)
#   a shard run with other knobs (PROFILE) does not merge with the rest
# Usage: cmake -DIRQSIM=bin -DTRACE=file -DWORK=dir -DPROFILE=name -P shard-check.cmake
file(MAKE_DIRECTORY ${WORK})

function(seed_of out var)
  string(REGEX MATCH "seed ([0-9]+)\\)" m "${out}")
  if(NOT m)
    message(FATAL_ERROR "no seed in:\n${out}")
  endif()
  set(${var} ${CMAKE_MATCH_1} PARENT_SCOPE)
endfunction()

execute_process(COMMAND ${IRQSIM} explore ${TRACE} --no-shrink
                OUTPUT_VARIABLE one RESULT_VARIABLE rc)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "expected a violation:\n${one}")
endif()
seed_of("${one}" seed_one)

execute_process(COMMAND ${IRQSIM} explore ${TRACE} --no-shrink --jobs 2
                OUTPUT_VARIABLE two RESULT_VARIABLE rc)
seed_of("${two}" seed_two)
if(NOT seed_two EQUAL seed_one)
  message(FATAL_ERROR "--jobs 2 found seed ${seed_two}, --jobs 1 seed ${seed_one}")
endif()

set(reports)
foreach(i 2 0 1)
  execute_process(COMMAND ${IRQSIM} explore ${TRACE} --no-shrink --shard ${i}/3
                          --report ${WORK}/r${i}.txt
                  OUTPUT_QUIET RESULT_VARIABLE rc)
  if(rc EQUAL 2)
    message(FATAL_ERROR "shard ${i}/3 failed")
  endif()
  list(APPEND reports ${WORK}/r${i}.txt)
endforeach()
execute_process(COMMAND ${IRQSIM} merge ${reports}
                OUTPUT_VARIABLE merged RESULT_VARIABLE rc)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "merge: expected a violation:\n${merged}")
endif()
seed_of("${merged}" seed_merged)
if(NOT seed_merged EQUAL seed_one)
  message(FATAL_ERROR "merged shards give seed ${seed_merged}, one machine ${seed_one}")
endif()

# a missing shard is refused
execute_process(COMMAND ${IRQSIM} merge ${WORK}/r0.txt ${WORK}/r1.txt
                OUTPUT_QUIET ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "merge with a shard missing should exit 2, got ${rc}")
endif()

# a shard of another configuration (a profile changes the knobs) is refused
execute_process(COMMAND ${IRQSIM} explore ${TRACE} --no-shrink --shard 2/3
                        --profile ${PROFILE} --report ${WORK}/p2.txt
                OUTPUT_QUIET RESULT_VARIABLE rc)
execute_process(COMMAND ${IRQSIM} merge ${WORK}/r0.txt ${WORK}/r1.txt ${WORK}/p2.txt
                OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 2 OR NOT err MATCHES "not a shard of the same exploration")
  message(FATAL_ERROR "merge of shards with different knobs should exit 2, got ${rc}: ${err}")
endif()

set(dreports)
foreach(i 0 1)
  execute_process(COMMAND ${IRQSIM} explore ${TRACE} --strategy dfs
                          --profile ${PROFILE} --shard ${i}/2
                          --report ${WORK}/d${i}.txt
                  OUTPUT_QUIET RESULT_VARIABLE rc)
  list(APPEND dreports ${WORK}/d${i}.txt)
endforeach()
execute_process(COMMAND ${IRQSIM} merge ${dreports}
                OUTPUT_VARIABLE dmerged RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT dmerged MATCHES "dfs complete")
  message(FATAL_ERROR "dfs shards should merge to complete, none:\n${dmerged}")
endif()
message(STATUS "seed ${seed_one} from 1 job, 2 jobs and 3 merged shards; dfs shards complete")
