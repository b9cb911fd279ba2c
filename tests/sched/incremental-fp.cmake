# dfs computes a state's fingerprint from its parent's (the words a
# transition changed, sched/fingerprint.c); IRQSIM_CHECK_FINGERPRINTS makes
# it compute each one whole as well and abort on a difference. Every trace
# in traces/ and churn-1v, both profiles, all verdicts ignored so that the
# search does not stop early, up to 10000 distinct states each; with and
# without sleep sets, and under a preemption bound (another key).
# Usage: cmake -DIRQSIM=bin -DSRC=dir -P incremental-fp.cmake
cmake_minimum_required(VERSION 3.18)
include(${CMAKE_CURRENT_LIST_DIR}/all-traces.cmake)
# up to 10000 states each: churn-3x2 too
list(APPEND traces ${SRC}/traces/churn-3x2.trace)
set(n 0)
foreach(t ${traces})
  foreach(args "--strategy;dfs" "--strategy;dfs;--no-por"
               "--strategy;dfs;--preemption-bound;2;--profile;tglx-reinject")
    execute_process(COMMAND ${CMAKE_COMMAND} -E env IRQSIM_CHECK_FINGERPRINTS=1
                            ${IRQSIM} explore ${t} ${args} --ignore ${ignore}
                            --max-states 10000
                    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "irqsim explore ${t} ${args}: exit ${rc}\n${out}${err}")
    endif()
    math(EXPR n "${n} + 1")
  endforeach()
endforeach()
message(STATUS "${n} searches: every incremental fingerprint equal to the whole one")
