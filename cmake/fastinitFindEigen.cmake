# fastinit_find_eigen(): find Eigen 3.4 and provide Eigen3::Eigen.
#
# Order: a user's Eigen3_DIR / CMAKE_PREFIX_PATH; the `cmeel.prefix/` folder that the PyPI package
# cmeel-eigen installs into site-packages (find_package does not look there by itself, so every
# CMAKE_PREFIX_PATH entry and every sys.path entry of the Python at hand that holds one is added);
# then a system Eigen (Debian: libeigen3-dev).
macro(fastinit_find_eigen)
  if(NOT TARGET Eigen3::Eigen)
    set(_fastinit_eigen_hints "")
    foreach(_p IN LISTS CMAKE_PREFIX_PATH)
      if(EXISTS "${_p}/cmeel.prefix")
        list(APPEND _fastinit_eigen_hints "${_p}/cmeel.prefix")
      endif()
    endforeach()
    if(DEFINED Python_EXECUTABLE)
      set(_fastinit_py "${Python_EXECUTABLE}")
    elseif(DEFINED Python3_EXECUTABLE)
      set(_fastinit_py "${Python3_EXECUTABLE}")
    else()
      find_program(FASTINIT_PYTHON_FOR_EIGEN NAMES python3 python)
      set(_fastinit_py "${FASTINIT_PYTHON_FOR_EIGEN}")
    endif()
    if(_fastinit_py)
      execute_process(
        COMMAND "${_fastinit_py}" -c "import sys; print(';'.join(p for p in sys.path if p))"
        OUTPUT_VARIABLE _fastinit_syspath OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      foreach(_p IN LISTS _fastinit_syspath)
        if(EXISTS "${_p}/cmeel.prefix")
          list(APPEND _fastinit_eigen_hints "${_p}/cmeel.prefix")
        endif()
      endforeach()
    endif()
    list(APPEND CMAKE_PREFIX_PATH ${_fastinit_eigen_hints})
    find_package(Eigen3 3.4 QUIET NO_MODULE)
    if(NOT TARGET Eigen3::Eigen)
      message(FATAL_ERROR
        "fastinit needs Eigen 3.4. Install it with `pip install cmeel-eigen` (or `pip install "
        "fastinit[cpp]`), or the system package (Debian: libeigen3-dev), or set Eigen3_DIR.")
    endif()
  endif()
endmacro()
