# Every reproducer irqsim prints gives the run it names. For run and
# explore (random, pct, dfs, dpor; shrunk and not; --profile, --set and
# --ignore), each "reproduce...: irqsim ..." line is run as printed and
# must give the verdict of the run it names, after the same number of
# steps: "reproduce" and "reproduce (shrunk)" the summary's, "reproduce
# (as found)" the one "the run as found gave". Each must carry every
# --profile, --set and --ignore of the command.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir -DTWIN=ON|OFF -P repro.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(T ${SRC}/traces)
set(opts "--profile linux-6.16 --set storm_bound=3 --ignore lost-interrupt")

set(cases
  "explore ${T}/seed000-overwrite.trace ${opts}"
  "explore ${T}/seed000-vfio-loss.trace --no-shrink --profile linux-6.16"
  "explore ${T}/seed000-overwrite.trace --profile linux-6.16 --ignore lost-interrupt --strategy pct --depth 4"
  "explore ${T}/seed000-overwrite.trace --strategy pct ${opts}"
  "explore ${T}/seed000-overwrite.trace --strategy dfs --set storm_bound=3 --ignore vector-binding-lost"
  "explore ${T}/seed000-overwrite.trace --strategy dfs --jobs 2 ${opts}"
  "explore ${T}/seed000-overwrite.trace --strategy dfs --no-shrink --profile linux-6.16"
  "run ${T}/seed000-vfio-loss.trace --seed 64 --profile linux-6.16 --ignore vector-binding-lost")
if(TWIN)
  list(APPEND cases
    "explore ${T}/seed000-overwrite.trace --strategy dpor ${opts}"
    "explore ${T}/seed000-overwrite.trace --strategy dpor --ignore vector-binding-lost")
endif()

set(verdict_re "([A-Za-z0-9_.-]+): ([a-z-]+ after [0-9]+ steps)")
set(checked 0)
foreach(c ${cases})
  separate_arguments(args UNIX_COMMAND "${c}")
  execute_process(COMMAND ${IRQSIM} ${args}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 1)
    message(FATAL_ERROR "irqsim ${c}: expected a violation (exit 1), got ${rc}:\n${out}${err}")
  endif()
  string(REGEX MATCH "\n${verdict_re}" m "\n${out}")
  if(NOT m)
    message(FATAL_ERROR "irqsim ${c}: no verdict line in:\n${out}")
  endif()
  set(name ${CMAKE_MATCH_1})
  set(summary "${CMAKE_MATCH_1}: ${CMAKE_MATCH_2}")
  set(as_found "${summary}")
  if(out MATCHES "the run as found gave ([a-z-]+ after [0-9]+ steps)")
    set(as_found "${name}: ${CMAKE_MATCH_1}")
  endif()
  # the options that change a run, each as given
  string(REGEX MATCHALL "--(profile|set|ignore) [^ ]+" needed "${c}")
  string(REGEX MATCHALL "  reproduce[^:\n]*: irqsim [^\n]*" lines "${out}")
  list(LENGTH lines nlines)
  if(nlines EQUAL 0)
    message(FATAL_ERROR "irqsim ${c}: no reproducer in:\n${out}")
  endif()
  if(out MATCHES "shrunk: " AND NOT nlines EQUAL 2)
    message(FATAL_ERROR "irqsim ${c}: a shrunk run needs two reproducers (as found, shrunk):\n${out}")
  endif()
  foreach(line ${lines})
    string(REGEX MATCH "^  (reproduce[^:]*): irqsim (.*)$" m "${line}")
    set(label "${CMAKE_MATCH_1}")
    set(cmd "${CMAKE_MATCH_2}")
    if(label STREQUAL "reproduce (as found)")
      set(want "${as_found}")
    else()
      set(want "${summary}")
    endif()
    foreach(n ${needed})
      string(FIND "${cmd}" "${n}" at)
      if(at LESS 0)
        message(FATAL_ERROR "irqsim ${c}:\n${line}\nleaves out ${n}")
      endif()
    endforeach()
    separate_arguments(rargs UNIX_COMMAND "${cmd}")
    execute_process(COMMAND ${IRQSIM} ${rargs}
                    OUTPUT_VARIABLE rout ERROR_VARIABLE rerr
                    RESULT_VARIABLE rrc)
    string(REGEX MATCH "\n${verdict_re}" m "\n${rout}")
    set(got "${CMAKE_MATCH_1}: ${CMAKE_MATCH_2}")
    if(NOT rrc EQUAL 1 OR NOT m OR NOT got STREQUAL want)
      message(FATAL_ERROR "irqsim ${c}\nprinted\n${line}\nwhich gives (exit ${rrc}) '${got}', not '${want}':\n${rout}${rerr}")
    endif()
    math(EXPR checked "${checked} + 1")
  endforeach()
endforeach()
message(STATUS "${checked} printed reproducers give the runs they name")
