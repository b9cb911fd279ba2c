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
include(${CMAKE_CURRENT_LIST_DIR}/all-traces.cmake)

function(counts out)
  search_counts(c ${IRQSIM} explore ${ARGN})
  set(${out} "${c}" PARENT_SCOPE)
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
