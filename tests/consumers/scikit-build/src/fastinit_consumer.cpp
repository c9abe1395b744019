// fastinit_consumer: a CPython extension built against fastinit's installed C++ package.
//   records()       the bit-check records of tests/consumers/bitcheck.hpp, computed here in C++
//   fastinit_dir()  the folder where find_package found fastinitConfig.cmake at build time
// Plain C API (no pybind11): the point is how fastinit is found, not the binding layer.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <exception>
#include <string>

#include "bitcheck.hpp"  // tests/consumers/bitcheck.hpp

static PyObject* records(PyObject*, PyObject*) {
  std::string text, error;
  Py_BEGIN_ALLOW_THREADS  // pure C++ on local data: no Python object is touched
      try {
    text = bitcheck::all_records();
  } catch (const std::exception& e) {
    error = e.what();
  }
  Py_END_ALLOW_THREADS if (!error.empty()) {
    PyErr_SetString(PyExc_RuntimeError, error.c_str());
    return nullptr;
  }
  return PyUnicode_FromStringAndSize(text.data(), static_cast<Py_ssize_t>(text.size()));
}

static PyObject* fastinit_dir(PyObject*, PyObject*) {
  return PyUnicode_FromString(FASTINIT_CONSUMER_FASTINIT_DIR);
}

static PyMethodDef methods[] = {
    {"records", records, METH_NOARGS,
     "The bit-check records, computed through fastinit's C++ API."},
    {"fastinit_dir", fastinit_dir, METH_NOARGS, "Where the build found fastinitConfig.cmake."},
    {nullptr, nullptr, 0, nullptr}};

static PyModuleDef module = {PyModuleDef_HEAD_INIT,
                             "fastinit_consumer",
                             "A test consumer of fastinit's C++ package.",
                             -1,
                             methods,
                             nullptr,
                             nullptr,
                             nullptr,
                             nullptr};

PyMODINIT_FUNC PyInit_fastinit_consumer() { return PyModule_Create(&module); }
