# Issue 19: every promise the command line makes holds. Writes are atomic
# (a failed write leaves the old file), failures say why and exit 2, ...
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir [-DTWIN=ON] -P robust.cmake
cmake_minimum_required(VERSION 3.18)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(T ${SRC}/traces)
set(saved ${SRC}/tests/trace/golden/seed000-tglx-timeline.irqsim)

# irqsim(RC ARGS...): run it, expect exit status RC; out and err are set.
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

# irqsim_limited(RC ARGS...): the same under a 1 KiB file size limit.
macro(irqsim_limited want)
  execute_process(COMMAND sh -c "ulimit -f 2 && exec \"$@\"" sh ${IRQSIM} ${ARGN}
                  WORKING_DIRECTORY ${WORK}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT "${rc}" STREQUAL "${want}")
    message(FATAL_ERROR "(ulimit -f 2) irqsim ${ARGN}: exit ${rc}, expected ${want}\n${out}${err}")
  endif()
endmacro()

function(expect_same a b why)
  file(READ ${a} ta)
  file(READ ${b} tb)
  if(NOT ta STREQUAL tb)
    message(FATAL_ERROR "${why}: ${a} changed")
  endif()
endfunction()

function(expect_no_temp why)
  file(GLOB left ${WORK}/.*)
  if(left)
    message(FATAL_ERROR "${why}: temporary files left: ${left}")
  endif()
endfunction()

# --- A failed write leaves the file that was there (--save, --report, -o).
set(loss ${T}/seed000-vfio-loss.trace)
irqsim(0 run ${loss} --seed 3 --save good.irqsim)
file(COPY_FILE ${WORK}/good.irqsim ${WORK}/good.ref)
irqsim_limited(2 run ${loss} --seed 4 --save good.irqsim)
expect_in("${err}" "cannot write good.irqsim: File too large" "--save past the size limit")
expect_same(${WORK}/good.irqsim ${WORK}/good.ref "a failed --save")
expect_no_temp("a failed --save")
foreach(fmt text timeline dot svg png json)
  irqsim(1 render ${saved} --format ${fmt} -o good.${fmt})
  file(COPY_FILE ${WORK}/good.${fmt} ${WORK}/good.${fmt}.ref)
  file(SIZE ${WORK}/good.${fmt} size)
  if(size GREATER 2048)
    irqsim_limited(2 render ${saved} --format ${fmt} -o good.${fmt})
    expect_in("${err}" "cannot write good.${fmt}: File too large" "render ${fmt} past the size limit")
    expect_same(${WORK}/good.${fmt} ${WORK}/good.${fmt}.ref "a failed render -o (${fmt})")
  endif()
  # a device that is full: exit 2 and the reason, never 1 (a violation)
  irqsim(2 render ${saved} --format ${fmt} -o /dev/full)
  expect_in("${err}" "cannot write /dev/full: No space left on device" "render ${fmt} -o /dev/full")
  irqsim(2 replay ${saved} --render ${fmt} -o /dev/full)
  expect_in("${err}" "cannot write /dev/full: No space left on device" "replay --render ${fmt} -o /dev/full")
endforeach()
expect_no_temp("a failed render")
irqsim(2 run ${loss} --seed 3 --save /dev/full)
expect_in("${err}" "cannot write /dev/full: No space left on device" "--save /dev/full")
# seeds 5 to 9 miss the loss
irqsim(0 explore ${loss} --seed 5 --runs 5 --report good.report)
irqsim(2 explore ${loss} --seed 5 --runs 5 --report /dev/full)
expect_in("${err}" "cannot write /dev/full: No space left on device" "--report /dev/full")
irqsim(2 explore ${loss} --seed 5 --runs 5 --report ${WORK})
expect_in("${err}" "Is a directory" "--report DIR")
message(STATUS "atomic writes and the reasons of failed ones: as expected")

# --- SIGINT and SIGTERM stop a search at the next run or state: the
# summary says "interrupted" with what was covered, the report and the
# saved files are written, and the exit status is 128 + the signal.
set(churn ${T}/churn-3x2.trace)
set(quiet lost-interrupt,vector-binding-lost,no-irq-handler,device-stall,state-leak,kernel-warning)
# interrupt(SIGNAL RC ARGS...): start irqsim, send SIGNAL after 1 s
macro(interrupt sig want)
  execute_process(COMMAND sh -c "\"$@\" & p=$!; sleep 1; kill -${sig} $p; wait $p"
                          sh ${IRQSIM} ${ARGN}
                  WORKING_DIRECTORY ${WORK}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT "${rc}" STREQUAL "${want}")
    message(FATAL_ERROR "irqsim ${ARGN} (${sig} after 1 s): exit ${rc}, expected ${want}\n${out}${err}")
  endif()
  expect_in("${out}" "interrupted" "${sig} during explore ${ARGN}")
endmacro()
foreach(strategy random pct)
  file(REMOVE ${WORK}/int.report)
  interrupt(INT 130 explore ${churn} --strategy ${strategy} --ignore ${quiet}
            --runs 1000000000 --report int.report)
  expect_in("${out}" "explore: interrupted by SIGINT" "${strategy}: SIGINT")
  expect_in("${out}" "${strategy} schedules, seeds 0.." "${strategy}: what was covered")
  file(READ ${WORK}/int.report report)
  expect_in("${report}" "runs 1000000000\n" "${strategy}: the report of an interrupted search")
endforeach()
interrupt(TERM 143 explore ${churn} --strategy random --jobs 2 --ignore ${quiet}
          --runs 1000000000)
expect_in("${out}" "explore: interrupted by SIGTERM" "random --jobs 2: SIGTERM")
interrupt(INT 130 explore ${churn} --strategy dfs --ignore ${quiet} --report int.report)
expect_in("${out}" "(interrupted by SIGINT: the states searched so far)" "dfs: SIGINT")
expect_in("${out}" "no violation found (interrupted after" "dfs: the partial count")
file(READ ${WORK}/int.report report)
expect_in("${report}" "complete 0\n" "dfs: the report of an interrupted search")
interrupt(TERM 143 explore ${churn} --strategy dfs --jobs 2 --ignore ${quiet})
expect_in("${out}" "(interrupted by SIGTERM" "dfs --jobs 2: SIGTERM")
if(TWIN)
  interrupt(INT 130 explore ${churn} --strategy dpor --ignore ${quiet})
  expect_in("${out}" "dpor bounded:" "dpor: SIGINT")
  expect_in("${out}" "(interrupted by SIGINT: the states searched so far)" "dpor: SIGINT")
endif()
# irqsim check: the line being searched is not judged, the rest not run
file(STRINGS ${churn} lines)
set(body "")
foreach(l IN LISTS lines)
  if(NOT l MATCHES "^expect")
    string(APPEND body "${l}\n")
  endif()
endforeach()
foreach(kind dfs random)
  file(WRITE ${WORK}/int-${kind}.trace "${body}expect none profile=tglx-reinject strategy=${kind} runs=100000000\nexpect none\n")
  interrupt(INT 130 check int-${kind}.trace)
  expect_in("${out}" "INTERRUPTED int-${kind}.trace:" "check ${kind}: SIGINT")
  expect_in("${out}" "interrupted by SIGINT during its search: not judged; 1 line after it not run" "check ${kind}: what was not judged")
endforeach()
interrupt(TERM 143 check int-dfs.trace)
expect_in("${out}" "interrupted by SIGTERM during its search" "check: SIGTERM")
message(STATUS "SIGINT and SIGTERM during a search: as expected")

# --- --max-memory: dfs stops before its visited set passes the budget,
# says so with the partial count, writes the report, exits as a cut search.
irqsim(0 explore ${churn} --strategy dfs --ignore ${quiet} --max-memory 8M
       --report mem.report)
expect_in("${out}" "(stopped at the memory budget of 8 MiB)" "dfs --max-memory 8M")
expect_in("${out}" "no violation found (stopped at the memory budget of 8 MiB after 55705 distinct states" "dfs --max-memory 8M: the count")
file(READ ${WORK}/mem.report report)
expect_in("${report}" "complete 0\n" "dfs --max-memory: the report")
irqsim(0 explore ${churn} --strategy dfs --ignore ${quiet} --max-memory 16M --jobs 2)
expect_in("${out}" "stopped at the memory budget of 16 MiB" "dfs --jobs 2 --max-memory")
foreach(bad 0 1K 12X 2P -5M M 99999999999999999999G)
  irqsim(2 explore ${churn} --max-memory ${bad})
  expect_in("${err}" "bad memory size '${bad}'" "--max-memory ${bad}")
endforeach()
irqsim(0 explore ${churn} --strategy dfs --ignore ${quiet} --max-states 1000 --max-memory 1G)
message(STATUS "the memory budget: as expected")

# --- --bitstate: a bit array of the budget's size, never a proof; the
# same states as the visited set where the array is roomy; refused where
# a search needs what a visited set stores.
irqsim(0 explore ${T}/seed000-irqbalance.trace --profile tglx-reinject
       --strategy dfs --bitstate --max-memory 1M)
expect_in("${out}" "bitstate complete: 11525 states, 5467 distinct" "--bitstate: the states a visited set finds")
expect_in("${out}" "0.9 MiB of bits (3 per state), hash factor 1343, about 0 states missed" "--bitstate: its hash factor and estimate")
expect_in("${out}" "no violation in the states a bitstate search reached, up to 5000 steps (about 0 of 5467 states missed: not a proof)" "--bitstate: not a proof")
irqsim(1 explore ${T}/seed000-vfio-loss.trace --strategy dfs --bitstate
       --max-memory 1M --json)
expect_in("${out}" "\"bitstate\":{\"bits\":7340032,\"hashes\":3," "--bitstate --json")
foreach(with "--jobs;2" "--shard;0/2" "--preemption-bound;1" "--transactions")
  irqsim(2 explore ${T}/seed000-vfio-loss.trace --strategy dfs --bitstate ${with})
  expect_in("${err}" "--bitstate: one search without --jobs, --shard, --preemption-bound or --transactions" "--bitstate ${with}")
endforeach()
message(STATUS "bitstate: as expected")

# --- Every numeric option: its limits are accepted, one past them, a
# sign, a space, a suffix and a number that would wrap are refused.
set(vfio ${T}/seed000-vfio-loss.trace)
set(irqb ${T}/seed000-irqbalance.trace)
irqsim(0 explore ${vfio} --runs 1 --seed 18446744073709551615 --jobs 64)
# seed 0 finds the loss
irqsim(1 explore ${vfio} --runs 1 --seed 0 --jobs 1)
irqsim(0 explore ${vfio} --strategy pct --depth 16 --runs 1)
irqsim(0 explore ${vfio} --strategy pct --depth 1 --runs 1)
irqsim(1 explore ${churn} --runs 1000000000 --no-shrink)
irqsim(0 explore ${vfio} --shard 99999/100000 --runs 1)
irqsim(1 explore ${vfio} --shard 0/1 --runs 1)
irqsim(1 explore ${irqb} --strategy dfs --frontier-depth 64 --jobs 2 --no-shrink)
irqsim(1 explore ${irqb} --strategy dfs --frontier-depth 1 --jobs 2 --no-shrink)
irqsim(1 explore ${irqb} --strategy dfs --preemption-bound 1000 --max-states 4000000000 --no-shrink)
irqsim(0 explore ${irqb} --strategy dfs --preemption-bound 0 --max-states 1 --no-shrink)
foreach(case
    "--seed;18446744073709551616" "--seed;-1" "--seed;+1" "--seed; 1" "--seed;1x"
    "--runs;0" "--runs;1000000001" "--runs;-1" "--runs;18446744073709551617"
    "--depth;0" "--depth;17" "--depth;+3"
    "--preemption-bound;1001" "--preemption-bound;-1"
    "--max-states;0" "--max-states;4000000001" "--max-states;1e6"
    "--jobs;0" "--jobs;65" "--jobs;4294967297"
    "--frontier-depth;0" "--frontier-depth;65"
    "--shard;0/4294967297" "--shard;4294967296/4294967297" "--shard;1/1"
    "--shard;0/100001" "--shard;-1/4" "--shard;0/ 4" "--shard;0/4/" "--shard;/4"
    "--shard;0/0")
  list(GET case 0 opt)
  list(GET case 1 val)
  irqsim(2 explore ${vfio} ${opt} "${val}")
  expect_in("${err}" "irqsim: bad " "${opt} '${val}'")
endforeach()
message(STATUS "numeric options at their limits: as expected")

# --- merge refuses a report that contradicts itself, with file:line.
irqsim(1 explore ${churn} --runs 50 --shard 0/2 --no-shrink --report m0.report)
irqsim(0 explore ${churn} --runs 50 --shard 1/2 --no-shrink --report m1.report)
irqsim(1 merge m0.report m1.report)
expect_in("${out}" "seed 8" "merge of two good shards")
file(READ ${WORK}/m0.report good)
# bad(NAME FROM TO LINE MESSAGE): shard 0's report with FROM made TO
function(bad name from to line msg)
  string(REGEX REPLACE "${from}" "${to}" text "${good}")
  if(text STREQUAL good)
    message(FATAL_ERROR "bad report ${name}: '${from}' not in the report")
  endif()
  file(WRITE ${WORK}/${name}.report "${text}")
  irqsim(2 merge ${name}.report m1.report)
  expect_in("${err}" "${name}.report:${line}: ${msg}" "merge: ${name}")
endfunction()
bad(found-none "verdict [a-z-]+" "verdict none" 11 "verdict none contradicts found 1")
bad(none-found "found 1" "found 0" 11 "verdict lost-interrupt contradicts found 0 (line 9)")
bad(index-huge "index [0-9]+" "index 100000000000000000000" 10 "bad index")
bad(index-past "index [0-9]+" "index 50" 10 "index 50 is not a run of shard 0/2")
bad(index-shard "index [0-9]+" "index 9" 10 "index 9 is not a run of shard 0/2")
bad(runs-done "runs-done [0-9]+" "runs-done 18446744073709551615" 12 "runs-done 18446744073709551615 is more than the 25 runs")
bad(verdict-bogus "verdict [a-z-]+" "verdict bogus" 11 "bad verdict 'bogus'")
bad(seconds-neg "seconds [0-9.]+" "seconds -1.5" 22 "bad seconds '-1.5'")
bad(seconds-nan "seconds [0-9.]+" "seconds nan" 22 "bad seconds 'nan'")
bad(found-two "found 1" "found 2" 9 "bad found '2'")
bad(strategy "strategy random" "strategy bogus" 4 "bad strategy 'bogus'")
bad(shard "shard 0/2" "shard 0/4294967298" 6 "bad shard")
bad(twice "runs 50\n" "runs 50\nruns 50\n" 9 "runs given twice (first on line 8)")
# the last line, made-by, is 27: the report ends there
bad(missing "steps [0-9]+\n" "" 27 "incomplete report: no steps line")
bad(unknown "steps" "stepz" 13 "unknown report line 'stepz'")
# version 3: its own lines only there, each checked; the reproducer
# merge prints from them must be the command the shard would print
bad(v9 "irqsim-report 4" "irqsim-report 9" 1 "not an irqsim report of version 2 to 4")
bad(v2-lines "irqsim-report 4" "irqsim-report 2" 23 "unknown report line 'options'")
bad(options-shell "\noptions[^\n]*" "\noptions --set a=$(b)" 23 "bad options")
bad(depth-zero "depth 3" "depth 0" 24 "bad depth '0'")
bad(schedule-quote "schedule " "schedule x' " 27 "bad schedule")
bad(no-options "\noptions[^\n]*" "" 27 "incomplete report: no options line")
# version 4: the race windows, named, the reached ones among the possible
bad(v3-lines "irqsim-report 4" "irqsim-report 3" 25 "unknown report line 'windows-reached'")
bad(window-bogus "windows-reached [^\n]*" "windows-reached bogus" 25 "bad windows-reached 'bogus'")
bad(window-impossible "windows-possible [^\n]*" "windows-possible -" 25 "a window reached that line 26 says the trace cannot open")
bad(no-windows "\nwindows-possible[^\n]*" "" 27 "incomplete report: no windows-possible line")
file(READ ${WORK}/m1.report text)
file(WRITE ${WORK}/sched-none.report "${text}schedule nic0\n")
irqsim(2 merge m0.report sched-none.report)
expect_in("${err}" "sched-none.report:28: a schedule contradicts found 0 (line 9)"
          "merge: a schedule without a verdict")
message(STATUS "merge of contradictory reports: as expected")

# --- A directory given as a trace or saved run: exit 2, not an empty run.
foreach(cmd run check explore replay)
  irqsim(2 ${cmd} ${WORK})
  expect_in("${err}" "${WORK}: cannot read: Is a directory" "${cmd} DIR")
endforeach()
irqsim(2 render ${WORK} --format text)
expect_in("${err}" "cannot read: Is a directory" "render DIR")
irqsim(2 merge ${WORK})
expect_in("${err}" "${WORK}: cannot read: Is a directory" "merge DIR")

# --- A replay that ends in another verdict than the file recorded is a
# divergence, unless --allow-different.
file(READ ${saved} text)
string(REGEX REPLACE "\nverdict [^\n]*\n" "\nverdict none 0\n" text "${text}")
file(WRITE ${WORK}/other.irqsim "${text}")
irqsim(2 replay other.irqsim)
expect_in("${err}" "other.irqsim: the replay diverged from the recorded verdict: recorded none, now lost-interrupt" "replay, another verdict")
irqsim(2 render other.irqsim --format text)
expect_in("${err}" "diverged from the recorded verdict" "render, another verdict")
irqsim(1 replay other.irqsim --allow-different)
expect_in("${out}" "note: the file recorded none" "replay --allow-different")
irqsim(1 replay ${saved})
message(STATUS "directories and diverged verdicts: as expected")

# --- A bad knob value lists that knob's values; vcpu= without vCPUs
# says so (not "must be 0..-1").
foreach(case "intc;x86-ioapic, ppc64" "fail_errno;default, ENOMEM, ENOSPC"
    "msi_affinity_slow_path;can-reserve, nomask, never"
    "kvm_eoi_scan;dest, irr-isr, sync-pir" "update_devid;off, v4, fixed"
    "vector_cleanup_irr;off, on" "storm_bound;0..")
  list(GET case 0 knob)
  list(GET case 1 values)
  irqsim(2 run ${loss} --set ${knob}=bogus)
  expect_in("${err}" "bad value 'bogus' for ${knob} (valid: ${values}" "--set ${knob}=bogus")
  string(FIND "${err}" "off, on or" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "--set ${knob}=bogus: the generic list:\n${err}")
  endif()
endforeach()
file(WRITE ${WORK}/novcpu.trace "vcpus 0\nactor a vcpu=0 cpu=0\n")
irqsim(2 run novcpu.trace)
expect_in("${err}" "novcpu.trace:2: vcpu=: this trace has no vCPUs (declare 'vcpus N' first)" "vcpu= with vcpus 0")
message(STATUS "knob values and vCPU ranges in errors: as expected")

# --- Options the strategy does not use are said on stderr, and a second
# --render (or -o) is an error, not a silent override.
foreach(case "random;--max-states;1000" "pct;--max-memory;1G" "dfs;--runs;5"
    "dpor;--seed;3" "random;--depth;4" "pct;--preemption-bound;1"
    "random;--no-por" "random;--frontier-depth;4" "dfs;--frontier-depth;4")
  list(GET case 0 strategy)
  list(GET case 1 opt)
  list(SUBLIST case 1 -1 args)
  execute_process(COMMAND ${IRQSIM} explore ${irqb} --profile tglx-reinject
                          --strategy ${strategy} ${args} --runs 3
                  WORKING_DIRECTORY ${WORK}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  expect_in("${err}" "irqsim: warning: ${opt} applies to" "${opt} with ${strategy}")
endforeach()
irqsim(0 explore ${irqb} --profile tglx-reinject --strategy dfs --max-states 100)
if(err)
  message(FATAL_ERROR "dfs --max-states: a warning for an option that applies:\n${err}")
endif()
irqsim(2 run ${loss} --render text --render timeline)
expect_in("${err}" "--render given twice" "a second --render")
irqsim(2 render ${saved} --format text --render dot -o x.dot)
expect_in("${err}" "--render given twice" "--format then --render")
irqsim(2 replay ${saved} --render dot -o a.dot -o b.dot)
expect_in("${err}" "-o given twice" "a second -o")
message(STATUS "options that do not apply and repeated ones: as expected")

# --- A fixed schedule names the line of the entry it diverged at, and
# entries no program consumes are a divergence (exit 2), never a PASS.
file(STRINGS ${T}/seed000-tglx-timeline.trace lines)
set(body "")
foreach(l IN LISTS lines)
  if(NOT l MATCHES "^(expect|schedule)")
    string(APPEND body "${l}\n")
  endif()
endforeach()
file(WRITE ${WORK}/fixed.trace "${body}")
irqsim(0 run fixed.trace --profile tglx-reinject --save fixed.irqsim)
file(STRINGS ${WORK}/fixed.irqsim sched REGEX "^schedule ")
file(READ ${WORK}/fixed.trace body)
string(REPLACE ";" "\n" sched "${sched}")
string(REGEX MATCHALL "\n" nl "${body}")
list(LENGTH nl nbody)
# the whole schedule of the run, then the expect line: PASS
file(WRITE ${WORK}/fixed.trace "${body}${sched}\nexpect none profile=tglx-reinject\n")
irqsim(0 check fixed.trace)
expect_in("${out}" "PASS" "check of a schedule used up")
# two entries more, on a line of their own: a divergence at that line
# (after the body, the saved schedule's lines and the expect line); the
# transition is the one after the whole saved schedule
string(REGEX MATCHALL "\n" nl "${sched}")
list(LENGTH nl nsched)
math(EXPR extra "${nbody} + ${nsched} + 3")
file(STRINGS ${WORK}/fixed.irqsim words REGEX "^schedule ")
string(REGEX MATCHALL "[^ ]+" words "${words}")
set(ntrans 0)
foreach(w IN LISTS words)
  if(w STREQUAL "schedule")
    continue()
  elseif(w MATCHES "\\*([0-9]+)$")
    math(EXPR ntrans "${ntrans} + ${CMAKE_MATCH_1}")
  else()
    math(EXPR ntrans "${ntrans} + 1")
  endif()
endforeach()
file(WRITE ${WORK}/fixed.trace "${body}${sched}\nexpect none profile=tglx-reinject\nschedule vcpu0 nic0\n")
irqsim(2 check fixed.trace)
expect_in("${out}" "FAIL" "check of a schedule left unfinished")
expect_in("${err}" "fixed.trace:${extra}: the fixed schedule diverged at transition ${ntrans} ('vcpu0'): the run ended after ${ntrans} steps without taking it or the 1 after it" "check: the unfinished entry's line")
irqsim(2 run fixed.trace --profile tglx-reinject)
expect_in("${err}" "fixed.trace:${extra}: the fixed schedule diverged at transition ${ntrans}" "run: the unfinished entry's line")
# an entry the model cannot take: its line too
file(WRITE ${WORK}/fixed.trace "${body}schedule vcpu0 nic0\nschedule cpu3:irq\n")
math(EXPR at "${nbody} + 2")
irqsim(2 run fixed.trace)
expect_in("${err}" "fixed.trace:${at}: the fixed schedule diverged at transition 2 ('cpu3:irq'): the model cannot take it" "run: the diverged entry's line")
# a saved run with an entry too many: the saved file's line
file(READ ${WORK}/fixed.irqsim text)
string(REGEX REPLACE "\ntrace-text\n" "\nschedule vcpu0\ntrace-text\n" text "${text}")
file(WRITE ${WORK}/more.irqsim "${text}")
irqsim(2 replay more.irqsim)
expect_in("${err}" "more.irqsim:" "replay: the saved run's line")
expect_in("${err}" "the run ended after ${ntrans} steps without taking it" "replay: an entry too many")
message(STATUS "fixed schedules: diverged and unfinished ones, with lines: as expected")

# --- --ignore takes every verdict kind at once (the list was cut at 255
# characters, mid-word).
execute_process(COMMAND ${IRQSIM} list verdicts --names OUTPUT_VARIABLE kinds)
string(STRIP "${kinds}" kinds)
string(REGEX REPLACE "^none\n" "" kinds "${kinds}")
string(REPLACE "\n" "," kinds "${kinds}")
irqsim(0 run ${churn} --seed 8 --ignore ${kinds})
message(STATUS "--ignore with every kind: as expected")

# --- The atomic write keeps what a plain write kept: the file's mode, and
# a symbolic link (the file it names is replaced, the link stays).
irqsim(0 run ${loss} --seed 3 --save private.irqsim)
execute_process(COMMAND chmod 600 ${WORK}/private.irqsim)
irqsim(0 run ${loss} --seed 5 --save private.irqsim)
execute_process(COMMAND stat -c %a ${WORK}/private.irqsim OUTPUT_VARIABLE mode
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT mode STREQUAL "600")
  message(FATAL_ERROR "--save over a 0600 file left mode ${mode}")
endif()
file(MAKE_DIRECTORY ${WORK}/real)
file(WRITE ${WORK}/real/target.report "old\n")
file(CREATE_LINK real/target.report ${WORK}/link.report SYMBOLIC)
irqsim(0 explore ${loss} --seed 1 --runs 2 --report link.report)
if(NOT IS_SYMLINK ${WORK}/link.report)
  message(FATAL_ERROR "--report through a symbolic link replaced the link")
endif()
file(READ ${WORK}/real/target.report text)
expect_in("${text}" "irqsim-report" "--report through a symbolic link")
expect_no_temp("writes through a link")
message(STATUS "modes and symbolic links: as expected")

# --- -o /dev/stdout is written in place, even when stdout is a file: the
# file the shell opened is not replaced behind its back.
file(WRITE ${WORK}/stdout.dot "")
execute_process(COMMAND stat -c %i ${WORK}/stdout.dot OUTPUT_VARIABLE ino1)
execute_process(COMMAND ${IRQSIM} render ${saved} --format dot -o /dev/stdout
                OUTPUT_FILE ${WORK}/stdout.dot RESULT_VARIABLE rc)
execute_process(COMMAND stat -c %i ${WORK}/stdout.dot OUTPUT_VARIABLE ino2)
file(READ ${WORK}/stdout.dot text)
expect_in("${text}" "digraph" "-o /dev/stdout into a file")
if(NOT ino1 STREQUAL ino2)
  message(FATAL_ERROR "-o /dev/stdout replaced the file stdout was (inode ${ino1} -> ${ino2})")
endif()
message(STATUS "-o /dev/stdout: as expected")
