# The partial-order reduction reaches every end state the full search
# reaches: for each case, `explore --strategy dfs --no-por` and
# `explore --strategy dpor` (run through irqsim, which execs its
# instrumented twin) must both complete and report the same number of
# distinct end states.
# -DIRQSIM=path -DSRC=source dir
#
# The last two cases each caught a bug that lost schedules (see
# add_backtracks() in src/sched/dpor.c): stopping at a race with the event
# that enabled a move (stale-route: 5 of 12 end states), and FG's
# backtracking with sleep sets (vfio-loss: 27 of 29).
# bench/dpor-check runs the same comparison on every trace.
set(all "lost-interrupt,vector-binding-lost,no-irq-handler,vector-without-handler,deadlock,livelock,eventfd-leak,vector-leak,kernel-warning,device-stall,interrupt-storm,state-leak,msix-disabled,guest-stopped,stale-irte,masked-delivery,misrouted,lost-eoi")
set(cases
  "msi-unplug-nonmaskable|--ignore|lost-interrupt"
  "msi-unplug-nonmaskable|--set|msi_affinity_slow_path=nomask"
  "seed000-host-driver|--profile|linux-6.17|--ignore|vector-binding-lost,lost-interrupt"
  "seed001-error-path|--ignore|state-leak,device-stall"
  "hotplug-pending|--set|fixup_irqs_retrigger=off|--ignore|lost-interrupt"
  "seed003-stale-route|--ignore|${all}"
  "seed000-vfio-loss|--profile|tglx-reinject|--ignore|${all}")
foreach(c ${cases})
  string(REPLACE "|" ";" args "${c}")
  list(POP_FRONT args trace)
  set(t ${SRC}/traces/${trace}.trace)
  foreach(s dfs dpor)
    if(s STREQUAL "dfs")
      set(extra --no-por)
    else()
      set(extra)
    endif()
    execute_process(COMMAND ${IRQSIM} explore ${t} --strategy ${s} ${extra}
                            --json ${args}
                    OUTPUT_VARIABLE out RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${trace} ${args} ${s}: exit ${rc}: ${out}")
    endif()
    if(NOT out MATCHES "\"complete\":true")
      message(FATAL_ERROR "${trace} ${args} ${s}: not complete: ${out}")
    endif()
    string(REGEX MATCH "\"end_states\":([0-9]+)" m "${out}")
    set(ends_${s} ${CMAKE_MATCH_1})
  endforeach()
  if(ends_dfs STREQUAL "" OR NOT ends_dfs EQUAL ends_dpor)
    message(FATAL_ERROR "${trace} ${args}: dfs reaches ${ends_dfs} end states, dpor ${ends_dpor}")
  endif()
  message(STATUS "${trace} ${args}: ${ends_dpor} end states in both")
endforeach()
