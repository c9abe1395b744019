// Python glue shared by the register_*.cpp files: array checks (no silent copies of in-place
// targets; read-only inputs converted once), the default generator, the network lock, and
// zero-copy hand-over of fastinit-owned buffers to NumPy.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <exception>
#include <fastinit/errors.hpp>
#include <fastinit/init.hpp>
#include <fastinit/parallel.hpp>
#include <fastinit/random.hpp>
#include <fastinit/types.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fastinit::py_glue {

namespace py = pybind11;

inline std::vector<std::int64_t> shape_of(const py::array& a) {
  return std::vector<std::int64_t>(a.shape(), a.shape() + a.ndim());
}

inline std::string dtype_name(const py::array& a) { return py::str(a.dtype()).cast<std::string>(); }

// Dtypes compare by equivalence (NumPy's PyArray_EquivTypes), never by identity: an array that
// went through pickle, a process pool or Dask carries an equal but distinct dtype object, and a
// dtype may carry metadata.
template <class T>
bool has_dtype(const py::array& a) {
  return py::detail::npy_api::get().PyArray_EquivTypes_(a.dtype().ptr(), py::dtype::of<T>().ptr());
}
inline bool is_f32(const py::array& a) { return has_dtype<float>(a); }
inline bool is_f64(const py::array& a) { return has_dtype<double>(a); }
template <class T>
const char* dtype_str() {
  return std::is_same_v<T, float> ? "float32" : "float64";
}

// Accepts only a NumPy array (TypeError otherwise).
inline py::array as_ndarray(const py::handle& obj, const char* arg) {
  if (!py::isinstance<py::array>(obj))
    throw py::type_error(
        detail::cat("argument '", arg, "': expected a numpy.ndarray, got ",
                    py::str(py::type::of(obj).attr("__name__")).cast<std::string>()));
  return py::reinterpret_borrow<py::array>(obj);
}

// An array that fastinit will write into: float32/float64, C-contiguous, writeable, aligned.
inline void check_inplace(const py::array& a, const char* arg) {
  if (!is_f32(a) && !is_f64(a))
    throw dtype_error(detail::cat("argument '", arg, "': expected a float32 or float64 array, got ",
                                  dtype_name(a)));
  if (!(a.flags() & py::array::c_style))
    throw value_error(detail::cat(
        "argument '", arg, "': expected a C-contiguous array, got strides ",
        detail::shape_str(std::vector<std::int64_t>(a.strides(), a.strides() + a.ndim())),
        " (use numpy.ascontiguousarray; fastinit never copies silently)"));
  if (!a.writeable())
    throw value_error(detail::cat("argument '", arg, "': the array is read-only"));
  if (!(a.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_))
    throw value_error(
        detail::cat("argument '", arg, "': the array's data is not aligned for its dtype"));
}

template <class T>
TensorView<T> view(py::array& a) {
  return TensorView<T>{static_cast<T*>(a.mutable_data()), shape_of(a)};
}

// Ctrl-C for a long call that runs with the GIL released on the calling thread: poll() is cheap
// (a clock read) and, at most every 50 ms, takes the GIL and runs Python's signal handlers. When
// one raises (KeyboardInterrupt), poll() returns true from then on, and rethrow() raises the
// Python error once the call has stopped and its objects are consistent. Use it through
// interruptible(), which installs it as the calling thread's ScopedPoll (parallel.hpp).
class Interrupt {
 public:
  bool poll() {
    if (error_) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(50)) return false;
    last_ = now;
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) error_ = std::make_unique<py::error_already_set>();
    return error_ != nullptr;
  }
  void rethrow() {
    if (error_) {
      auto e = std::move(error_);
      throw std::move(*e);
    }
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::unique_ptr<py::error_already_set> error_;
};

// Runs work() — which must release the GIL itself or run without it — so that Ctrl-C stops it
// between tasks: the KeyboardInterrupt (or any error a signal handler raised) is raised here,
// after work() has unwound.
template <class F>
auto interruptible(F&& work) {
  Interrupt interrupt;
  const std::function<bool()> poll = [&interrupt] { return interrupt.poll(); };
  try {
    ScopedPoll scope(poll);
    if constexpr (std::is_void_v<decltype(work())>) {
      work();
      interrupt.rethrow();
    } else {
      auto r = work();
      interrupt.rethrow();
      return r;
    }
  } catch (const interrupted&) {
    interrupt.rethrow();
    throw;  // a poll that stopped without a Python error (not expected)
  }
}

// Calls f(TensorView<float>) or f(TensorView<double>) with the GIL released. Safe: the array is
// kept alive by the caller's reference and the view holds no Python object.
template <class F>
py::array with_view(py::handle obj, const char* arg, F&& f) {
  py::array a = as_ndarray(obj, arg);
  check_inplace(a, arg);
  interruptible([&] {
    if (is_f32(a)) {
      auto v = view<float>(a);
      py::gil_scoped_release nogil;
      f(v);
    } else {
      auto v = view<double>(a);
      py::gil_scoped_release nogil;
      f(v);
    }
  });
  return a;
}

// The process-wide default generator (Python-level state; the C++ core has no globals).
struct DefaultGenerator {
  std::mutex m;
  std::uint64_t initial_seed = 0;
  std::shared_ptr<Generator> gen = std::make_shared<Generator>(0);
};
inline DefaultGenerator& default_generator_state() {
  static auto* s = new DefaultGenerator;
  return *s;
}
inline std::shared_ptr<Generator> default_generator() {
  auto& s = default_generator_state();
  std::lock_guard<std::mutex> lk(s.m);
  return s.gen;
}

// generator=None -> the default generator; a fastinit.Generator -> itself; else TypeError.
inline std::shared_ptr<Generator> get_generator(const py::handle& obj) {
  if (obj.is_none()) return default_generator();
  if (!py::isinstance<Generator>(obj))
    throw py::type_error(
        detail::cat("argument 'generator': expected a fastinit.Generator or None, got ",
                    py::str(py::type::of(obj).attr("__name__")).cast<std::string>()));
  return obj.cast<std::shared_ptr<Generator>>();
}

// Hands a fastinit-owned, 64-byte-aligned buffer to NumPy without a copy.
template <class T>
py::array_t<T> adopt(aligned_ptr<T> buf, const std::vector<std::int64_t>& shape) {
  T* data = buf.get();
  py::capsule owner(data, [](void* p) { std::free(p); });
  (void)buf.release();
  std::vector<py::ssize_t> sh(shape.begin(), shape.end());
  return py::array_t<T>(sh, data, owner);
}

// numpy dtype argument -> 'f' / 'd', TypeError otherwise.
inline char dtype_code(const py::handle& dtype) {
  py::dtype dt = py::dtype::from_args(py::reinterpret_borrow<py::object>(dtype));
  auto& api = py::detail::npy_api::get();
  if (api.PyArray_EquivTypes_(dt.ptr(), py::dtype::of<float>().ptr())) return 'f';
  if (api.PyArray_EquivTypes_(dt.ptr(), py::dtype::of<double>().ptr())) return 'd';
  throw dtype_error(detail::cat("argument 'dtype': expected float32 or float64, got ",
                                py::str(dt).cast<std::string>()));
}

// A Python int as int64: too large -> MemoryError (it could never be allocated).
inline std::int64_t size_from_int(const py::handle& d) {
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(d.ptr(), &overflow);
  if (overflow > 0)
    throw size_error("argument 'shape': a size exceeds 2^63 - 1 and cannot be allocated");
  if (overflow < 0) throw value_error("argument 'shape': sizes must be non-negative");
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  return static_cast<std::int64_t>(v);
}

// An integer argument (a Python int or anything with __index__; not a bool, not a float) in
// [lo, hi]: TypeError / ValueError naming the argument otherwise. For the arguments that a plain
// C++ integer parameter would turn into pybind11's "incompatible function arguments".
template <class I>
I int_arg(const py::handle& v, const char* fn, const char* arg, I lo, I hi) {
  if (py::isinstance<py::bool_>(v) || !PyIndex_Check(v.ptr()))
    throw py::type_error(detail::cat(fn, ": argument '", arg, "': expected an integer, got ",
                                     py::str(py::type::of(v).attr("__name__")).cast<std::string>(),
                                     " ", py::repr(v).cast<std::string>()));
  py::int_ i = py::reinterpret_steal<py::int_>(PyNumber_Index(v.ptr()));
  if (!i) {
    PyErr_Clear();
    throw py::type_error(detail::cat(fn, ": argument '", arg, "': expected an integer, got ",
                                     py::repr(v).cast<std::string>()));
  }
  if (i < py::int_(lo) || i > py::int_(hi))
    throw value_error(detail::cat(fn, ": argument '", arg, "' must be in [", lo, ", ", hi,
                                  "], got ", py::str(i).cast<std::string>()));
  return i.cast<I>();
}

inline std::vector<std::int64_t> parse_shape(const py::handle& shape) {
  std::vector<std::int64_t> out;
  if (py::isinstance<py::int_>(shape) && !py::isinstance<py::bool_>(shape)) {
    out.push_back(size_from_int(shape));
  } else {
    if (!py::isinstance<py::sequence>(shape) || py::isinstance<py::str>(shape) ||
        py::isinstance<py::bytes>(shape))
      throw py::type_error("argument 'shape': expected an int or a sequence of ints");
    for (auto d : shape) {
      if (!py::isinstance<py::int_>(d) || py::isinstance<py::bool_>(d))
        throw py::type_error("argument 'shape': expected a sequence of ints");
      out.push_back(size_from_int(d));
    }
  }
  for (auto d : out)
    if (d < 0)
      throw value_error(detail::cat("argument 'shape': sizes must be non-negative, got ",
                                    detail::shape_str(out)));
  return out;
}

// A 16-bit float dtype: NumPy float16 or ml_dtypes.bfloat16 (recognized by name, not imported).
inline bool is_half_dtype(const py::dtype& dt) {
  if (dt.itemsize() != 2) return false;
  return dt.kind() == 'f' || py::str(dt.attr("name")).cast<std::string>() == "bfloat16";
}

// A new uninitialized, aligned array of the given shape and dtype (float32, float64, or a 16-bit
// float of is_half_dtype).
inline py::array empty(const py::handle& shape_obj, const py::handle& dtype) {
  const auto shape = parse_shape(shape_obj);
  py::dtype dt = py::dtype::from_args(py::reinterpret_borrow<py::object>(dtype));
  if (is_half_dtype(dt)) {
    const std::size_t bytes = detail::checked_bytes(shape, 2);
    return adopt(aligned_alloc_array<std::uint16_t>(bytes / 2), shape).attr("view")(dt);
  }
  char code = 0;
  try {
    code = dtype_code(dtype);
  } catch (const dtype_error&) {
    throw dtype_error(detail::cat("argument 'dtype': expected float32, float64, float16 or ",
                                  "bfloat16, got ", py::str(dt).cast<std::string>()));
  }
  const std::size_t bytes = detail::checked_bytes(shape, code == 'f' ? 4 : 8);
  if (code == 'f') return adopt(aligned_alloc_array<float>(bytes / 4), shape);
  return adopt(aligned_alloc_array<double>(bytes / 8), shape);
}

// __repr__, __eq__ and pickling for a configuration class whose keyword constructor takes
// exactly `fields` (each also a read-only attribute). Pickles rebuild through
// fastinit._loader.rebuild, so a pickle made with one compiled module loads with the other.
template <class Cls>
void config_methods(Cls& cls, const char* name, std::vector<const char*> fields) {
  auto kwargs = [fields](const py::object& self) {
    py::dict d;
    for (const char* f : fields) d[f] = self.attr(f);
    return d;
  };
  cls.def("__reduce__",
          [kwargs, name](const py::object& self) {
            auto rebuild = py::module_::import("fastinit._loader").attr("rebuild");
            return py::make_tuple(rebuild, py::make_tuple(name, kwargs(self)));
          })
      .def("__eq__",
           [kwargs](const py::object& self, const py::object& other) {
             return py::type::of(self).is(py::type::of(other)) && kwargs(self).equal(kwargs(other));
           })
      .def("__repr__", [kwargs, name](const py::object& self) {
        std::string s = std::string(name) + "(";
        bool first = true;
        for (auto kv : kwargs(self)) {
          s += std::string(first ? "" : ", ") + std::string(py::str(kv.first)) + "=" +
               std::string(py::repr(kv.second));
          first = false;
        }
        return s + ")";
      });
  cls.attr("__hash__") = py::none();
}

void register_random(py::module_& m);
void register_init(py::module_& m);
void register_optim(py::module_& m);
void register_clip(py::module_& m);
void register_mlp(py::module_& m);
void register_scheme(py::module_& m);
void register_diagnostics(py::module_& m);
void register_experiment(py::module_& m);
void register_theory(py::module_& m);

}  // namespace fastinit::py_glue
