# irqsim_add_trace_test(NAME TRACE [PROFILE NAME...])
#
# Registers the ctest NAME: `irqsim check TRACE`, which runs the trace's
# expect lines and fails when one does not hold. A FAIL prints, for each
# line, the command that gives the run it saw (`reproduce: irqsim run
# TRACE ...`) and the saved run (`replay: irqsim replay FILE`, in
# CMAKE_CURRENT_BINARY_DIR/irqsim/NAME, NAME as a C identifier). ctest
# shows that output with --output-on-failure (or CTEST_OUTPUT_ON_FAILURE=1).
#
# TRACE is a path, relative to CMAKE_CURRENT_SOURCE_DIR, or one of the
# installed traces: ${irqsim_TRACE_DIR}/seed000-vfio-loss.trace.
#
# PROFILE applies profiles (irqsim list profiles) to every expect line,
# as `irqsim run TRACE --profile NAME` would: after the trace's own
# `profile` and `set` lines, before each expect line's `profile=` and
# `set=`. The test checks a copy of TRACE with a `profile` line added at
# its end, so the trace's line numbers hold; what it prints names TRACE,
# and its reproducers carry the --profile options.
#
# The test's properties are ctest's own: set_tests_properties(NAME
# PROPERTIES WILL_FAIL TRUE) for a trace whose expect lines must not hold,
# TIMEOUT for a long search. Needs find_package(irqsim) in this directory
# or one above it (irqsim::irqsim).

function(irqsim_add_trace_test name trace)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "PROFILE")
  set(usage "irqsim_add_trace_test(NAME TRACE [PROFILE NAME...])")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "irqsim_add_trace_test(${name}): unexpected "
      "'${arg_UNPARSED_ARGUMENTS}': ${usage}")
  endif()
  if("PROFILE" IN_LIST arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "irqsim_add_trace_test(${name}): PROFILE needs "
      "a profile name (irqsim list profiles): ${usage}")
  endif()
  if(NOT TARGET irqsim::irqsim)
    message(FATAL_ERROR "irqsim_add_trace_test(${name}): no irqsim::irqsim "
      "here: call find_package(irqsim) in this directory or one above it")
  endif()
  get_filename_component(trace "${trace}" ABSOLUTE
                         BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${trace}" OR IS_DIRECTORY "${trace}")
    message(FATAL_ERROR "irqsim_add_trace_test(${name}): no trace file "
      "${trace}")
  endif()
  string(MAKE_C_IDENTIFIER "${name}" dir)
  # one -D value: the profiles, comma-separated
  string(REPLACE ";" "," profiles "${arg_PROFILE}")
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND}
            -DIRQSIM=$<TARGET_FILE:irqsim::irqsim>
            -DTRACE=${trace}
            -DPROFILES=${profiles}
            -DWORK=${CMAKE_CURRENT_BINARY_DIR}/irqsim/${dir}
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/irqsim-check-trace.cmake)
  set_property(TEST ${name} APPEND PROPERTY LABELS irqsim)
endfunction()
