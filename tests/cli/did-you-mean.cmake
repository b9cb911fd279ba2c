# A typo answers with the name it is a typo of, when one is close, and a
# hint where the names are, never the whole list: a command, an option,
# a knob, a profile, a verdict, an operation, a directive, a race window,
# a list kind, a trace name. Exit status 2; a trace file's errors keep
# their file:line.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir -P did-you-mean.cmake
cmake_minimum_required(VERSION 3.18)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(loss ${SRC}/traces/seed000-vfio-loss.trace)
set(failures "")

# says(MESSAGE ARGS...): irqsim ARGS exits 2 and its stderr's first line
# is "irqsim: MESSAGE" (or MESSAGE itself for a trace file's file:line)
function(says msg)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=IRQSIM_TRACES
                          ${IRQSIM} ${ARGN}
                  WORKING_DIRECTORY ${WORK}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  string(REGEX REPLACE "\n.*" "" first "${err}")
  if(NOT rc EQUAL 2 OR NOT (first STREQUAL "irqsim: ${msg}" OR first STREQUAL "${msg}"))
    set(failures "${failures}\n  irqsim ${ARGN}: exit ${rc}, said\n    ${first}\n  not\n    ${msg}" PARENT_SCOPE)
  endif()
endfunction()

# --- commands and options
says("unknown command 'rn' (did you mean 'run'?); see 'irqsim --help'" rn ${loss})
says("unknown command 'exlpore' (did you mean 'explore'?); see 'irqsim --help'" exlpore ${loss})
says("unknown command 'frobnicate'; see 'irqsim --help'" frobnicate)
says("unknown command 'chek' (did you mean 'check'?); see 'irqsim --help'" help chek)
says("option --sed is not valid here (did you mean '--seed'?)" run ${loss} --sed 3)
says("option --max-stats is not valid here (did you mean '--max-states'?)"
     explore ${loss} --max-stats=9)
says("option --strategy is not valid here (for explore)" check ${loss} --strategy dfs)
says("option --bogus is not valid here" run ${loss} --bogus)

# --- knobs, profiles, verdicts, list kinds, traces
says("unknown knob 'repair_iqr' (did you mean 'repair_irq'?); see 'irqsim list knobs'"
     run ${loss} --set repair_iqr=on)
says("unknown knob 'nosuch'; see 'irqsim list knobs'" explore ${loss} --set nosuch=1)
says("unknown knob 'vector_reevalute' (did you mean 'vector_reevaluate'?); see 'irqsim list knobs'"
     list values vector_reevalute)
says("unknown profile 'linux-6.19' (did you mean 'linux-6.16'?); see 'irqsim list profiles'"
     run ${loss} --profile linux-6.19)
says("unknown profile 'fedora'; see 'irqsim list profiles'" run ${loss} --profile fedora)
says("--ignore: unknown verdict 'lost-interupt' (did you mean 'lost-interrupt'?); see 'irqsim list verdicts'"
     run ${loss} --ignore misrouted,lost-interupt)
says("unknown list kind 'verdict' (did you mean 'verdicts'?); see 'irqsim help list'" list verdict)
says("unknown list kind 'everything'; see 'irqsim help list'" list everything)
says("seed000-vfio-los: cannot open: No such file or directory, and no trace has that name (did you mean 'seed000-vfio-loss'?); see 'irqsim list traces'"
     run seed000-vfio-los)
says("nosuch.trace: cannot open: No such file or directory, and no trace has that name; see 'irqsim list traces'"
     check nosuch.trace)

# --- a trace file: file:line, then the same answer
file(READ ${SRC}/traces/seed000-tglx-timeline.trace text)
foreach(case
    "\ntrace |\ntrce |unknown directive 'trce' (did you mean 'trace'?); see 'irqsim list directives'"
    "vcpu0: guest_msix_mask |vcpu0: guest_msix_mask_ |unknown operation 'guest_msix_mask_' (did you mean 'guest_msix_mask'?); see 'irqsim list ops'"
    "\nexpect lost-interrupt\n|\nexpect lost-interupt\n|unknown verdict 'lost-interupt' (did you mean 'lost-interrupt'?); see 'irqsim list verdicts'"
    "reaches=irr-no-handler|reaches=irr-no-handlr|reaches=: unknown race window 'irr-no-handlr' (did you mean 'irr-no-handler'?); see 'irqsim list windows'"
    "\nexpect lost-interrupt profile=linux-6.16|\nexpect lost-interrupt profile=linux-6.61|unknown profile 'linux-6.61' (did you mean 'linux-6.16'?); see 'irqsim list profiles'")
  # the message's own ';' is not a list's
  string(REPLACE ";" "<semicolon>" case "${case}")
  string(REPLACE "|" ";" case "${case}")
  list(GET case 0 from)
  list(GET case 1 to)
  list(GET case 2 msg)
  string(REPLACE "<semicolon>" ";" msg "${msg}")
  string(REGEX REPLACE "${from}" "${to}" bad "${text}")
  if(bad STREQUAL text)
    message(FATAL_ERROR "'${from}' is not in seed000-tglx-timeline.trace")
  endif()
  file(WRITE ${WORK}/typo.trace "${bad}")
  # the line the typo is on
  string(FIND "${bad}" "${to}" at)
  string(SUBSTRING "${bad}" 0 ${at} before)
  string(REGEX MATCHALL "\n" nl "${before}")
  list(LENGTH nl line)
  if(to MATCHES "^\n")
    math(EXPR line "${line} + 2")
  else()
    math(EXPR line "${line} + 1")
  endif()
  says("${WORK}/typo.trace:${line}: ${msg}" run ${WORK}/typo.trace)
endforeach()

if(failures)
  message(FATAL_ERROR "typos:${failures}")
endif()
message(STATUS "typos: did you mean, or the hint alone; exit 2; trace lines kept")
