# docs/trace-format.md and `irqsim list` name the same directives,
# operations, knobs, profiles and verdicts: each name irqsim knows has a
# "### `NAME ...`" entry with an example (a ``` block) in its section of
# the reference, and the reference documents nothing irqsim does not know.
# A new operation, knob, profile, verdict or directive fails here until
# it is documented.
# Usage: cmake -DIRQSIM=bin -DDOC=docs/trace-format.md -P trace-format-doc.cmake
cmake_minimum_required(VERSION 3.18)

# Headings and code fences only: the prose may hold ';' (a CMake list).
file(STRINGS ${DOC} lines REGEX "^(## |### |```)")
set(failures "")

foreach(pair "Directives:directives" "Operations:ops" "Knobs:knobs"
             "Profiles:profiles" "Verdicts:verdicts" "Race windows:windows")
  string(REPLACE ":" ";" pair "${pair}")
  list(GET pair 0 section)
  list(GET pair 1 what)

  execute_process(COMMAND ${IRQSIM} list ${what}
                  OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "irqsim list ${what}: exit ${rc}")
  endif()
  string(REGEX MATCHALL "(^|\n)[^ \n]+" words "${out}")
  set(known "")
  foreach(w ${words})
    string(STRIP "${w}" w)
    list(APPEND known "${w}")
  endforeach()
  list(LENGTH known n)
  if(n EQUAL 0)
    message(FATAL_ERROR "irqsim list ${what} printed nothing")
  endif()

  # The entries of "## ${section}", and whether each has an example.
  set(in FALSE)
  set(documented "")
  set(entry "")
  foreach(line ${lines})
    if(line MATCHES "^## ")
      if(entry AND NOT example)
        string(APPEND failures "\n  ${section}: '${entry}' has no example (a ``` block)")
      endif()
      set(entry "")
      set(in FALSE)
      if(line STREQUAL "## ${section}")
        set(in TRUE)
      endif()
    elseif(in AND line MATCHES "^### `([^` ]+)")
      if(entry AND NOT example)
        string(APPEND failures "\n  ${section}: '${entry}' has no example (a ``` block)")
      endif()
      set(entry "${CMAKE_MATCH_1}")
      set(example FALSE)
      list(APPEND documented "${entry}")
    elseif(in AND entry AND line MATCHES "^```")
      set(example TRUE)
    endif()
  endforeach()
  if(entry AND NOT example)
    string(APPEND failures "\n  ${section}: '${entry}' has no example (a ``` block)")
  endif()

  foreach(k ${known})
    list(FIND documented "${k}" at)
    if(at EQUAL -1)
      string(APPEND failures "\n  irqsim list ${what} has '${k}': add a '### `${k} ...`' entry with an example under '## ${section}' in docs/trace-format.md")
    endif()
  endforeach()
  foreach(d ${documented})
    list(FIND known "${d}" at)
    if(at EQUAL -1)
      string(APPEND failures "\n  docs/trace-format.md documents '${d}' under '## ${section}', but irqsim list ${what} does not know it")
    endif()
  endforeach()
  list(LENGTH documented nd)
  message(STATUS "${section}: ${nd} documented, ${n} known")
endforeach()

if(failures)
  message(FATAL_ERROR "docs/trace-format.md and irqsim list disagree:${failures}")
endif()
