# irqsim list KIND prints a line a name, the name first (scripts take
# the first column: awk '{print $1}'), then what it is; --names prints
# the names alone, the same ones in the same order. A verdict's line is
# the guarantee its oracle checks, in at most 100 characters, for a
# verdict docs/oracles.md documents; a trace's line is its file's first
# comment line.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -P list.cmake
cmake_minimum_required(VERSION 3.18)
set(failures "")

# rows(KIND OUT ARGS...): the lines of irqsim list KIND ARGS, as a list
function(rows kind out)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=IRQSIM_TRACES
                          ${IRQSIM} list ${kind} ${ARGN}
                  OUTPUT_VARIABLE text ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT text OR err)
    message(FATAL_ERROR "irqsim list ${kind} ${ARGN}: exit ${rc}\n${text}${err}")
  endif()
  string(REPLACE ";" "," text "${text}")
  string(REGEX REPLACE "\n$" "" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

foreach(kind commands knobs profiles ops directives verdicts windows traces
             formats options)
  rows(${kind} lines)
  rows(${kind} names --names)
  set(first "")
  foreach(line ${lines})
    # a line's continuation (a wrapped description) starts with blanks
    if(line MATCHES "^ ")
      continue()
    endif()
    string(REGEX MATCH "^[^ ]+" name "${line}")
    list(APPEND first "${name}")
  endforeach()
  # list options has a row per command group: --save twice
  list(REMOVE_DUPLICATES first)
  if(NOT first STREQUAL names)
    string(APPEND failures "\n  list ${kind}: first column '${first}', --names '${names}'")
  endif()
endforeach()

# --- verdicts: the guarantee, documented in docs/oracles.md
file(READ ${SRC}/docs/oracles.md oracles)
rows(verdicts lines)
foreach(line ${lines})
  if(NOT line MATCHES "^([a-z-]+) +([^ ].*)$")
    string(APPEND failures "\n  list verdicts: not 'NAME GUARANTEE': '${line}'")
    continue()
  endif()
  set(name ${CMAKE_MATCH_1})
  set(doc "${CMAKE_MATCH_2}")
  string(LENGTH "${doc}" n)
  if(n GREATER 100)
    string(APPEND failures "\n  list verdicts: ${name}'s line is ${n} characters (at most 100)")
  endif()
  if(NOT name STREQUAL "none" AND NOT oracles MATCHES "\n### [^\n]*${name}[ ,]")
    string(APPEND failures "\n  list verdicts: docs/oracles.md has no section for ${name}")
  endif()
endforeach()

# --- traces: every trace of the tree, with its first comment line
file(GLOB files ${SRC}/traces/*.trace)
set(want "")
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  file(STRINGS ${f} comments REGEX "^[ \t]*#.*[^# \t]")
  list(GET comments 0 doc)
  string(REGEX REPLACE "^[ \t]*#[# \t]*" "" doc "${doc}")
  string(REPLACE ";" "," doc "${doc}")
  list(APPEND want "${name} ${doc}")
endforeach()
rows(traces got)
set(norm "")
foreach(line ${got})
  string(REGEX REPLACE "^([^ ]+) +" "\\1 " line "${line}")
  list(APPEND norm "${line}")
endforeach()
if(NOT norm STREQUAL want)
  string(REPLACE ";" "\n    " norm "${norm}")
  string(REPLACE ";" "\n    " want "${want}")
  string(APPEND failures "\n  list traces:\n    ${norm}\n  expected the traces of ${SRC}/traces with their first comment lines:\n    ${want}")
endif()

if(failures)
  message(FATAL_ERROR "irqsim list:${failures}")
endif()
list(LENGTH want nt)
message(STATUS "irqsim list: the name first, --names the same names; verdicts with their guarantees, ${nt} traces with their first comment lines")
