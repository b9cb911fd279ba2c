# Issue 25: explore --state-profile. The profile attributes every
# distinct state and every transition of the search to a source, so its
# tables must add up to what the search itself counted (the --json
# summary's "distinct", "transitions", "end_states"): each count is
# summed here from the rows, not read from the profile's own totals. The
# profile is strict JSON, the same for the same search, and bad use is
# said before any search runs (exit 2).
# Usage: cmake -DIRQSIM=bin -DJSON_KEYS=bin -DSRC=dir -DWORK=dir
#              -P state-profile.cmake
cmake_minimum_required(VERSION 3.19)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(T ${SRC}/traces)
set(B ${SRC}/bench/traces)

# name; expected exit; arguments
set(cases
  "sleep-sets|0|${T}/seed000-irqbalance.trace --profile tglx-reinject --strategy dfs"
  "no-por|0|${B}/churn-1v.trace --profile tglx-reinject --strategy dfs --no-por"
  "violation|1|${T}/seed000-overwrite.trace --strategy dfs --no-shrink"
  "cut|0|${B}/churn-1v.trace --profile tglx-reinject --strategy dfs --no-por --max-states 1000"
  "preemption-bound|0|${T}/seed000-irqbalance.trace --profile tglx-reinject --strategy dfs --preemption-bound 1")

function(sum_members json array member out)
  string(JSON len LENGTH "${json}" state_profile ${array})
  set(total 0)
  if(len GREATER 0)
    math(EXPR last "${len} - 1")
    foreach(i RANGE ${last})
      if(member STREQUAL "")
        string(JSON v GET "${json}" state_profile ${array} ${i})
        math(EXPR v "${v} * ${i}")
      else()
        string(JSON v GET "${json}" state_profile ${array} ${i} ${member})
      endif()
      math(EXPR total "${total} + ${v}")
    endforeach()
  endif()
  set(${out} ${total} PARENT_SCOPE)
endfunction()

function(expect_equal name what got want)
  if(NOT got EQUAL want)
    message(FATAL_ERROR "${name}: ${what} is ${got}, the search counted ${want}")
  endif()
endfunction()

foreach(c ${cases})
  string(REPLACE "|" ";" parts "${c}")
  list(GET parts 0 name)
  list(GET parts 1 want_rc)
  list(GET parts 2 argstr)
  separate_arguments(args UNIX_COMMAND "${argstr}")
  execute_process(COMMAND ${IRQSIM} explore ${args} --json
                          --state-profile ${WORK}/${name}.json
                  OUTPUT_VARIABLE summary ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL want_rc)
    message(FATAL_ERROR "${name}: exit ${rc}, not ${want_rc}: ${err}")
  endif()
  execute_process(COMMAND ${JSON_KEYS} ${WORK}/${name}.json
                  ERROR_VARIABLE err RESULT_VARIABLE rc)
  file(READ ${WORK}/${name}.json p)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${name}: the profile is not strict JSON: ${err}${p}")
  endif()
  string(JSON distinct GET "${summary}" distinct)
  string(JSON transitions GET "${summary}" transitions)
  string(JSON end_states GET "${summary}" end_states)

  string(JSON starts GET "${p}" state_profile starts)
  sum_members("${p}" sources states by_sources)
  math(EXPR by_sources "${by_sources} + ${starts}")
  expect_equal(${name} "start states plus the sources' states" ${by_sources} ${distinct})
  sum_members("${p}" points states by_points)
  math(EXPR by_points "${by_points} + ${starts}")
  expect_equal(${name} "start states plus the points' states" ${by_points} ${distinct})
  sum_members("${p}" sources fired fired)
  expect_equal(${name} "the sources' fired transitions" ${fired} ${transitions})
  string(JSON nen LENGTH "${p}" state_profile by_enabled)
  set(by_enabled 0)
  math(EXPR last "${nen} - 1")
  foreach(i RANGE ${last})
    string(JSON v GET "${p}" state_profile by_enabled ${i})
    math(EXPR by_enabled "${by_enabled} + ${v}")
  endforeach()
  expect_equal(${name} "the states by enabled count" ${by_enabled} ${distinct})
  # end states: stored states with nothing enabled (one worker, complete
  # or cut, the search counts each once)
  string(JSON ends GET "${p}" state_profile by_enabled 0)
  expect_equal(${name} "the states with nothing enabled" ${ends} ${end_states})
  # every enabled transition of every state belongs to one source
  sum_members("${p}" sources enabled enabled)
  sum_members("${p}" by_enabled "" weighted)
  if(NOT enabled EQUAL weighted)
    message(FATAL_ERROR "${name}: the sources are enabled ${enabled} times, the states enable ${weighted}")
  endif()
  string(JSON used GET "${p}" state_profile memory used)
  expect_equal(${name} "the visited set's entries" ${used} ${distinct})

  # the same search, the same profile, byte for byte
  execute_process(COMMAND ${IRQSIM} explore ${args} --json
                          --state-profile ${WORK}/${name}-again.json
                  OUTPUT_QUIET ERROR_QUIET)
  file(READ ${WORK}/${name}-again.json again)
  if(NOT p STREQUAL again)
    message(FATAL_ERROR "${name}: two runs of one search gave two profiles")
  endif()
endforeach()

# The tables, on standard error after the summary.
execute_process(COMMAND ${IRQSIM} explore ${B}/churn-1v.trace --profile tglx-reinject
                        --strategy dfs --state-profile -
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
string(REGEX MATCH "dfs complete: [0-9]+ states, ([0-9]+) distinct, ([0-9]+) transitions" m "${out}")
if(NOT rc EQUAL 0 OR NOT m)
  message(FATAL_ERROR "--state-profile -: exit ${rc}, no summary:\n${out}${err}")
endif()
foreach(want
    "state-space profile \\(dfs\\): ${CMAKE_MATCH_1} distinct states \\(1 start, [0-9]+ first reached by a transition\\), ${CMAKE_MATCH_2} transitions fired\n"
    "\n1\\. distinct states by the transition that first reached them\n"
    "\n  vcpu0 +[a-z_0-9]+:[0-9]+ +[0-9]+ +[0-9.]+%\n"
    "\n2\\. branching: "
    "\n3\\. bytes per state\n"
    "\n4\\. program points by the distinct states found below them")
  if(NOT err MATCHES "${want}")
    message(FATAL_ERROR "--state-profile -: no '${want}' in:\n${err}")
  endif()
endforeach()

# Bad use: said, exit 2, before a search.
set(bad
  "--strategy random --state-profile ${WORK}/x.txt|--state-profile profiles --strategy dfs"
  "--strategy dfs --jobs 2 --state-profile ${WORK}/x.txt|no --jobs or --shard"
  "--strategy dfs --state-profile ${WORK}/no-such-dir/p.txt|cannot write ${WORK}/no-such-dir/p.txt"
  "--strategy dfs --state-profile|option --state-profile needs a value")
foreach(b ${bad})
  string(REPLACE "|" ";" parts "${b}")
  list(GET parts 0 argstr)
  list(GET parts 1 want)
  separate_arguments(args UNIX_COMMAND "${argstr}")
  execute_process(COMMAND ${IRQSIM} explore ${T}/seed000-irqbalance.trace ${args}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  string(FIND "${err}" "${want}" at)
  if(NOT rc EQUAL 2 OR at EQUAL -1 OR out)
    message(FATAL_ERROR "explore ${argstr}: exit ${rc}, not 2 with '${want}' and no search:\n${out}${err}")
  endif()
endforeach()
if(EXISTS ${WORK}/x.txt)
  message(FATAL_ERROR "a refused --state-profile wrote its file")
endif()
list(LENGTH cases n)
message(STATUS "${n} searches: the profile's tables add up to the search's counts")
