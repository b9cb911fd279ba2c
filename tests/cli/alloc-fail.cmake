# The tool's own out-of-memory paths, every one: run an irqsim command with
# IRQSIM_FAIL_ALLOC=N for N = 1, 2, ... (the Nth allocation of irqsim's own
# fails, src/sched/alloc.h) until N passes the number of allocations the
# command makes. Each failed allocation must end the command with exit
# status 2 and "out of memory" on stderr: no crash, no result computed from
# a half-built schedule or log, and, in the sanitizer build, no leak
# (LeakSanitizer would exit 23).
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir [-DTWIN=ON] -P alloc-fail.cmake
cmake_minimum_required(VERSION 3.18)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(T ${SRC}/traces)
set(saved ${SRC}/tests/trace/golden/seed000-tglx-timeline.irqsim)

set(total 0)
function(each_allocation name)
  set(n 1)
  while(TRUE)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env IRQSIM_FAIL_ALLOC=${n}
                            ${IRQSIM} ${ARGN}
                    WORKING_DIRECTORY ${WORK}
                    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
    string(FIND "${err}" "IRQSIM_FAIL_ALLOC: no allocation failed" done)
    if(NOT done EQUAL -1)
      break()
    endif()
    string(FIND "${err}" "IRQSIM_FAIL_ALLOC: failed one allocation" hit)
    string(FIND "${err}" "out of memory" said)
    if(hit EQUAL -1 OR said EQUAL -1 OR NOT rc EQUAL 2)
      message(FATAL_ERROR "${name}: allocation ${n} failed: exit ${rc}, expected 2 and 'out of memory':\n${err}")
    endif()
    math(EXPR n "${n} + 1")
    if(n GREATER 5000)
      message(FATAL_ERROR "${name}: more than 5000 allocations?")
    endif()
  endwhile()
  math(EXPR failed "${n} - 1")
  message(STATUS "${name}: ${failed} allocations, each failure a clean exit 2")
  math(EXPR t "${total} + ${failed}")
  set(total ${t} PARENT_SCOPE)
endfunction()

each_allocation("run --save --render text"
  run ${T}/seed000-vfio-loss.trace --seed 3 --save run.irqsim --render text)
each_allocation("run (fixed schedule) --render timeline"
  run ${T}/seed000-tglx-timeline.trace --render timeline)
each_allocation("replay --render json"
  replay ${saved} --render json -o out.json)
each_allocation("render --format dot" render ${saved} --format dot -o out.dot)
each_allocation("check (random, dfs)" check ${T}/seed000-overwrite.trace)
each_allocation("check (fixed schedule)" check ${T}/seed000-tglx-timeline.trace)
each_allocation("explore --save (sweep, shrink, save both)"
  explore ${T}/seed000-vfio-loss.trace --save explore.irqsim)
each_allocation("explore --jobs 2 (threads)"
  explore ${T}/seed000-vfio-loss.trace --jobs 2 --no-shrink)
each_allocation("explore --strategy pct"
  explore ${T}/seed000-vfio-loss.trace --strategy pct --runs 200)
each_allocation("explore --strategy dfs --jobs 2"
  explore ${T}/seed000-vfio-loss.trace --strategy dfs --jobs 2 --no-shrink)
if(TWIN)
  # the instrumented twin's search: visited set, summaries, footprint sets
  each_allocation("explore --strategy dpor"
    explore ${T}/msi-unplug-nonmaskable.trace --strategy dpor
    --ignore lost-interrupt)
endif()
each_allocation("explore --shard --report"
  explore ${T}/seed000-irqbalance.trace --runs 300 --shard 0/2 --report r0.txt)
message(STATUS "${total} allocation failures, all unwound")
