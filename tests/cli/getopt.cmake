# Issue 24: the command line is getopt_long(3)'s, driven by one table of
# options (irqsim list options): --opt=value is --opt value, an
# unambiguous abbreviation is the option and an ambiguous one is refused
# with its candidates, "--" ends the options, options and the argument
# come in any order, and each option is taken by exactly the commands its
# row names. getopt's own messages never show: irqsim's do, exit 2.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir -P getopt.cmake
cmake_minimum_required(VERSION 3.18)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(loss ${SRC}/traces/seed000-vfio-loss.trace)
set(saved ${SRC}/tests/trace/golden/seed000-tglx-timeline.irqsim)

# irqsim(RC ARGS...): run it, expect exit status RC; out and err are set.
# glibc's getopt messages ("unrecognized option", ...) must not leak.
macro(irqsim want)
  execute_process(COMMAND ${IRQSIM} ${ARGN} WORKING_DIRECTORY ${WORK}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT "${rc}" STREQUAL "${want}")
    message(FATAL_ERROR "irqsim ${ARGN}: exit ${rc}, expected ${want}\n${out}${err}")
  endif()
  if(err MATCHES "unrecognized option|invalid option|requires an argument|possibilities:|allow an argument")
    message(FATAL_ERROR "irqsim ${ARGN}: getopt's own message:\n${err}")
  endif()
endmacro()

function(expect_in text what why)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${why}: expected '${what}' in:\n${text}")
  endif()
endfunction()

# same(RC WHY ARGS... VS ARGS...): both command lines print the same.
function(same want why)
  list(FIND ARGN VS at)
  list(SUBLIST ARGN 0 ${at} a)
  math(EXPR at "${at} + 1")
  list(SUBLIST ARGN ${at} -1 b)
  irqsim(${want} ${a})
  set(out_a "${out}${err}")
  irqsim(${want} ${b})
  if(NOT out_a STREQUAL "${out}${err}")
    message(FATAL_ERROR "${why}: irqsim ${a}\nprinted\n${out_a}\nirqsim ${b}\nprinted\n${out}${err}")
  endif()
  if(NOT out_a)
    message(FATAL_ERROR "${why}: irqsim ${a} printed nothing")
  endif()
endfunction()

# --- --opt=value, abbreviations, order.
same(0 "--seed=3" run ${loss} --seed=3 VS run ${loss} --seed 3)
same(0 "--seed=3 --render=timeline" run ${loss} --seed=3 --render=timeline
     VS run ${loss} --seed 3 --render timeline)
same(0 "options before the trace" run --seed 3 ${loss} VS run ${loss} --seed 3)
same(0 "--see (--seed)" run ${loss} --see 3 VS run ${loss} --seed 3)
same(0 "explore abbreviations" explore ${loss} --strat=pct --dep 2 --ru 20 --no-sh
     VS explore ${loss} --strategy pct --depth 2 --runs 20 --no-shrink)
# replay takes one --r...: --render
same(1 "replay --r" replay ${saved} --r timeline VS replay ${saved} --render timeline)
irqsim(0 run ${loss} --seed=3 --save=eq.irqsim)
irqsim(0 run ${loss} --seed 3 --save sp.irqsim)
file(READ ${WORK}/eq.irqsim a)
file(READ ${WORK}/sp.irqsim b)
if(NOT a STREQUAL b)
  message(FATAL_ERROR "--save=FILE and --save FILE saved different runs")
endif()
message(STATUS "--opt=value, abbreviations and any order: as expected")

# --- An ambiguous abbreviation names its candidates (among the command's).
irqsim(2 run ${loss} --se 3)
expect_in("${err}" "irqsim: option --se is ambiguous (--seed, --set)" "run --se")
irqsim(2 explore ${loss} --r=3)
expect_in("${err}" "irqsim: option --r is ambiguous (--runs, --resume, --report, --render)" "explore --r=3")
irqsim(2 run ${loss} --s 3)
expect_in("${err}" "option --s is ambiguous (--seed, --schedule, --set, --save)" "run --s")
message(STATUS "ambiguous abbreviations: as expected")

# --- "--": what follows is an argument, even one named like an option.
# (--seed is a trace whose seed 0 loses nothing: a violation's reproduce
# line would name the two files, and differ.)
set(quiet ${SRC}/traces/seed000-host-driver.trace)
file(COPY_FILE ${quiet} ${WORK}/--seed)
file(COPY_FILE ${loss} ${WORK}/-o.trace)
same(0 "run -- --seed" run -- --seed VS run ${quiet})
same(0 "run --seed 3 -- -o.trace" run --seed 3 -- -o.trace VS run ${loss} --seed 3)
irqsim(2 run --seed)
expect_in("${err}" "irqsim: option --seed needs a value" "run --seed, no --")
irqsim(2 run -- --seed --seed)
expect_in("${err}" "irqsim: unexpected argument '--seed'" "an option after --")
irqsim(2 run -- --help)
expect_in("${err}" "--help: cannot open" "run -- --help: a file")
irqsim(0 run ${loss} --help)
expect_in("${out}" "usage:" "run --help")
message(STATUS "--: as expected")

# --- Unknown options, values missing or not taken: exit 2, irqsim's words.
irqsim(2 run ${loss} --bogus)
expect_in("${err}" "irqsim: option --bogus is not valid here" "run --bogus")
irqsim(2 run ${loss} --bogus=1)
expect_in("${err}" "irqsim: option --bogus is not valid here" "run --bogus=1")
irqsim(2 run ${loss} -x)
expect_in("${err}" "irqsim: option -x is not valid here" "run -x")
irqsim(2 check ${loss} --strategy dfs)
expect_in("${err}" "irqsim: option --strategy is not valid here" "check --strategy")
irqsim(2 list --bogus)
expect_in("${err}" "irqsim: option --bogus is not valid here" "list --bogus")
irqsim(2 run ${loss} --seed)
expect_in("${err}" "irqsim: option --seed needs a value" "run TRACE --seed")
irqsim(2 replay ${saved} -o)
expect_in("${err}" "irqsim: option -o needs a value" "replay -o")
irqsim(2 explore ${loss} --json=yes)
expect_in("${err}" "irqsim: option --json takes no value" "--json=yes")
irqsim(2 run ${loss} --seed=)
expect_in("${err}" "irqsim: bad seed ''" "--seed=")
message(STATUS "unknown options and values: as expected")

# --- Each row of the table: its commands take it, the others refuse it.
execute_process(COMMAND ${IRQSIM} list options OUTPUT_VARIABLE table)
string(REPLACE ";" "," table "${table}")
string(REPLACE "\n" ";" rows "${table}")
set(all run explore merge replay render check list)
set(checked 0)
foreach(row ${rows})
  if(NOT row MATCHES "^(-[-a-z]+) +([^ ]+) +([a-z,]+) ")
    message(FATAL_ERROR "irqsim list options: '${row}'")
  endif()
  set(name ${CMAKE_MATCH_1})
  set(args ${name})
  if(NOT CMAKE_MATCH_2 STREQUAL "-")
    list(APPEND args x)
  endif()
  string(REPLACE "," ";" on "${CMAKE_MATCH_3}")
  foreach(c ${all})
    # --save has a row for run and explore, another for check
    string(REGEX MATCHALL "(^|\n)${name} +[^ ]+ +[a-z,]*${c}[a-z,]* " any "${table}")
    execute_process(COMMAND ${IRQSIM} ${c} ${WORK}/none ${args}
                    WORKING_DIRECTORY ${WORK}
                    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
    string(FIND "${err}" "option ${name} is not valid here" refused)
    list(FIND on ${c} at)
    if(NOT at EQUAL -1 AND NOT refused EQUAL -1)
      message(FATAL_ERROR "irqsim ${c} ${args}: the table says ${c} takes ${name}:\n${err}")
    elseif(at EQUAL -1 AND NOT any AND (refused EQUAL -1 OR NOT rc EQUAL 2))
      message(FATAL_ERROR "irqsim ${c} ${args}: exit ${rc}, the table says ${c} does not take ${name}:\n${err}")
    endif()
    math(EXPR checked "${checked} + 1")
  endforeach()
endforeach()
message(STATUS "${checked} options and commands: taken as the table says")

# --- explore --strategy dpor runs the twin, however it is spelled; argv
# reaches it as given (nothing permuted). IRQSIM_FP names the twin.
find_program(ECHO echo)
foreach(spelling "--strategy;dpor" "--strategy=dpor" "--strat;dpor" "--str=dpor")
  execute_process(COMMAND ${CMAKE_COMMAND} -E env IRQSIM_FP=${ECHO}
                          ${IRQSIM} explore ${spelling} ${loss} --runs 2
                  OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  string(REPLACE ";" " " words "${spelling}")
  if(NOT rc EQUAL 0 OR NOT out STREQUAL "explore ${words} ${loss} --runs 2\n")
    message(FATAL_ERROR "explore ${words}: not the twin with argv as given (exit ${rc}):\n${out}")
  endif()
endforeach()
# the last --strategy counts, as for the plain tool; a bad command line is
# the plain tool's to refuse
execute_process(COMMAND ${CMAKE_COMMAND} -E env IRQSIM_FP=${ECHO}
                        ${IRQSIM} explore ${loss} --strategy dpor --strategy pct --runs 2
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
expect_in("${out}" "pct schedules" "--strategy dpor --strategy pct")
execute_process(COMMAND ${CMAKE_COMMAND} -E env IRQSIM_FP=${ECHO}
                        ${IRQSIM} explore ${loss} --strategy dpor --bogus
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "explore --strategy dpor --bogus: exit ${rc}\n${out}${err}")
endif()
expect_in("${err}" "option --bogus is not valid here" "explore --strategy dpor --bogus")
message(STATUS "the dpor twin: as expected")
