# irqsim --version and what it records: irqsim --version, irqsim version
# and COMMAND --version print "irqsim X.Y.Z" (the project's version) with
# git describe of the tree when it was built from a git checkout;
# cmake/version.cmake gives the same text for the same tree, and the
# version alone for a tree without git. A saved run and a shard report
# name the irqsim that wrote them (made-by), --json says it; replay and
# merge note a different one on stderr and answer as before, and a file
# without the line (every saved run before it, tests/) reads as before.
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir -DVERSION=x.y.z -P version.cmake
cmake_minimum_required(VERSION 3.18)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(loss ${SRC}/traces/seed000-vfio-loss.trace)
set(failures "")

# irqsim(RC ARGS...): out, err
macro(irqsim want)
  execute_process(COMMAND ${IRQSIM} ${ARGN} WORKING_DIRECTORY ${WORK}
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

function(expect_not_in text what why)
  string(FIND "${text}" "${what}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "${why}: did not expect '${what}' in:\n${text}")
  endif()
endfunction()

# --- The version, however it is asked for.
irqsim(0 --version)
set(version_line "${out}")
string(STRIP "${out}" version)
if(NOT version_line MATCHES "^irqsim ${VERSION}( [(]git [-.a-zA-Z0-9_+]+[)])?\n$")
  message(FATAL_ERROR "irqsim --version: '${version_line}' is not 'irqsim ${VERSION} [(git DESCRIBE)]'")
endif()
find_program(GIT git)
if(GIT AND EXISTS ${SRC}/.git AND NOT version MATCHES "[(]git ")
  message(FATAL_ERROR "irqsim --version: '${version}' names no commit, built from a git checkout")
endif()
foreach(args "version" "run;${loss};--version" "list;--vers" "explore;--version")
  irqsim(0 ${args})
  if(NOT out STREQUAL version_line)
    message(FATAL_ERROR "irqsim ${args}: '${out}', not '${version_line}'")
  endif()
endforeach()
irqsim(0 --help)
expect_in("${out}" "${version}: " "--help's first line")
# irqsim(1) is the page of this version
file(STRINGS ${SRC}/dist/irqsim.1 th REGEX "^[.]TH ")
expect_in("${th}" "\"irqsim ${VERSION}\"" "irqsim(1)'s .TH line")

# --- cmake/version.cmake: the same text for the same tree; a tree
# without git metadata gives the version alone.
foreach(i a b)
  execute_process(COMMAND ${CMAKE_COMMAND} -DSRC=${SRC} -DVERSION=${VERSION}
                          -DOUT=${WORK}/${i}.h -P ${SRC}/cmake/version.cmake
                  RESULT_VARIABLE rc)
  file(READ ${WORK}/${i}.h ${i})
endforeach()
if(NOT rc EQUAL 0 OR NOT a STREQUAL b OR NOT a MATCHES "\"irqsim ${VERSION}")
  message(FATAL_ERROR "cmake/version.cmake twice: exit ${rc}\n${a}\n${b}")
endif()
file(MAKE_DIRECTORY ${WORK}/nogit)
execute_process(COMMAND ${CMAKE_COMMAND} -DSRC=${WORK}/nogit -DVERSION=${VERSION}
                        -DOUT=${WORK}/nogit.h -P ${SRC}/cmake/version.cmake
                RESULT_VARIABLE rc)
file(READ ${WORK}/nogit.h nogit)
expect_in("${nogit}" "#define IRQSIM_VERSION_STRING \"irqsim ${VERSION}\"\n"
          "cmake/version.cmake of a tree without git (exit ${rc})")
message(STATUS "${version}: from --version, version, COMMAND --version, --help, irqsim(1)")

# --- Saved runs: made-by; replay notes another irqsim, and a file
# without the line replays as before.
# seed 0: the loss (the first seed explore finds it at)
irqsim(1 run ${loss} --seed 0 --save run.irqsim)
file(STRINGS ${WORK}/run.irqsim lines LIMIT_COUNT 2)
list(GET lines 1 second)
if(NOT second STREQUAL "made-by ${version}")
  message(FATAL_ERROR "a saved run's second line: '${second}', not 'made-by ${version}'")
endif()
irqsim(1 replay run.irqsim --render text)
set(replayed "${out}")
expect_not_in("${err}" "note:" "replay of this irqsim's file")
file(READ ${WORK}/run.irqsim text)
string(REPLACE "made-by ${version}\n" "made-by irqsim 0.0.1 (git 0123abc)\n"
       other "${text}")
string(REPLACE "made-by ${version}\n" "" old "${text}")
file(WRITE ${WORK}/other.irqsim "${other}")
file(WRITE ${WORK}/old.irqsim "${old}")
irqsim(1 replay other.irqsim --render text)
expect_in("${err}" "irqsim: note: other.irqsim was made by irqsim 0.0.1 (git 0123abc); this is ${version}\n"
          "replay of another irqsim's file")
if(NOT out STREQUAL replayed)
  message(FATAL_ERROR "replay of another irqsim's file printed another run:\n${out}")
endif()
irqsim(1 replay old.irqsim --render text)
expect_not_in("${err}" "note:" "replay of a file without made-by")
if(NOT out STREQUAL replayed)
  message(FATAL_ERROR "replay of the file without made-by printed another run:\n${out}")
endif()
# every saved run the tests keep (some diverge on purpose): its header
# read as before, no note (tests/determinism/compare replays them all
# against another build byte for byte)
file(GLOB kept ${SRC}/tests/trace/golden/*.irqsim
               ${SRC}/tests/fuzz/corpus/saved/*.irqsim)
foreach(f ${kept})
  execute_process(COMMAND ${IRQSIM} replay ${f} ERROR_VARIABLE err
                  RESULT_VARIABLE rc OUTPUT_QUIET)
  if(err MATCHES "note: .* was made by|unknown line|format version")
    message(FATAL_ERROR "replay ${f}: exit ${rc}\n${err}")
  endif()
endforeach()
set(golden ${SRC}/tests/trace/golden/seed000-tglx-timeline)
irqsim(1 render ${golden}.irqsim --format timeline)
file(READ ${golden}.timeline want)
if(NOT out STREQUAL want)
  message(FATAL_ERROR "the golden saved run (no made-by) no longer renders its golden timeline")
endif()
list(LENGTH kept n)
message(STATUS "saved runs: made-by written, another noted, ${n} kept files without it replay as before")

# --- Reports and --json.
# seeds 1 to 3 miss the loss: a report of a search without a violation
irqsim(0 explore ${loss} --seed 1 --runs 3 --report a.report --json)
expect_in("${out}" ",\"made_by\":\"${version}\"," "--json")
file(READ ${WORK}/a.report text)
expect_in("${text}" "\nmade-by ${version}\n" "--report")
irqsim(0 merge a.report)
set(merged "${out}")
expect_not_in("${err}" "note:" "merge of this irqsim's report")
string(REPLACE "made-by ${version}\n" "made-by irqsim 0.0.1\n" other "${text}")
string(REPLACE "made-by ${version}\n" "" old "${text}")
file(WRITE ${WORK}/other.report "${other}")
file(WRITE ${WORK}/old.report "${old}")
irqsim(0 merge other.report)
expect_in("${err}" "irqsim: note: other.report was made by irqsim 0.0.1; this is ${version}\n"
          "merge of another irqsim's report")
if(NOT out STREQUAL merged)
  message(FATAL_ERROR "merge of another irqsim's report answered otherwise:\n${out}")
endif()
irqsim(0 merge old.report)
if(NOT out STREQUAL merged OR err MATCHES "note:")
  message(FATAL_ERROR "merge of a report without made-by:\n${out}${err}")
endif()
message(STATUS "reports and --json: made-by written, another noted, none read as before")
