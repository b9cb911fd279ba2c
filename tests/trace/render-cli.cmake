# The render paths of the irqsim command, end to end:
#  - the golden timeline and text through the committed saved run
#    (tests/trace/golden/*.irqsim, made by tests/trace/golden/update);
#  - every format from render, run, explore and replay, to -o files;
#  - bad input: a clear message and exit status 2.
# Usage: cmake -DIRQSIM=bin -DSRC=source-dir -DWORK=dir -P render-cli.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(saved ${SRC}/tests/trace/golden/seed000-tglx-timeline.irqsim)
set(trace ${SRC}/traces/seed000-tglx-timeline.trace)

function(irqsim expect_rc)
  execute_process(COMMAND ${IRQSIM} ${ARGN}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL expect_rc)
    message(FATAL_ERROR "irqsim ${ARGN}: exit ${rc}, expected ${expect_rc}\n${out}${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

function(expect_in text pattern what)
  string(FIND "${text}" "${pattern}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: no '${pattern}' in:\n${text}")
  endif()
endfunction()

# The golden files, rendered from the saved run (exit 1: it has a violation).
foreach(format timeline text)
  irqsim(1 render ${saved} --format ${format})
  file(READ ${SRC}/tests/trace/golden/seed000-tglx-timeline.${format} want)
  if(NOT out STREQUAL want)
    file(WRITE ${WORK}/got.${format} "${out}")
    message(FATAL_ERROR "render --format ${format} of ${saved} differs from the golden file: see ${WORK}/got.${format}")
  endif()
endforeach()

# Every format to a file.
foreach(format dot svg png json timeline text)
  irqsim(1 render ${saved} --format ${format} -o ${WORK}/out.${format})
  file(SIZE ${WORK}/out.${format} size)
  if(size EQUAL 0)
    message(FATAL_ERROR "render --format ${format}: empty output")
  endif()
endforeach()
file(READ ${WORK}/out.png magic LIMIT 8 HEX)
if(NOT magic STREQUAL "89504e470d0a1a0a")
  message(FATAL_ERROR "out.png is not a PNG (${magic})")
endif()
file(READ ${WORK}/out.svg head LIMIT 5)
expect_in("${head}" "<?xml" "out.svg")
file(READ ${WORK}/out.dot head LIMIT 7)
expect_in("${head}" "digraph" "out.dot")

# --render on run, explore and replay: the document to -o, the summary on
# stdout as before.
irqsim(1 run ${trace} --render json -o ${WORK}/run.json)
expect_in("${out}" "lost-interrupt" "run --render json")
file(READ ${WORK}/run.json head LIMIT 20)
expect_in("${head}" "{\"displayTimeUnit\"" "run.json")
irqsim(1 explore ${SRC}/traces/seed000-vfio-loss.trace --save ${WORK}/loss.irqsim
       --render svg -o ${WORK}/loss.svg)
expect_in("${out}" "irqsim replay ${WORK}/loss.irqsim\n" "explore --save --render svg")
# the diagram goes to -o, not into the summary
file(READ ${WORK}/loss.svg head LIMIT 2000)
expect_in("${head}" "<svg" "explore -o loss.svg")
string(FIND "${out}" "<svg" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "explore --render svg -o ${WORK}/loss.svg: the svg went to stdout")
endif()
irqsim(1 replay ${WORK}/loss.irqsim --render dot -o ${WORK}/loss.dot)
expect_in("${out}" "lost-interrupt" "replay --render dot")
irqsim(1 replay ${WORK}/loss.irqsim --render timeline)
expect_in("${out}" "became inevitable" "replay --render timeline")

# Bad input: a message, exit 2.
irqsim(2 render ${saved} --format bogus)
expect_in("${err}" "unknown format 'bogus'" "unknown format")
expect_in("${err}" "text, timeline, dot, svg, png, json" "unknown format")
irqsim(2 run ${trace} --render gif)
expect_in("${err}" "unknown format 'gif'" "run --render gif")
irqsim(2 render ${saved})
expect_in("${err}" "render needs --format" "render without --format")
irqsim(2 render ${WORK}/missing.irqsim --format text)
expect_in("${err}" "cannot open" "missing file")
irqsim(2 render ${trace} --format text)
expect_in("${err}" "not an irqsim saved run" "a trace is not a saved run")
file(READ ${saved} saved_text)
string(REGEX REPLACE "^irqsim-run [0-9]+\n" "irqsim-run 3\n" v3_text "${saved_text}")
file(WRITE ${WORK}/v3.irqsim "${v3_text}")
irqsim(2 replay ${WORK}/v3.irqsim)
expect_in("${err}" "v3.irqsim:1: saved-run format version 3 is not supported"
          "a saved run of another format version")
irqsim(2 render ${saved} --format png -o ${WORK}/no/such/dir/x.png)
expect_in("${err}" "cannot write" "unwritable -o")
irqsim(2 run ${trace} --render svg)
expect_in("${err}" "give -o OUT" "run --render svg without -o")
irqsim(2 replay ${saved} --render json)
expect_in("${err}" "give -o OUT" "replay --render json without -o")
irqsim(2 run ${trace} -o ${WORK}/x.txt)
expect_in("${err}" "needs --render" "-o without --render")
message(STATUS "render paths, golden files and bad input: as expected")

# A run's --ignore is saved (format 2) and its replay judges the same way:
# the mail's trace order is misrouted first, lost-eoi once that is ignored.
set(order ${SRC}/traces/seed003-trace-order.trace)
irqsim(1 run ${order} --ignore misrouted --save ${WORK}/ignore.irqsim)
expect_in("${out}" "lost-eoi after" "run --ignore misrouted")
file(READ ${WORK}/ignore.irqsim ignore_text)
expect_in("${ignore_text}" "\nignore misrouted\n" "the saved ignore line")
irqsim(1 replay ${WORK}/ignore.irqsim)
expect_in("${out}" "lost-eoi after" "replay of a run that ignored misrouted")
