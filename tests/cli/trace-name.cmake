# A TRACE argument that names no file but is the name of a trace irqsim
# list traces shows (NAME or NAME.trace) is that trace: run, explore and
# check take it, from any directory, and say the path they ran
# (reproducers, saved runs' source line), so what they print pastes
# anywhere; a file of that name in the current directory comes first;
# IRQSIM_TRACES moves the directory; the twin (dpor) finds it too.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir [-DTWIN=ON] -P trace-name.cmake
cmake_minimum_required(VERSION 3.18)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/elsewhere)
set(loss ${SRC}/traces/seed000-vfio-loss.trace)

# irqsim(RC ARGS...): run in WORK/elsewhere (no traces there); out, err
macro(irqsim want)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=IRQSIM_TRACES
                          ${IRQSIM} ${ARGN}
                  WORKING_DIRECTORY ${WORK}/elsewhere
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT "${rc}" STREQUAL "${want}")
    message(FATAL_ERROR "irqsim ${ARGN}: exit ${rc}, expected ${want}\n${out}${err}")
  endif()
endmacro()

function(expect_in text what why)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${why}: expected '${what}' in:\n${text}")
  endif()
endfunction()

# --- run, explore, check by name: the same as by path, the path said
irqsim(1 run ${loss} --seed 0)
set(by_path "${out}")
expect_in("${out}" "reproduce: irqsim run ${loss} --seed 0" "run by path")
foreach(name seed000-vfio-loss seed000-vfio-loss.trace)
  irqsim(1 run ${name} --seed 0)
  if(NOT out STREQUAL by_path)
    message(FATAL_ERROR "run ${name}: not the run of ${loss}:\n${out}")
  endif()
endforeach()
irqsim(1 explore seed000-vfio-loss --runs 100)
expect_in("${out}" "reproduce (as found): irqsim run ${loss} --seed 0" "explore by name")
irqsim(0 check seed000-tglx-timeline)
expect_in("${out}" "PASS ${SRC}/traces/seed000-tglx-timeline.trace:" "check by name")

# --- a saved run records the path it ran, and replays anywhere
irqsim(1 run seed000-vfio-loss --seed 0 --save ${WORK}/byname.irqsim)
file(STRINGS ${WORK}/byname.irqsim source REGEX "^source ")
if(NOT source STREQUAL "source ${loss}")
  message(FATAL_ERROR "run NAME --save: '${source}', not 'source ${loss}'")
endif()
irqsim(1 replay ${WORK}/byname.irqsim)
expect_in("${out}" "lost-interrupt" "replay of a run saved by name")

# --- a file of that name here comes first
file(COPY_FILE ${SRC}/traces/seed000-tglx-timeline.trace
     ${WORK}/elsewhere/seed000-vfio-loss)
irqsim(1 run seed000-vfio-loss)
expect_in("${out}" "reproduce: irqsim run seed000-vfio-loss" "a file in the current directory")
expect_in("${out}" "seed000-tglx-timeline: " "the file in the current directory, not the trace")
file(REMOVE ${WORK}/elsewhere/seed000-vfio-loss)

# --- IRQSIM_TRACES names the directory; a path is never a name
file(MAKE_DIRECTORY ${WORK}/mine)
file(COPY_FILE ${SRC}/traces/seed000-tglx-timeline.trace ${WORK}/mine/my-race.trace)
execute_process(COMMAND ${CMAKE_COMMAND} -E env IRQSIM_TRACES=${WORK}/mine
                        ${IRQSIM} run my-race
                WORKING_DIRECTORY ${WORK}/elsewhere
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "IRQSIM_TRACES=mine run my-race: exit ${rc}\n${out}${err}")
endif()
expect_in("${out}" "reproduce: irqsim run ${WORK}/mine/my-race.trace" "IRQSIM_TRACES")
irqsim(2 run my-race)
expect_in("${err}" "my-race: cannot open" "a name no directory has")
irqsim(2 run nowhere/seed000-vfio-loss)
expect_in("${err}" "nowhere/seed000-vfio-loss: cannot open" "a path is not a name")

# --- the twin, which explore runs for dpor, finds it as well
if(TWIN)
  irqsim(1 explore seed000-vfio-loss --strategy dpor)
  expect_in("${out}" "irqsim run ${loss} --schedule" "explore NAME --strategy dpor")
endif()
message(STATUS "traces by name: run, explore, check, saved runs, IRQSIM_TRACES, a file here first")
