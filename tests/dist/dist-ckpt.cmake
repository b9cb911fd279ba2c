# Checkpoints of the distributed search: a job of three ranks stopped
# (--max-states, SIGTERM to mpirun, every rank killed with SIGKILL) and
# resumed from its checkpoint reaches the whole search's counts; a
# checkpoint resumed with another number of ranks, without
# --distributed, or with a damaged part is refused, exit 2, saying why.
# churn-1v for the stops and refusals, churn-2v (a search of seconds)
# for the signals, but with QUICK (the sanitizer build).
# Usage: cmake -DIRQSIM=bin -DMPIRUN=mpirun -DSRC=dir -DWORK=dir
#        [-DQUICK=ON] -P dist-ckpt.cmake
cmake_minimum_required(VERSION 3.18)
set(mpi ${MPIRUN} --allow-run-as-root --oversubscribe --bind-to none)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(t ${SRC}/bench/traces/churn-1v.trace)
set(cap 1500)
set(opts --profile tglx-reinject --strategy dfs --distributed)

function(run expect)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK}
                  OUTPUT_VARIABLE o ERROR_VARIABLE e RESULT_VARIABLE rc)
  if(NOT "${rc}" STREQUAL "${expect}")
    message(FATAL_ERROR "${ARGN}: exit ${rc}, expected ${expect}\n${o}${e}")
  endif()
  set(out "${o}" PARENT_SCOPE)
  set(err "${e}" PARENT_SCOPE)
endfunction()

function(counts json var)
  string(REGEX MATCH "\"distinct\":[0-9]+,\"end_states\":[0-9]+" c "${json}")
  string(REGEX MATCH "\"complete\":(true|false)" d "${json}")
  set(${var} "${c} ${d}" PARENT_SCOPE)
endfunction()

function(expect_in text what why)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${why}: expected '${what}' in:\n${text}")
  endif()
endfunction()

run(0 ${mpi} -np 3 ${IRQSIM} explore ${t} ${opts} --json)
counts("${out}" whole)
expect_in("${whole}" "\"complete\":true" "the whole search")

# --max-states stops it with a checkpoint; the command it prints goes on
run(0 ${mpi} -np 3 ${IRQSIM} explore ${t} ${opts} --max-states ${cap}
    --checkpoint ck)
expect_in("${out}" "checkpoint written to ck" "--max-states")
expect_in("${out}" "resume: mpirun -np 3 irqsim explore ${t} --strategy dfs --distributed --profile tglx-reinject --resume ck --checkpoint ck" "the resume command")
foreach(r 0 1 2)
  if(NOT EXISTS ${WORK}/ck.rank${r}.1)
    message(FATAL_ERROR "no part of rank ${r}: ck.rank${r}.1")
  endif()
endforeach()
run(0 ${mpi} -np 3 ${IRQSIM} explore ${t} ${opts} --resume ck --json)
counts("${out}" resumed)
expect_in("${out}" "\"resumed\":{\"file\":\"ck\"" "resumed: --json")
if(NOT resumed STREQUAL whole)
  message(FATAL_ERROR "resumed after --max-states: ${resumed}, whole ${whole}")
endif()
message(STATUS "stopped at --max-states, resumed: ${resumed}")

# what it cannot be resumed as
run(2 ${mpi} -np 2 ${IRQSIM} explore ${t} ${opts} --resume ck)
expect_in("${err}" "irqsim: ck: a search of 3 ranks; this job has 2 (resume it with mpirun -np 3)" "another -np")
run(2 ${IRQSIM} explore ${t} --profile tglx-reinject --strategy dfs --resume ck)
expect_in("${err}" "irqsim: ck: a checkpoint of another search: search=distributed (--distributed) there, search=one process here" "without --distributed")
run(2 ${mpi} -np 3 ${IRQSIM} explore ${t} ${opts} --no-por --resume ck --set vmm_reinject=off)
expect_in("${err}" "irqsim: ck: a checkpoint of another search: knob vmm_reinject=on there, knob vmm_reinject=off here" "another knob")
execute_process(COMMAND sh -c "cp ck.rank1.1 keep && head -c 1000 keep > ck.rank1.1"
                WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cannot cut rank 1's part")
endif()
run(2 ${mpi} -np 3 ${IRQSIM} explore ${t} ${opts} --resume ck)
expect_in("${err}" "irqsim: ck.rank1.1: corrupt: its checksum does not match" "a part cut short")
expect_in("${err}" "irqsim: another rank cannot read its part of the checkpoint" "a part cut short: rank 0")
execute_process(COMMAND sh -c "mv keep ck.rank1.1" WORKING_DIRECTORY ${WORK})
message(STATUS "another -np, no --distributed, another knob, a part cut short: refused")

if(QUICK)
  return()
endif()
set(t ${SRC}/bench/traces/churn-2v.trace)
run(0 ${mpi} -np 3 ${IRQSIM} explore ${t} ${opts} --json)
counts("${out}" whole)
string(REPLACE ";" " " line "${mpi} -np 3 ${IRQSIM} explore ${t} ${opts}")

# SIGTERM to mpirun: every rank stops at the next superstep and writes
# a last checkpoint; SIGKILL to every rank: the last periodic one
foreach(sig TERM KILL)
  file(REMOVE ${WORK}/ck${sig})
  if(sig STREQUAL "TERM")
    set(kill "kill -TERM $pid")
  else()
    set(kill "pkill -KILL -f 'irqsim-mpi explore.*ck${sig}'")
  endif()
  execute_process(COMMAND sh -c "${line} --checkpoint ck${sig} --checkpoint-every 0s > out${sig} 2>&1 & pid=$!; n=0; while [ ! -e ck${sig} ] && [ $n -lt 500 ]; do sleep 0.02; n=$((n+1)); done; sleep 0.5; ${kill}; wait $pid; exit 0"
                  WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc)
  file(READ ${WORK}/out${sig} o)
  if(sig STREQUAL "TERM")
    expect_in("${o}" "explore: interrupted after " "SIGTERM")
    expect_in("${o}" "checkpoint written to ck${sig}" "SIGTERM: the last checkpoint")
  else()
    string(FIND "${o}" "dfs complete" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "SIGKILL came after the search ended:\n${o}")
    endif()
  endif()
  run(0 ${mpi} -np 3 ${IRQSIM} explore ${t} ${opts} --resume ck${sig} --json)
  expect_in("${out}" "\"resumed\":{\"file\":\"ck${sig}\"" "SIG${sig}: resumed")
  counts("${out}" resumed)
  if(NOT resumed STREQUAL whole)
    message(FATAL_ERROR "resumed after SIG${sig}: ${resumed}, whole ${whole}")
  endif()
  message(STATUS "SIG${sig} mid-search, resumed: ${resumed}")
endforeach()
