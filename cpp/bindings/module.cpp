// The extension module: _core (portable) or _core_avx2 (x86-64-v3), same sources.
// It only wires the areas together; each register_<area>.cpp holds that area's .defs.
#include <Eigen/Core>

#include "common.hpp"

#ifndef FASTINIT_MODULE_NAME
#define FASTINIT_MODULE_NAME _core
#endif

namespace py = pybind11;
namespace fi = fastinit;

static bool cpu_supports_x86_64_v3() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
         __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
         __builtin_cpu_supports("f16c") && __builtin_cpu_supports("movbe") &&
         __builtin_cpu_supports("popcnt");
#else
  return false;
#endif
}

static std::string simd_string() {
  std::string s;
  auto add = [&](const char* n) { s += s.empty() ? n : std::string(", ") + n; };
#ifdef __SSE2__
  add("SSE2");
#endif
#ifdef __SSE4_2__
  add("SSE4.2");
#endif
#ifdef __AVX__
  add("AVX");
#endif
#ifdef __AVX2__
  add("AVX2");
#endif
#ifdef __FMA__
  add("FMA");
#endif
#ifdef __AVX512F__
  add("AVX512F");
#endif
#ifdef __ARM_NEON
  add("NEON");
#endif
  return s.empty() ? "none" : s;
}

static std::string compiler_string() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

PYBIND11_MODULE(FASTINIT_MODULE_NAME, m) {
  m.doc() = "fastinit's compiled core (see the fastinit package for the documented API)";

  // Errors: value_error/shape_error -> ValueError (std::invalid_argument) and std::bad_alloc ->
  // MemoryError by pybind11's defaults; the rest (std::length_error -> MemoryError too) here.
  static py::handle nonfinite = PyErr_NewExceptionWithDoc(
      PYBIND11_TOSTRING(FASTINIT_MODULE_NAME) ".NonFiniteError",
      "A NaN or infinite value where finite values are required (a ValueError and a RuntimeError).",
      py::make_tuple(py::handle(PyExc_ValueError), py::handle(PyExc_RuntimeError)).release().ptr(),
      nullptr);
  m.attr("NonFiniteError") = nonfinite;
  py::register_local_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const fi::dtype_error& e) {
      PyErr_SetString(PyExc_TypeError, e.what());
    } catch (const fi::nonfinite_error& e) {
      PyErr_SetString(nonfinite.ptr(), e.what());
    } catch (const fi::size_error& e) {
      PyErr_SetString(PyExc_MemoryError, e.what());
    } catch (const std::length_error& e) {  // a container asked for more than max_size()
      PyErr_SetString(PyExc_MemoryError, e.what());
    }
  });

  m.def(
      "build_info",
      [] {
        py::dict d;
        d["module"] = PYBIND11_TOSTRING(FASTINIT_MODULE_NAME);
        d["simd_level"] = FASTINIT_SIMD_LEVEL;
        d["eigen_simd"] = std::string(Eigen::SimdInstructionSetsInUse());
        d["simd"] = simd_string();
        d["compiler"] = compiler_string();
        d["eigen_version"] = FASTINIT_EIGEN_VERSION;
        d["version"] = FASTINIT_VERSION;
        d["pybind11_version"] = std::to_string(PYBIND11_VERSION_MAJOR) + "." +
                                std::to_string(PYBIND11_VERSION_MINOR) + "." +
                                std::to_string(PYBIND11_VERSION_PATCH);
        d["num_threads"] = fi::get_num_threads();
        return d;
      },
      "Which build this is, its SIMD instruction sets, compiler and Eigen version.");
  m.def("cpu_supports_x86_64_v3", &cpu_supports_x86_64_v3,
        "Whether this CPU runs x86-64-v3 code (AVX2, FMA, BMI1/2, F16C, MOVBE).");

  // Configuration classes first: later areas use them as default arguments.
  fi::py_glue::register_random(m);
  fi::py_glue::register_init(m);
  fi::py_glue::register_optim(m);
  fi::py_glue::register_clip(m);
  fi::py_glue::register_mlp(m);
  fi::py_glue::register_scheme(m);
  fi::py_glue::register_diagnostics(m);
  fi::py_glue::register_experiment(m);
  fi::py_glue::register_theory(m);
}
