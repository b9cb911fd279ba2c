# The progress line of an exhaustive search on a terminal (script(1)
# gives irqsim one): the share of --max-states and of --max-memory, and
# the time to the first of them at the rate so far; each share is what
# the line's own counts say it is; the line fits the terminal's width.
# (Without a budget that gives a time the line says "no ETA":
# tests/cli/test_progress.c.) Skipped without script(1).
# Usage: cmake -DIRQSIM=bin -DSRC=dir -P progress.cmake
cmake_minimum_required(VERSION 3.18)
find_program(SCRIPT script)
if(NOT SCRIPT)
  message(STATUS "no script(1): no terminal to show a progress line on")
  return()
endif()
set(ignore lost-interrupt,vector-binding-lost,no-irq-handler,kernel-warning,deadlock)
set(cmd "${IRQSIM} explore ${SRC}/traces/churn-3x2.trace --strategy dfs --ignore ${ignore}")

# lines(COLS ARGS OUT): the progress lines printed on a COLS-wide terminal
function(lines cols args out)
  execute_process(COMMAND ${SCRIPT} -qec "stty cols ${cols}; ${cmd} ${args}" /dev/null
                  OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${cmd} ${args} on a terminal: exit ${rc}\n${text}")
  endif()
  # (a CMake list: the line's ";" becomes ",")
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "\r" "\n" text "${text}")
  string(ASCII 27 esc)
  string(REPLACE "${esc}[K" "" text "${text}")
  string(REGEX MATCHALL "explore dfs: [^\n]*" found "${text}")
  if(NOT found)
    message(FATAL_ERROR "${cmd} ${args} on a terminal: no progress line:\n${text}")
  endif()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

lines(200 "--max-states 200000 --max-memory 1G" found)
foreach(line ${found})
  if(NOT line MATCHES "^explore dfs: ([0-9]+)% of --max-states, [0-9]+% of --max-memory, ETA [0-9]+ (s|min|h) [(]--max-states[)], ([0-9]+) distinct, [0-9]+ states")
    message(FATAL_ERROR "not a dfs progress line with both budgets and an ETA:\n${line}")
  endif()
  set(pct ${CMAKE_MATCH_1})
  set(distinct ${CMAKE_MATCH_3})
  # the share of --max-states is distinct / 200000, rounded
  math(EXPR want "(${distinct} * 100 + 100000) / 200000")
  if(NOT pct EQUAL want)
    message(FATAL_ERROR "${distinct} distinct states are ${want}% of --max-states 200000, the line says ${pct}%:\n${line}")
  endif()
endforeach()
list(LENGTH found n)

# the memory budget alone (the default one, 3/4 of the RAM): its share
lines(200 "--max-states 100000" found)
list(GET found 0 line)
if(NOT line MATCHES "^explore dfs: [0-9]+% of --max-states, [0-9]+% of the memory budget, ETA ")
  message(FATAL_ERROR "not a dfs progress line with the default memory budget:\n${line}")
endif()

# a narrow terminal: no line longer than it
lines(50 "--max-states 100000" found)
foreach(line ${found})
  string(LENGTH "${line}" len)
  if(len GREATER 49)
    message(FATAL_ERROR "a ${len}-column progress line on a 50-column terminal:\n${line}")
  endif()
endforeach()
message(STATUS "${n} dfs progress lines: the budgets' shares, their ETA, the terminal's width")
