# explore --checkpoint, --checkpoint-every and --resume end to end: a dfs
# stopped by SIGTERM, SIGINT, SIGKILL or --max-states and resumed from
# its checkpoint (once, or twice) prints what the search prints without
# the stop, save the times: every count, the verdict, the reproducers; a
# checkpoint of another trace or other options, cut short, changed or no
# checkpoint at all is refused with exit 2 and a message naming it; a
# checkpoint that cannot be written leaves the one that was there and no
# temporary file. IRQSIM_TEST_SIGNAL=SIG@N raises SIG once the search has
# N distinct states (src/cli/checkpoint.c).
# Usage: cmake -DIRQSIM=bin -DSRC=dir -DWORK=dir -P checkpoint.cmake
cmake_minimum_required(VERSION 3.18)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(churn1 ${SRC}/bench/traces/churn-1v.trace)
set(churn2 ${SRC}/bench/traces/churn-2v.trace)
set(churn3 ${SRC}/traces/churn-3x2.trace)
set(lazy ${SRC}/traces/seed001-x86-lazy.trace)

# irqsim(RC [SIGNAL SIG@N] ARGS...): exit status RC; out, err are set.
macro(irqsim want)
  set(args ${ARGN})
  set(env "")
  list(GET args 0 first)
  if(first STREQUAL "SIGNAL")
    list(GET args 1 at)
    list(REMOVE_AT args 0 1)
    set(env IRQSIM_TEST_SIGNAL=${at})
  endif()
  # through sh: a process killed by SIGKILL gives 137, as in a shell
  execute_process(COMMAND env ${env} sh -c "\"$@\"" sh ${IRQSIM} ${args}
                  WORKING_DIRECTORY ${WORK}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT "${rc}" STREQUAL "${want}")
    message(FATAL_ERROR "irqsim ${args} (${env}): exit ${rc}, expected ${want}\n${out}${err}")
  endif()
endmacro()

function(expect_in text what why)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${why}: expected '${what}' in:\n${text}")
  endif()
endfunction()

# The summary without what differs between sittings: the times, rates
# and memory of the dfs line, the line that says it resumed.
function(summary_of text var)
  string(REGEX REPLACE ", [0-9.]+ s, [0-9]+ states/s, search memory [0-9.]+ MiB, peak RSS [0-9.]+ MiB"
         "" text "${text}")
  string(REGEX REPLACE "explore: resumed from [^\n]*\n" "" text "${text}")
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

function(expect_same_summary whole resumed why)
  summary_of("${whole}" a)
  summary_of("${resumed}" b)
  if(NOT a STREQUAL b)
    message(FATAL_ERROR "${why}: the resumed search's summary differs from the whole search's:\n--- whole\n${a}--- resumed\n${b}")
  endif()
endfunction()

function(expect_no_temp why)
  file(GLOB left ${WORK}/.*)
  if(left)
    message(FATAL_ERROR "${why}: temporary files left: ${left}")
  endif()
endfunction()

# --- A search proved none, stopped by SIGTERM, resumed: the same proof.
set(opts --strategy dfs --profile tglx-reinject)
irqsim(0 explore ${churn1} ${opts})
set(whole "${out}")
set(churn1_whole "${out}")
expect_in("${whole}" "dfs complete: " "churn-1v whole")
irqsim(143 SIGNAL TERM@2000 explore ${churn1} ${opts} --checkpoint ck1)
expect_in("${out}" "explore: interrupted by SIGTERM" "churn-1v SIGTERM")
expect_in("${out}" "explore: interrupted after 2000 distinct states; checkpoint written to ck1\n" "churn-1v SIGTERM: the checkpoint")
# the command it prints goes on from there
string(REGEX MATCH "\n  resume: irqsim ([^\n]*)\n" line "${out}")
separate_arguments(resume UNIX_COMMAND "${CMAKE_MATCH_1}")
expect_in("${CMAKE_MATCH_1}" "explore ${churn1} --strategy dfs --profile tglx-reinject --resume ck1 --checkpoint ck1" "churn-1v: the resume command")
irqsim(0 ${resume})
expect_in("${out}" "explore: resumed from ck1: 2000 distinct states, " "churn-1v resumed")
expect_same_summary("${whole}" "${out}" "churn-1v resumed once")
# twice: SIGINT in the second sitting too
irqsim(130 SIGNAL INT@1500 explore ${churn1} ${opts} --checkpoint ck1)
irqsim(130 SIGNAL INT@4000 explore ${churn1} ${opts} --resume ck1 --checkpoint ck1)
expect_in("${out}" "explore: resumed from ck1: 1500 distinct states" "churn-1v second sitting")
expect_in("${out}" "interrupted after 4000 distinct states; checkpoint written to ck1" "churn-1v second sitting")
irqsim(0 explore ${churn1} ${opts} --resume ck1 --json)
set(json "${out}")
irqsim(0 explore ${churn1} ${opts} --json)
foreach(key complete states distinct end_states transitions max_depth verdict)
  string(REGEX MATCH "\"${key}\":[^,]*" a "${out}")
  string(REGEX MATCH "\"${key}\":[^,]*" b "${json}")
  if(NOT a OR NOT a STREQUAL b)
    message(FATAL_ERROR "churn-1v resumed twice: ${a} whole, ${b} resumed\n${json}")
  endif()
endforeach()
expect_in("${json}" "\"resumed\":{\"file\":\"ck1\",\"distinct\":4000," "churn-1v resumed: --json")
# the reductions and bounds it takes, each stopped and resumed
foreach(variant "--no-por" "--preemption-bound 2" "--bitstate --max-memory 1M")
  separate_arguments(v UNIX_COMMAND "${variant}")
  irqsim(0 explore ${churn1} ${opts} ${v})
  set(whole "${out}")
  irqsim(143 SIGNAL TERM@1500 explore ${churn1} ${opts} ${v} --checkpoint ckv)
  irqsim(0 explore ${churn1} ${opts} ${v} --resume ckv)
  expect_same_summary("${whole}" "${out}" "churn-1v ${variant}")
endforeach()
message(STATUS "a proof stopped by signals and resumed: the same proof")

# --- A violation: the same verdict and the same schedules.
irqsim(1 explore ${churn3} --strategy dfs)
set(whole "${out}")
expect_in("${whole}" "reproduce (as found): irqsim run" "churn-3x2 whole")
irqsim(130 SIGNAL INT@5000 explore ${churn3} --strategy dfs --checkpoint ck3)
irqsim(1 explore ${churn3} --strategy dfs --resume ck3)
expect_same_summary("${whole}" "${out}" "churn-3x2 resumed")
message(STATUS "a violation found after a resume: the same schedule")

# --- Killed outright (the OOM killer, a preempted job): the last
# periodic checkpoint (every 65536 states with 0s) is resumed from. The
# memory budget stops the search where no checkpoint can be written (the
# visited set was not let grow): the last periodic one, resumed with the
# same budget, stops where the search did, with a larger one goes on.
set(tight --strategy dfs --profile tglx-reinject --max-memory 8M)
set(loose --strategy dfs --profile tglx-reinject --max-memory 16M)
irqsim(0 explore ${churn2} ${tight})
set(whole "${out}")
expect_in("${whole}" "(stopped at the memory budget of 8 MiB)" "churn-2v --max-memory 8M")
irqsim(137 SIGNAL KILL@55000 explore ${churn2} ${tight} --checkpoint ck2 --checkpoint-every 0s)
expect_no_temp("SIGKILL between checkpoints")
irqsim(0 explore ${churn2} ${tight} --resume ck2)
string(REGEX MATCH "resumed from ck2: ([0-9]+) distinct" line "${out}")
if(NOT CMAKE_MATCH_1 OR CMAKE_MATCH_1 GREATER_EQUAL 55000)
  message(FATAL_ERROR "SIGKILL: not resumed from a periodic checkpoint:\n${out}")
endif()
expect_same_summary("${whole}" "${out}" "churn-2v killed, resumed under the same budget")
irqsim(0 explore ${churn2} ${tight} --checkpoint ck2 --checkpoint-every 0s)
expect_in("${out}" "explore: stopped at the memory budget; ck2 holds the checkpoint of " "the budget with --checkpoint")
irqsim(0 explore ${churn2} ${loose})
set(whole "${out}")
irqsim(0 explore ${churn2} ${loose} --resume ck2)
expect_same_summary("${whole}" "${out}" "resumed under a larger budget")
# --max-states stops it with a checkpoint too; without it, on to the end
irqsim(0 explore ${churn1} ${opts} --max-states 3000 --checkpoint ckm)
expect_in("${out}" "explore: stopped at --max-states after 3000 distinct states; checkpoint written to ckm" "--max-states")
irqsim(0 explore ${churn1} ${opts} --resume ckm)
expect_same_summary("${churn1_whole}" "${out}" "resumed past --max-states")
message(STATUS "SIGKILL, the memory budget, --max-states: resumed from the last checkpoint")

# --- Another search's checkpoint, or a damaged one: exit 2, and why.
irqsim(2 explore ${lazy} ${opts} --resume ckm)
expect_in("${err}" "irqsim: ckm: a checkpoint of another search: trace=churn-1v " "another trace")
irqsim(2 explore ${churn1} --strategy dfs --resume ckm)
expect_in("${err}" "irqsim: ckm: a checkpoint of another search: knob vmm_reinject=on there, knob vmm_reinject=off here" "another profile")
irqsim(2 explore ${churn1} ${opts} --no-por --resume ckm)
expect_in("${err}" "irqsim: ckm: a checkpoint of another search: sleep-sets=on there" "--no-por")
irqsim(2 explore ${churn1} ${opts} --preemption-bound 3 --resume ckm)
expect_in("${err}" "preemption-bound=none there, preemption-bound=3 here" "--preemption-bound")
irqsim(2 explore ${churn1} ${opts} --ignore lost-interrupt --resume ckm)
expect_in("${err}" "ignore=- there, ignore=lost-interrupt here" "--ignore")
execute_process(COMMAND sh -c "head -c 1000 ckm > cut.ck && cp ckm flip.ck && b=$(od -An -tu1 -j 2000 -N1 flip.ck) && printf \"\\\\$(printf %o $((b ^ 4)))\" | dd of=flip.ck bs=1 seek=2000 conv=notrunc 2>/dev/null && ! cmp -s ckm flip.ck && : > empty.ck"
                WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cannot make the damaged checkpoints: ${rc}")
endif()
irqsim(2 explore ${churn1} ${opts} --resume cut.ck)
expect_in("${err}" "irqsim: cut.ck: corrupt: its checksum does not match its contents (cut short or changed)" "cut short")
irqsim(2 explore ${churn1} ${opts} --resume flip.ck)
expect_in("${err}" "irqsim: flip.ck: corrupt: its checksum does not match" "a bit changed")
irqsim(2 explore ${churn1} ${opts} --resume empty.ck)
expect_in("${err}" "irqsim: empty.ck: not an irqsim checkpoint" "empty")
irqsim(2 explore ${churn1} ${opts} --resume ${churn1})
expect_in("${err}" "irqsim: ${churn1}: not an irqsim checkpoint" "a trace")
irqsim(2 explore ${churn1} ${opts} --resume none.ck)
expect_in("${err}" "irqsim: cannot read none.ck: No such file or directory" "no file")
message(STATUS "another search's checkpoint, damaged ones: refused")

# --- A checkpoint that cannot be written: the old one stays, whole.
file(COPY_FILE ${WORK}/ckm ${WORK}/ckm.ref)
execute_process(COMMAND env IRQSIM_TEST_SIGNAL=TERM@4000 sh -c "ulimit -f 20 && exec \"$@\"" sh
                        ${IRQSIM} explore ${churn1} ${opts} --checkpoint ckm
                WORKING_DIRECTORY ${WORK}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "a checkpoint past the size limit: exit ${rc}, expected 2\n${out}${err}")
endif()
expect_in("${err}" "irqsim: cannot write ckm: File too large" "past the size limit")
expect_in("${out}" "interrupted after 4000 distinct states; no checkpoint written (ckm keeps the last one written, if any)" "past the size limit")
file(READ ${WORK}/ckm a HEX)
file(READ ${WORK}/ckm.ref b HEX)
if(NOT a STREQUAL b)
  message(FATAL_ERROR "a failed checkpoint changed the one that was there")
endif()
expect_no_temp("a failed checkpoint")
irqsim(2 explore ${churn1} ${opts} --checkpoint nodir/ck)
expect_in("${err}" "irqsim: cannot write nodir/ck: No such file or directory" "a directory that is not there")
if(out)
  message(FATAL_ERROR "a checkpoint that cannot be written: said before the search, not after:\n${out}")
endif()
irqsim(2 explore ${churn1} ${opts} --checkpoint /dev/null)
expect_in("${err}" "--checkpoint /dev/null: not a regular file" "a device")
file(COPY_FILE ${lazy} ${WORK}/x.trace)
irqsim(2 explore ${churn1} ${opts} --checkpoint x.trace)
expect_in("${err}" "--checkpoint x.trace: a file that is no irqsim checkpoint is there; not overwritten" "a trace as the checkpoint")
file(READ ${WORK}/x.trace a)
file(READ ${lazy} b)
if(NOT a STREQUAL b)
  message(FATAL_ERROR "--checkpoint overwrote a file that was no checkpoint")
endif()
expect_no_temp("checkpoints not written")
message(STATUS "checkpoints that cannot be written: the old one stays, no temporary file")

# --- What a checkpoint cannot go with: said, exit 2.
foreach(case "--strategy random --checkpoint c|--strategy dfs only"
             "--jobs 2 --checkpoint c|not --jobs or --shard"
             "--shard 0/2 --resume c|not --jobs or --shard"
             "--state-profile - --checkpoint c|not with --state-profile"
             "--near-schedule --checkpoint c|not with --near-schedule"
             "--checkpoint-every 5m|--checkpoint-every needs --checkpoint FILE"
             "--checkpoint c --checkpoint-every 5|bad duration '5'"
             "--checkpoint c --checkpoint-every 2d|bad duration '2d'")
  string(FIND "${case}" "|" bar)
  string(SUBSTRING "${case}" 0 ${bar} given)
  math(EXPR bar "${bar} + 1")
  string(SUBSTRING "${case}" ${bar} -1 why)
  separate_arguments(args UNIX_COMMAND "${given}")
  irqsim(2 explore ${churn1} ${args})
  expect_in("${err}" "${why}" "explore ${given}")
endforeach()
message(STATUS "options a checkpoint cannot go with: refused")
