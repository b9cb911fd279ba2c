# --jobs N workers share one visited set, so an exhaustive search counts
# every state once: its distinct and end states equal one search's, on
# every trace whose search completes (all verdicts ignored so that no
# search stops early; churn-3x2 is out of exhaustive reach and left out,
# and a search cut by the step bound proves nothing), for 2 and 3 workers. The
# workers meet states in a different order each run, so each trace runs
# twice: a count that depends on the order (a fingerprint that misses what
# steers the model) shows here.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -P jobs-exact.cmake
cmake_minimum_required(VERSION 3.18)
execute_process(COMMAND ${IRQSIM} list verdicts --names
                OUTPUT_VARIABLE kinds RESULT_VARIABLE rc)
string(REGEX REPLACE "\n$" "" kinds "${kinds}")
string(REPLACE "\n" ";" kinds "${kinds}")
list(REMOVE_ITEM kinds none model-warning)
string(REPLACE ";" "," ignore "${kinds}")
file(GLOB traces ${SRC}/traces/*.trace)
list(FILTER traces EXCLUDE REGEX "churn-3x2")
list(APPEND traces ${SRC}/bench/traces/churn-1v.trace)

function(counts out)
  execute_process(COMMAND ${IRQSIM} explore ${ARGN} --strategy dfs --json
                          --ignore ${ignore}
                  OUTPUT_VARIABLE json ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "irqsim explore ${ARGN}: exit ${rc}\n${err}")
  endif()
  string(REGEX MATCH "\"distinct\":[0-9]+" d "${json}")
  string(REGEX MATCH "\"end_states\":[0-9]+" e "${json}")
  string(REGEX MATCH "\"complete\":(true|false)" c "${json}")
  set(${out} "${d} ${e} ${c}" PARENT_SCOPE)
endfunction()

set(n 0)
foreach(t ${traces})
  counts(one ${t})
  # a search cut by the step bound keeps what it met first, at whatever
  # depth: its counts depend on the order in one search too
  if(one MATCHES "\"complete\":false")
    continue()
  endif()
  foreach(j 2 3 2 3)
    counts(many ${t} --jobs ${j})
    if(NOT "${many}" STREQUAL "${one}")
      message(FATAL_ERROR "${t}: --jobs ${j} gives ${many}, one search ${one}")
    endif()
    math(EXPR n "${n} + 1")
  endforeach()
endforeach()
message(STATUS "${n} searches with --jobs: the counts of one search")

# A shard's workers share a set for its entries: it counts what one worker
# over the same entries counts.
counts(one ${SRC}/traces/seed000-irqbalance.trace --shard 1/3)
foreach(j 2 3)
  counts(many ${SRC}/traces/seed000-irqbalance.trace --shard 1/3 --jobs ${j})
  if(NOT "${many}" STREQUAL "${one}")
    message(FATAL_ERROR "--shard 1/3 --jobs ${j} gives ${many}, one worker ${one}")
  endif()
endforeach()
message(STATUS "--shard 1/3 with 2 and 3 workers: one worker's counts")
