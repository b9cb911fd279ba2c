# The distributed search (explore --distributed) over an MPI job of three
# ranks on this machine gives what one process gives, on every trace:
# - PART=counts: with every verdict ignored (so no search stops early),
#   the distinct and end-state counts of one dfs, where the search
#   completes (a search cut by the step bound keeps what it met first,
#   at whatever depth, so its counts depend on the order in one search
#   too; churn-3x2 is out of exhaustive reach);
# - PART=verdicts: the trace's own verdict: the exit status and the whole
#   output but the dfs summary line, byte for byte (a violation is
#   searched again by rank 0 alone, so its schedule is one search's).
# SUBSET=N: only every Nth trace (the sanitizer build).
# Usage: cmake -DIRQSIM=bin -DMPIRUN=mpirun -DSRC=dir -DPART=counts|verdicts
#        [-DSUBSET=N] -P dist-exact.cmake
cmake_minimum_required(VERSION 3.18)
set(mpi ${MPIRUN} --allow-run-as-root --oversubscribe --bind-to none -np 3)
include(${CMAKE_CURRENT_LIST_DIR}/../sched/all-traces.cmake)
if(SUBSET)
  set(some)
  set(i 0)
  foreach(t ${traces})
    math(EXPR k "${i} % ${SUBSET}")
    if(k EQUAL 0)
      list(APPEND some ${t})
    endif()
    math(EXPR i "${i} + 1")
  endforeach()
  set(traces ${some})
endif()

function(run out status)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE o ERROR_VARIABLE e
                  RESULT_VARIABLE rc)
  set(${out} "${o}" PARENT_SCOPE)
  set(${status} "${rc}" PARENT_SCOPE)
  set(last_err "${e}" PARENT_SCOPE)
endfunction()

function(counts out)
  search_counts(c ${ARGN})
  set(${out} "${c}" PARENT_SCOPE)
endfunction()

# What --distributed does not combine with is said, exit 2, before any
# rank joins a job; a plain irqsim that finds no irqsim-mpi says so.
if(PART STREQUAL "verdicts")
  set(t ${SRC}/traces/seed000-irqbalance.trace)
  foreach(bad "--strategy;random" "--strategy;dfs;--jobs;2"
              "--strategy;dfs;--preemption-bound;1" "--strategy;dfs;--bitstate"
              "--strategy;dfs;--near-schedule")
    run(o rc ${IRQSIM} explore ${t} --distributed ${bad})
    if(NOT rc EQUAL 2 OR NOT last_err MATCHES "--distributed")
      message(FATAL_ERROR "--distributed ${bad}: exit ${rc}\n${last_err}")
    endif()
  endforeach()
  set(ENV{IRQSIM_MPI} /nonexistent/irqsim-mpi)
  run(o rc ${IRQSIM} explore ${t} --strategy dfs --distributed)
  unset(ENV{IRQSIM_MPI})
  if(NOT rc EQUAL 2 OR NOT last_err MATCHES "needs irqsim-mpi")
    message(FATAL_ERROR "no irqsim-mpi: exit ${rc}\n${last_err}")
  endif()
endif()

set(n 0)
foreach(t ${traces})
  if(PART STREQUAL "counts")
    foreach(p default tglx-reinject)
      set(prof)
      if(NOT p STREQUAL "default")
        set(prof --profile ${p})
      endif()
      counts(one ${IRQSIM} explore ${t} ${prof})
      if(one MATCHES "\"complete\":false")
        continue()
      endif()
      counts(many ${mpi} ${IRQSIM} explore ${t} ${prof} --distributed)
      if(NOT "${many}" STREQUAL "${one}")
        message(FATAL_ERROR "${t} ${p}: 3 ranks give ${many}, one search ${one}")
      endif()
      math(EXPR n "${n} + 1")
    endforeach()
  else()
    run(one rc1 ${IRQSIM} explore ${t} --strategy dfs)
    run(many rc3 ${mpi} ${IRQSIM} explore ${t} --strategy dfs --distributed)
    if(NOT rc1 EQUAL rc3)
      message(FATAL_ERROR "${t}: exit ${rc3} with 3 ranks, ${rc1} in one process\n${last_err}")
    endif()
    string(REGEX REPLACE "(^|\n)dfs [^\n]*" "" one "${one}")
    string(REGEX REPLACE "(^|\n)dfs [^\n]*" "" many "${many}")
    if(NOT "${many}" STREQUAL "${one}")
      message(FATAL_ERROR "${t}: 3 ranks print\n${many}\none process prints\n${one}")
    endif()
    math(EXPR n "${n} + 1")
  endif()
endforeach()
message(STATUS "${n} searches over 3 ranks: one process's ${PART}")
