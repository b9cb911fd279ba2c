# cmake --install into a fresh prefix: irqsim, irqsim(1), bash completion,
# the traces and the reference land where they should, the installed
# irqsim runs and finds its traces, the man page formats, and the
# completion completes commands, profiles and knobs from that irqsim.
# Usage: cmake -DBUILD=dir -DSRC=dir -DWORK=dir -P install.cmake
cmake_minimum_required(VERSION 3.18)
file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed:\n${out}${err}")
endif()

# GNUInstallDirs' defaults for a prefix (a script has no project to ask)
set(CMAKE_INSTALL_BINDIR bin)
set(CMAKE_INSTALL_MANDIR share/man)
set(CMAKE_INSTALL_DATADIR share)
set(CMAKE_INSTALL_DOCDIR share/doc/irqsim)
foreach(f ${CMAKE_INSTALL_BINDIR}/irqsim
          ${CMAKE_INSTALL_MANDIR}/man1/irqsim.1
          ${CMAKE_INSTALL_DATADIR}/bash-completion/completions/irqsim
          ${CMAKE_INSTALL_DATADIR}/irqsim/traces/seed000-vfio-loss.trace
          ${CMAKE_INSTALL_DOCDIR}/README.md
          ${CMAKE_INSTALL_DOCDIR}/docs/trace-format.md)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "cmake --install did not install ${f}")
  endif()
endforeach()
set(bin ${prefix}/${CMAKE_INSTALL_BINDIR}/irqsim)

# The installed command lists the installed traces (not the source
# tree's): one only the prefix has shows, with its first comment line.
set(traces ${prefix}/${CMAKE_INSTALL_DATADIR}/irqsim/traces)
file(READ ${traces}/seed000-tglx-timeline.trace text)
file(WRITE ${traces}/installed-only.trace "# only in the prefix\n${text}")
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=IRQSIM_TRACES
                        ${bin} list traces
                OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\ninstalled-only +only in the prefix\n"
   OR NOT out MATCHES "\nseed000-vfio-loss +seeds/000")
  message(FATAL_ERROR "installed irqsim list traces (exit ${rc}):\n${out}")
endif()
execute_process(COMMAND ${bin} run
                        ${prefix}/${CMAKE_INSTALL_DATADIR}/irqsim/traces/seed000-tglx-timeline.trace
                OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "installed irqsim run: exit ${rc}, expected 1 (the loss):\n${out}")
endif()
# ... and runs an installed trace by its name, the prefix's (the one only
# the prefix has, and the one the source tree has too)
file(MAKE_DIRECTORY ${WORK}/empty)
foreach(name installed-only seed000-tglx-timeline)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=IRQSIM_TRACES
                          ${bin} run ${name}
                  WORKING_DIRECTORY ${WORK}/empty
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  string(FIND "${out}" "reproduce: irqsim run ${traces}/${name}.trace" at)
  if(NOT rc EQUAL 1 OR at EQUAL -1)
    message(FATAL_ERROR "installed irqsim run ${name}: exit ${rc}, not the prefix's trace:\n${out}${err}")
  endif()
endforeach()
# the installed twin (libexec/irqsim/irqsim-fp, for dpor) finds it too
if(EXISTS ${prefix}/libexec/irqsim/irqsim-fp)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=IRQSIM_TRACES
                          ${bin} explore installed-only --strategy dpor
                  WORKING_DIRECTORY ${WORK}/empty
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  string(FIND "${out}" "irqsim run ${traces}/installed-only.trace" at)
  if(NOT rc EQUAL 1 OR at EQUAL -1)
    message(FATAL_ERROR "installed irqsim explore installed-only --strategy dpor: exit ${rc}:\n${out}${err}")
  endif()
endif()

# The man page formats, and names every command of the usage text.
execute_process(COMMAND ${bin} help OUTPUT_VARIABLE usage)
find_program(MAN man)
if(MAN)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env MANWIDTH=80 ${MAN} -l
                          ${prefix}/${CMAKE_INSTALL_MANDIR}/man1/irqsim.1
                  OUTPUT_VARIABLE page ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR err)
    message(FATAL_ERROR "man -l irqsim.1: exit ${rc}\n${err}")
  endif()
  string(REGEX MATCHALL "\n  irqsim [a-z]+" cmds "${usage}")
  foreach(c ${cmds})
    string(STRIP "${c}" c)
    string(FIND "${page}" "${c}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "irqsim(1) does not mention '${c}' (irqsim help does)")
    endif()
  endforeach()
endif()

# A command's --help is its part of the help, exit 0
# (tests/cli/options-doc.cmake checks the options it, the man page and
# the completion name against irqsim list options).
execute_process(COMMAND ${bin} explore --help OUTPUT_VARIABLE usage2 RESULT_VARIABLE rc)
string(FIND "${usage2}" "\n  irqsim explore TRACE" at)
string(FIND "${usage2}" "\n  irqsim run " other)
if(NOT rc EQUAL 0 OR at EQUAL -1 OR NOT other EQUAL -1)
  message(FATAL_ERROR "irqsim explore --help: exit ${rc}, or not explore's help:\n${usage2}")
endif()

# The completion, driven as bash would.
find_program(BASH bash)
if(BASH)
  set(comp ${prefix}/${CMAKE_INSTALL_DATADIR}/bash-completion/completions/irqsim)
  # the options and the strategies come from the installed irqsim's table
  foreach(case "ex|explore" "--pro|--profile" "--set:vmm_re|vmm_reinject="
                "--profile:tglx|tglx-reinject" "--render:ti|timeline"
                "list:verd|verdicts" "--str|--strategy" "--strategy:dp|dpor"
                "--no-s|--no-shrink" "list:opt|options")
    string(REPLACE "|" ";" case "${case}")
    list(GET case 0 line)
    list(GET case 1 want)
    string(REPLACE ":" " " line "${line}")
    set(script "source ${comp}; COMP_WORDS=(${bin} explore ${line}); ")
    if(line STREQUAL "ex")
      set(script "source ${comp}; COMP_WORDS=(${bin} ex); ")
    elseif(line MATCHES "^verd|^list")
      set(script "source ${comp}; COMP_WORDS=(${bin} ${line}); ")
    endif()
    string(APPEND script
      "COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _irqsim; echo \"\${COMPREPLY[@]}\"")
    execute_process(COMMAND ${BASH} -c "${script}"
                    OUTPUT_VARIABLE got ERROR_VARIABLE err RESULT_VARIABLE rc)
    string(FIND " ${got} " " ${want}" at)
    if(NOT rc EQUAL 0 OR at EQUAL -1)
      message(FATAL_ERROR "completion of '${line}': '${got}' lacks '${want}'\n${err}")
    endif()
  endforeach()
endif()
# The installed README's links resolve there (docs/ beside it).
find_program(BASH bash)
if(BASH)
  execute_process(COMMAND ${BASH} ${SRC}/tests/docs/links.sh
                          ${prefix}/${CMAKE_INSTALL_DOCDIR}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the installed README's links:\n${out}${err}")
  endif()
endif()
message(STATUS "installed into ${prefix}: irqsim, irqsim(1), bash completion, traces, docs")
