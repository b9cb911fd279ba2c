# For the tests that search every trace to its end (jobs-exact,
# incremental-fp, dist-exact): ${ignore}, every verdict kind but none and
# model-warning, for --ignore (so that no search stops at a violation);
# ${traces}, every trace whose exhaustive search is within reach (all of
# traces/ but churn-3x2, and bench/traces/churn-1v); and
# search_counts(OUT COMMAND...), "distinct end_states complete" of the dfs
# COMMAND runs (irqsim explore TRACE ..., or under mpirun) with every
# verdict ignored. IRQSIM and SRC set.
execute_process(COMMAND ${IRQSIM} list verdicts --names
                OUTPUT_VARIABLE kinds RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "irqsim list verdicts --names: exit ${rc}")
endif()
string(REGEX REPLACE "\n$" "" kinds "${kinds}")
string(REPLACE "\n" ";" kinds "${kinds}")
list(REMOVE_ITEM kinds none model-warning)
string(REPLACE ";" "," ignore "${kinds}")
file(GLOB traces ${SRC}/traces/*.trace)
list(FILTER traces EXCLUDE REGEX "churn-3x2")
list(APPEND traces ${SRC}/bench/traces/churn-1v.trace)

function(search_counts out)
  execute_process(COMMAND ${ARGN} --strategy dfs --json --ignore ${ignore}
                  OUTPUT_VARIABLE json ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN}: exit ${rc}\n${err}")
  endif()
  string(REGEX MATCH "\"distinct\":[0-9]+" d "${json}")
  string(REGEX MATCH "\"end_states\":[0-9]+" e "${json}")
  string(REGEX MATCH "\"complete\":(true|false)" c "${json}")
  set(${out} "${d} ${e} ${c}" PARENT_SCOPE)
endfunction()
