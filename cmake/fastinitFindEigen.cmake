# Finding Eigen 3.4 (fastinit's only dependency), for fastinit's own build and for its package
# Config file.
#
# Search order: what the user set (Eigen3_DIR, Eigen3_ROOT, CMAKE_PREFIX_PATH); then the
# `cmeel.prefix/` folder that the PyPI package cmeel-eigen (`pip install "fastinit-nn[cpp]"`)
# puts in site-packages, which find_package does not search by itself; then a system Eigen
# (Debian: libeigen3-dev). The cmeel folders are passed as HINTS, which CMake searches after the user's
# paths and before the system ones.
#
#   fastinit_eigen_hints(<out-var> [<site-packages>...])
#       the cmeel prefixes of: the given folders, the CMAKE_PREFIX_PATH entries (as scikit-build-core
#       sets it: site-packages), and the sys.path of the Python at hand.
#   fastinit_find_eigen()
#       fastinit's own build: find Eigen3::Eigen or stop with how to install it.

# One quoted argument: set() with several would join them with ";" into the message.
set(FASTINIT_EIGEN_HELP "fastinit needs Eigen 3.4. Install it with `pip install \"fastinit-nn[cpp]\"` \
(or `pip install cmeel-eigen`), or the system package (Debian: libeigen3-dev), or set Eigen3_DIR to \
the folder of Eigen3Config.cmake.")

function(fastinit_eigen_hints out)
  set(hints "")
  set(roots ${ARGN} ${CMAKE_PREFIX_PATH})
  if(DEFINED ENV{CMAKE_PREFIX_PATH})
    string(REPLACE ":" ";" env_prefix "$ENV{CMAKE_PREFIX_PATH}")
    list(APPEND roots ${env_prefix})
  endif()
  # The Python at hand: the one the project found, else the first on PATH.
  if(Python_EXECUTABLE)
    set(py "${Python_EXECUTABLE}")
  elseif(Python3_EXECUTABLE)
    set(py "${Python3_EXECUTABLE}")
  else()
    find_program(FASTINIT_PYTHON_FOR_EIGEN NAMES python3 python
                 DOC "Python whose site-packages may hold cmeel-eigen (for fastinit)")
    mark_as_advanced(FASTINIT_PYTHON_FOR_EIGEN)
    set(py "${FASTINIT_PYTHON_FOR_EIGEN}")
  endif()
  if(py)
    execute_process(
      COMMAND "${py}" -c "import sys; print(';'.join(p for p in sys.path if p))"
      OUTPUT_VARIABLE syspath OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
    if(rc EQUAL 0)
      list(APPEND roots ${syspath})
    endif()
  endif()
  foreach(p IN LISTS roots)
    if(p AND IS_DIRECTORY "${p}/cmeel.prefix")
      get_filename_component(p "${p}/cmeel.prefix" ABSOLUTE)
      list(APPEND hints "${p}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES hints)
  set(${out} "${hints}" PARENT_SCOPE)
endfunction()

# A macro, so that Eigen3_VERSION and friends reach the caller's scope.
macro(fastinit_find_eigen)
  if(NOT TARGET Eigen3::Eigen)
    fastinit_eigen_hints(_fastinit_eigen_hints)
    find_package(Eigen3 3.4 QUIET NO_MODULE HINTS ${_fastinit_eigen_hints})
    unset(_fastinit_eigen_hints)
    if(NOT TARGET Eigen3::Eigen)
      message(FATAL_ERROR "${FASTINIT_EIGEN_HELP}")
    endif()
    message(STATUS "fastinit: Eigen ${Eigen3_VERSION} from ${Eigen3_DIR}")
  endif()
endmacro()
