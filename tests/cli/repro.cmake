# Every reproducer irqsim prints gives the run it names. For run and
# explore (random, pct, dfs, dpor; shrunk and not; --profile, --set,
# --ignore, KIND:OBJECT too, and --only), each "reproduce...: irqsim ..."
# line is run as printed and must give the verdict of the run it names,
# after the same number of steps: "reproduce" and "reproduce (shrunk)"
# the summary's, "reproduce (as found)" the one "the run as found gave".
# Each must carry every --profile, --set, --ignore and --only of the
# command.
# irqsim merge of shards (random, pct, dfs) prints a complete reproducer
# from the options each report (version 3) carries; random and pct give
# the command one machine prints; version 2 reports still merge.
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
  "run ${T}/seed000-vfio-loss.trace --seed 64 --profile linux-6.16 --ignore vector-binding-lost"
  # a verdict kind ignored for one device only (issue 23)
  "explore ${T}/two-devices-one-loses.trace --strategy dfs --ignore lost-interrupt:nic1"
  "explore ${T}/two-devices-one-loses.trace --ignore lost-interrupt:nic1.0"
  # one device judged alone (issue 23)
  "explore ${T}/two-devices-scoped.trace --strategy dfs --profile linux-6.16 --only nic0"
  "explore ${T}/two-devices-scoped.trace --profile linux-6.16 --only nic0 --ignore lost-interrupt")
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
  string(REGEX MATCHALL "--(profile|set|ignore|only) [^ ]+" needed "${c}")
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

# merge: the reports carry the options
set(tr ${T}/seed000-overwrite.trace)
separate_arguments(oargs UNIX_COMMAND "${opts}")
foreach(strategy random pct dfs)
  set(reports)
  foreach(i 1 0)
    execute_process(COMMAND ${IRQSIM} explore ${tr} --strategy ${strategy}
                            ${oargs} --shard ${i}/2
                            --report ${WORK}/${strategy}${i}.txt
                    OUTPUT_QUIET RESULT_VARIABLE rc)
    list(APPEND reports ${WORK}/${strategy}${i}.txt)
  endforeach()
  execute_process(COMMAND ${IRQSIM} merge ${reports}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  string(REGEX MATCH "\n  reproduce: irqsim ([^\n]*)" m "${out}")
  set(cmd "${CMAKE_MATCH_1}")
  string(REGEX MATCH "\nseed000-overwrite: ([a-z-]+)\n" m2 "${out}")
  set(want "${CMAKE_MATCH_1}")
  if(NOT rc EQUAL 1 OR NOT m OR NOT m2 OR cmd MATCHES "shards'")
    message(FATAL_ERROR "merge of ${strategy} shards: no complete reproducer (exit ${rc}):\n${out}${err}")
  endif()
  foreach(n --profile linux-6.16 --set storm_bound=3 --ignore lost-interrupt)
    string(FIND "${cmd}" "${n}" at)
    if(at LESS 0)
      message(FATAL_ERROR "merge of ${strategy} shards:\n${cmd}\nleaves out ${n}")
    endif()
  endforeach()
  separate_arguments(rargs UNIX_COMMAND "${cmd}")
  execute_process(COMMAND ${IRQSIM} ${rargs}
                  OUTPUT_VARIABLE rout ERROR_VARIABLE rerr RESULT_VARIABLE rrc)
  if(NOT rrc EQUAL 1 OR NOT "\n${rout}" MATCHES "\nseed000-overwrite: ${want} after")
    message(FATAL_ERROR "merge of ${strategy} shards printed\n${cmd}\nwhich does not give ${want} (exit ${rrc}):\n${rout}${rerr}")
  endif()
  if(NOT strategy STREQUAL "dfs")
    execute_process(COMMAND ${IRQSIM} explore ${tr} --strategy ${strategy} ${oargs}
                    OUTPUT_VARIABLE one)
    string(FIND "${one}" "reproduce (as found): irqsim ${cmd}\n" at)
    if(at LESS 0)
      message(FATAL_ERROR "merge of ${strategy} shards printed\n${cmd}\none machine:\n${one}")
    endif()
  endif()
  math(EXPR checked "${checked} + 1")
endforeach()

# a version 2 report (no options line) still merges, and says what it lacks
foreach(i 0 1)
  file(READ ${WORK}/random${i}.txt r)
  string(REPLACE "irqsim-report 4" "irqsim-report 2" r "${r}")
  string(REGEX REPLACE "\n(options|depth|schedule|windows-[a-z]+)[^\n]*" "" r "${r}")
  file(WRITE ${WORK}/v2-${i}.txt "${r}")
endforeach()
execute_process(COMMAND ${IRQSIM} merge ${WORK}/v2-0.txt ${WORK}/v2-1.txt
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 1 OR NOT out MATCHES "a version 2 report does not name them")
  message(FATAL_ERROR "merge of version 2 reports (exit ${rc}):\n${out}${err}")
endif()
file(WRITE ${WORK}/v9.txt "irqsim-report 9\n")
execute_process(COMMAND ${IRQSIM} merge ${WORK}/v9.txt
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 2 OR NOT err MATCHES "not an irqsim report of version 2 to 4")
  message(FATAL_ERROR "merge of a version 9 report (exit ${rc}):\n${out}${err}")
endif()
message(STATUS "${checked} printed reproducers (3 of merge) give the runs they name")
