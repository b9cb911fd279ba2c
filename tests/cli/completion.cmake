# The bash completion (dist/irqsim.bash), driven as bash drives it
# (COMP_WORDS, COMP_CWORD, the function, COMPREPLY) against this build's
# irqsim: commands, options of the command at hand, knob names and knob
# VALUES (--set KNOB=<TAB>, split at '=' as bash splits it), profiles,
# verdicts for --ignore (the last of a list), formats, strategies, trace
# names, list kinds. What it offers must be what irqsim says is valid:
# each case names the completions it expects, and the values are also
# compared with irqsim list values.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -P completion.cmake
cmake_minimum_required(VERSION 3.18)
find_program(BASH bash)
if(NOT BASH)
  message(STATUS "no bash: nothing to drive")
  return()
endif()
set(failures "")

# complete(WORDS... EXPECT want): COMP_WORDS=(irqsim WORDS...), the last
# word is the one completed ("" for an empty one); COMPREPLY, sorted and
# space-separated, must be @want.
function(complete)
  cmake_parse_arguments(C "" "EXPECT" "" ${ARGN})
  set(words "")
  foreach(w ${C_UNPARSED_ARGUMENTS})
    if(w STREQUAL "''")
      string(APPEND words " ''")
    else()
      string(APPEND words " '${w}'")
    endif()
  endforeach()
  set(script "source '${SRC}/dist/irqsim.bash'; COMP_WORDS=('${IRQSIM}'${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _irqsim; printf '%s\\n' \"\${COMPREPLY[@]}\" | sort | paste -sd' '")
  execute_process(COMMAND ${BASH} --norc --noprofile -c "${script}"
                  OUTPUT_VARIABLE got ERROR_VARIABLE err RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0 OR NOT got STREQUAL "${C_EXPECT}" OR err)
    set(failures "${failures}\n  irqsim${words}<TAB>: '${got}', expected '${C_EXPECT}' (exit ${rc})${err}" PARENT_SCOPE)
  endif()
endfunction()

# --- commands and options
complete(ex EXPECT "explore")
complete(re EXPECT "render replay")
complete(help ch EXPECT "check")
complete(explore t --no-s EXPECT "--no-shrink")
complete(check t --r EXPECT "--runs")
complete(run t --r EXPECT "--render")
complete(list --na EXPECT "--names")

# --- knob names, then their values: the raw words bash gives (KNOB, '=',
# VALUE) and the word bash-completion puts back together (KNOB=VALUE)
complete(run t --set vector_ree EXPECT "vector_reevaluate=")
complete(run t --set vector_reevaluate = EXPECT "off on")
complete(explore t --set vector_reevaluate = o EXPECT "off on")
complete(run t --set vector_reevaluate = of EXPECT "off")
complete(run t --set intc = p EXPECT "ppc64")
complete(run t --set intc=x EXPECT "x86-ioapic")
# a count has no list of values
complete(run t --set fail_request_irq = EXPECT "")
# the values are those irqsim takes
foreach(knob vector_reevaluate intc fail_errno)
  execute_process(COMMAND ${IRQSIM} list values ${knob}
                  OUTPUT_VARIABLE values RESULT_VARIABLE rc)
  string(STRIP "${values}" values)
  string(REPLACE "\n" ";" values "${values}")
  list(SORT values)
  string(REPLACE ";" " " sorted "${values}")
  if(NOT rc EQUAL 0 OR NOT values)
    string(APPEND failures "\n  irqsim list values ${knob}: exit ${rc}, '${sorted}'")
  endif()
  complete(run t --set ${knob} = EXPECT "${sorted}")
  foreach(v ${values})
    execute_process(COMMAND ${IRQSIM} run ${SRC}/traces/seed000-vfio-loss.trace
                            --set ${knob}=${v} --ignore lost-interrupt
                    OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE rc)
    if(rc EQUAL 2)
      string(APPEND failures "\n  --set ${knob}=${v}, a value the completion offers, refused:\n${err}")
    endif()
  endforeach()
endforeach()

# --- profiles, verdicts, formats, strategies, traces
complete(run t --profile tglx EXPECT "tglx-reinject")
complete(explore t --profile linux-6.1 EXPECT "linux-6.16 linux-6.17 linux-6.18")
complete(run t --ignore lost-i EXPECT "lost-interrupt")
complete(run t --ignore lost-interrupt,dead EXPECT "lost-interrupt,deadlock")
# none is no verdict to ignore
complete(run t --ignore no EXPECT "no-irq-handler")
complete(run t --render ti EXPECT "timeline")
complete(render f --format s EXPECT "svg")
complete(explore t --strategy d EXPECT "dfs dpor")
complete(run seed000-vf EXPECT "seed000-vfio-loss")
complete(check seed001-ppc EXPECT "seed001-ppc64-stall")

# --- list: its kinds (those irqsim list says it prints), knobs for values
complete(list verd EXPECT "verdicts")
complete(list values vector_ree EXPECT "vector_reevaluate")
execute_process(COMMAND ${IRQSIM} list ERROR_VARIABLE err)
if(NOT err MATCHES "list needs one of: ([^\n]*)")
  string(APPEND failures "\n  irqsim list: no 'list needs one of:' in:\n${err}")
endif()
string(REPLACE " KNOB" "" kinds "${CMAKE_MATCH_1}")
string(REPLACE ", " ";" kinds "${kinds}")
list(SORT kinds)
string(REPLACE ";" " " kinds "${kinds}")
complete(list '' EXPECT "${kinds}")

# --- with bash-completion loaded (_init_completion puts KNOB=VALUE back
# together from COMP_LINE): the same values
set(bc /usr/share/bash-completion/bash_completion)
if(EXISTS ${bc})
  foreach(case "run t --set vector_reevaluate=|vector_reevaluate '='|off on"
               "run t --set vector_reevaluate=o|vector_reevaluate '=' o|off on"
               "explore t --set intc=p|intc '=' p|ppc64"
               "run t --set vector_ree|vector_ree|vector_reevaluate=")
    string(REPLACE "|" ";" case "${case}")
    list(GET case 0 line)
    list(GET case 1 tail)
    list(GET case 2 want)
    string(REGEX MATCH "^[a-z]+ t --set" head "${line}")
    set(script "source ${bc}; source '${SRC}/dist/irqsim.bash'; COMP_LINE='${IRQSIM} ${line}'; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=('${IRQSIM}' ${head} ${tail}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _irqsim; printf '%s\\n' \"\${COMPREPLY[@]}\" | sort | paste -sd' '")
    execute_process(COMMAND ${BASH} --norc --noprofile -c "${script}"
                    OUTPUT_VARIABLE got ERROR_VARIABLE err RESULT_VARIABLE rc
                    OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc EQUAL 0 OR NOT got STREQUAL "${want}")
      string(APPEND failures "\n  with bash-completion, irqsim ${line}<TAB>: '${got}', expected '${want}' (exit ${rc})${err}")
    endif()
  endforeach()
else()
  message(STATUS "no bash-completion: the completion's own word splitting only")
endif()

if(failures)
  message(FATAL_ERROR "the completion offers what irqsim does not take:${failures}")
endif()
message(STATUS "the completion offers commands, options, knobs and their values, profiles, verdicts, formats, strategies, traces and list kinds as irqsim takes them")
