# explore --near-schedule end to end: what it says and how it exits.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir -P import.cmake
cmake_minimum_required(VERSION 3.18)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

# irqsim(RC ARGS...): run it, expect exit status RC; out and err are set.
macro(irqsim want)
  execute_process(COMMAND ${IRQSIM} ${ARGN} WORKING_DIRECTORY ${WORK}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT "${rc}" STREQUAL "${want}")
    message(FATAL_ERROR "irqsim ${ARGN}: exit ${rc}, expected ${want}\n${out}${err}")
  endif()
endmacro()

function(expect_in text what why)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${why}: expected '${what}' in:\n${text}")
  endif()
endfunction()

# --- explore --near-schedule: the loss one preemption from a schedule
# that runs clear of it (CPU 1 takes the interrupt after request_irq())
file(READ ${SRC}/traces/seed000-tglx-timeline.trace t)
string(REGEX REPLACE "\nschedule [^\n]*" "\nschedule vcpu0 nic0 vcpu0*20 cpu1:irq" t "${t}")
string(REGEX REPLACE "\nexpect [^\n]*" "" t "${t}")
file(WRITE ${WORK}/late.trace "${t}")
irqsim(0 run late.trace)
irqsim(1 explore late.trace --near-schedule)
expect_in("${out}" "near the fixed schedule (23 transitions): from 1 of its prefixes, longest first, a violation from its first 23 transitions" "near-schedule dfs")
expect_in("${out}" "preemption bound 2" "its default bound")
expect_in("${out}" "lost-interrupt" "near-schedule's verdict")
irqsim(0 explore late.trace --near-schedule --preemption-bound 0)
expect_in("${out}" "from 24 of its prefixes, longest first, no violation" "every prefix searched")
irqsim(1 explore late.trace --near-schedule --strategy pct --runs 200)
expect_in("${out}" "a violation from its first 22 transitions" "near-schedule pct")
expect_in("${out}" "reproduce (as found): irqsim run late.trace --schedule 'vcpu0 nic0 vcpu0*" "its reproducer keeps the prefix")
string(REGEX MATCH "reproduce \\(as found\\): irqsim run late.trace --schedule '([^']*)'" m "${out}")
irqsim(1 run late.trace --schedule "${CMAKE_MATCH_1}")
expect_in("${out}" "lost-interrupt" "the reproducer gives the loss")
irqsim(2 explore ${SRC}/traces/seed000-vfio-loss.trace --near-schedule)
expect_in("${err}" "has no schedule line to search near" "near a trace without a schedule")
irqsim(2 explore late.trace --near-schedule --strategy dpor)
