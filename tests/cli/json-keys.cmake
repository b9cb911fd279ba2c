# irqsim explore --json writes one JSON object per strategy and outcome,
# and none of its objects repeats a key (readers that keep the last value
# read a finished proof as not complete). tests/cli/json_keys.c reads it
# strictly and refuses a repeated key.
# Usage: cmake -DIRQSIM=bin -DJSON_KEYS=bin -DSRC=dir -DWORK=dir -DTWIN=ON|OFF
#              -P json-keys.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(T ${SRC}/traces)

# name; expected exit; what the JSON must hold (regex, or -); arguments
set(cases
  "random-found|1|\"violation\":true|${T}/seed000-overwrite.trace"
  "random-none|0|\"complete\":false|${T}/seed000-irqbalance.trace --profile tglx-reinject --runs 20"
  "pct-found|1|\"seed\":|${T}/seed000-overwrite.trace --strategy pct --depth 4"
  "dfs-complete|0|\"complete\":true|${T}/seed000-irqbalance.trace --profile tglx-reinject --strategy dfs"
  "dfs-found|1|\"shrunk_steps\":|${T}/seed000-overwrite.trace --strategy dfs"
  "dfs-bound|0|\"pb_complete\":true|${T}/seed000-irqbalance.trace --profile tglx-reinject --strategy dfs --preemption-bound 1"
  "dfs-shards|0|\"complete\":|${T}/seed000-irqbalance.trace --profile tglx-reinject --strategy dfs --shard 0/2")
if(TWIN)
  list(APPEND cases
    "dpor-complete|0|\"complete\":true|${T}/seed000-irqbalance.trace --profile tglx-reinject --strategy dpor"
    "dfs-unreached|0|\"never_entered\":|${T}/seed000-irqbalance.trace --profile tglx-reinject --strategy dfs --unreached")
endif()

set(n 0)
foreach(c ${cases})
  string(REPLACE "|" ";" parts "${c}")
  list(GET parts 0 name)
  list(GET parts 1 want_rc)
  list(GET parts 2 want)
  list(GET parts 3 argstr)
  separate_arguments(args UNIX_COMMAND "${argstr}")
  execute_process(COMMAND ${IRQSIM} explore ${args} --json
                  OUTPUT_FILE ${WORK}/${name}.json ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL want_rc)
    message(FATAL_ERROR "${name}: explore ${args} --json exited ${rc}, not ${want_rc}: ${err}")
  endif()
  execute_process(COMMAND ${JSON_KEYS} ${WORK}/${name}.json
                  ERROR_VARIABLE err RESULT_VARIABLE rc)
  file(READ ${WORK}/${name}.json json)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${name}: not strict JSON: ${err}${json}")
  endif()
  string(FIND "${json}" "${want}" at)
  if(at LESS 0)
    message(FATAL_ERROR "${name}: no ${want} in ${json}")
  endif()
  math(EXPR n "${n} + 1")
endforeach()

# the reader itself refuses a repeated key and accepts nesting
file(WRITE ${WORK}/dup.json "{\"a\":{\"b\":1,\"c\":[1,{\"b\":2}]},\"a\":true}\n")
execute_process(COMMAND ${JSON_KEYS} ${WORK}/dup.json
                ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 1 OR NOT err MATCHES "key \"a\" repeated")
  message(FATAL_ERROR "json_keys took a repeated key (exit ${rc}): ${err}")
endif()
file(WRITE ${WORK}/nested.json "{\"a\":{\"b\":1},\"b\":{\"b\":2,\"c\":-1.5e3}}\n")
execute_process(COMMAND ${JSON_KEYS} ${WORK}/nested.json
                ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "json_keys refused valid JSON: ${err}")
endif()
message(STATUS "${n} --json outputs: strict JSON, one key per meaning")
