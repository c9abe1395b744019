// Glue for the calls that take a network: the one input checker (X), the one target checker
// (y), the one layer-index check, and NetLock, the network lock that never deadlocks.
//
// Read-only inputs are converted once, as NumPy-based libraries do (DESIGN.md §4): X of any real
// dtype or layout becomes a C-contiguous array of the network's dtype; dense targets likewise.
// Integer labels are copied into memory fastinit owns while the GIL is held, so another thread
// rewriting the caller's array cannot push an index out of range between the check and its use.
#pragma once

#include <cstring>
#include <fastinit/loss.hpp>
#include <fastinit/mlp.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "common.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#endif

namespace fastinit::py_glue {

// A real-valued array (int, uint, float or bool kinds) from any array-like, else TypeError.
inline py::array real_array(const py::handle& obj, const char* arg) {
  py::array a = py::array::ensure(obj);
  if (!a) {
    PyErr_Clear();
    throw dtype_error(detail::cat("argument '", arg, "': expected an array of numbers, got ",
                                  py::str(py::type::of(obj).attr("__name__")).cast<std::string>()));
  }
  const char kind = a.dtype().kind();
  if (kind != 'f' && kind != 'i' && kind != 'u' && kind != 'b')
    throw dtype_error(detail::cat("argument '", arg, "': expected an array of real numbers, got ",
                                  dtype_name(a)));
  return a;
}

// `a` (any layout, any real dtype) as a C-contiguous, aligned array of T: a copy only when needed
// (NumPy's conversion keeps a misaligned buffer as it is; reading it as T would be undefined).
template <class T>
py::array_t<T, py::array::c_style> c_array_of(const py::array& a) {
  auto out = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(a);
  if (!out) throw py::error_already_set();
  if (!(out.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_)) {
    py::array_t<T, py::array::c_style> copy(
        std::vector<py::ssize_t>(out.shape(), out.shape() + out.ndim()));
    std::memcpy(copy.mutable_data(), out.data(), static_cast<std::size_t>(out.nbytes()));
    return copy;
  }
  return out;
}

// X (N, cols), N >= 1, finite, as a C-contiguous array of T (a copy only when needed).
template <class T>
struct InputMatrix {
  py::array_t<T, py::array::c_style> arr;
  index_t rows = 0, cols = 0;

  Eigen::Map<const Matrix<T>> map() const { return {arr.data(), rows, cols}; }

  InputMatrix(const py::handle& obj, const char* arg, index_t cols_) : cols(cols_) {
    py::array a = real_array(obj, arg);
    if (a.ndim() != 2 || a.shape(1) != cols)
      throw shape_error(detail::cat("argument '", arg, "': expected shape (N, ", cols, "), got ",
                                    detail::shape_str(shape_of(a))));
    if (a.shape(0) < 1)
      throw shape_error(detail::cat("argument '", arg, "': needs at least one row"));
    arr = c_array_of<T>(a);
    const T* p = arr.data();
    const index_t n = a.shape(0) * cols;
    for (index_t i = 0; i < n; ++i)
      if (!std::isfinite(p[i]))
        throw value_error(detail::cat("argument '", arg, "': must be finite, found ", p[i],
                                      " at flat index ", i));
    rows = a.shape(0);
  }
};

// y for N rows and K outputs: integer labels (N,) or dense targets (N, K) — (N,) when K == 1.
// `arg` names the argument in errors (validation targets are not 'y').
template <class T>
struct TargetData {
  std::vector<std::int64_t> labels;
  py::array_t<T, py::array::c_style> dense;
  Target<T> t;

  TargetData(const py::handle& obj, index_t N, index_t K, Output out, const char* arg = "y") {
    py::array a = real_array(obj, arg);
    const char kind = a.dtype().kind();
    if (kind == 'i' || kind == 'u') {
      if (a.ndim() != 1 || a.shape(0) != N)
        throw shape_error(detail::cat("argument '", arg, "': integer labels must have shape (", N,
                                      ",), got ", detail::shape_str(shape_of(a))));
      auto lab = c_array_of<std::int64_t>(a);
      labels.assign(lab.data(), lab.data() + N);  // a snapshot: see the note at the top
      t.labels = labels.data();
    } else {
      const bool ok = (a.ndim() == 2 && a.shape(0) == N && a.shape(1) == K) ||
                      (a.ndim() == 1 && K == 1 && a.shape(0) == N);
      if (!ok)
        throw shape_error(detail::cat("argument '", arg, "': expected shape (", N, ", ", K,
                                      "), got ", detail::shape_str(shape_of(a))));
      dense = c_array_of<T>(a);
      t.dense = dense.data();
    }
    try {
      check_target(out, t, N, K);
    } catch (const value_error& e) {
      throw value_error(detail::cat("argument '", arg, "': ", e.what()));
    }
  }
};

inline void check_layer(int l, int L) {
  if (l < 0 || l >= L)
    throw value_error(detail::cat("layer index ", l, " out of range [0, ", L, ")"));
}

// The lock of one network, taken with the GIL released. A network is used by one call at a time
// (its per-layer caches are shared); a second thread waits. Two cases that would wait forever
// raise RuntimeError instead: the thread that holds the lock asks again (a fit callback calling
// its own network), and, in a forked child, a network that another thread of the parent held
// at the fork (that thread does not exist in the child and never unlocks it).
class NetLock {
 public:
  template <class T>
  explicit NetLock(const Mlp<T>& net) : mu_(net.mutex()), key_(&net) {
    auto& r = registry();
    {
      std::lock_guard<std::mutex> g(r.m);
      auto it = r.owner.find(key_);
      if (it != r.owner.end()) {
        if (it->second.generation != r.generation)
          throw std::runtime_error(
              "this network was in use by another thread when the process forked; its state "
              "in this process is unknown: build or unpickle a new one");
        if (it->second.thread == std::this_thread::get_id())
          throw std::runtime_error(
              "the network is already in use by this thread (a fit callback cannot use the "
              "network being trained: stop training, or use a copy)");
      }
    }
    mu_.lock();
    std::lock_guard<std::mutex> g(r.m);
    r.owner[key_] = Owner{std::this_thread::get_id(), r.generation};
  }
  ~NetLock() {
    {
      auto& r = registry();
      std::lock_guard<std::mutex> g(r.m);
      r.owner.erase(key_);
    }
    mu_.unlock();
  }
  NetLock(const NetLock&) = delete;
  NetLock& operator=(const NetLock&) = delete;

 private:
  struct Owner {
    std::thread::id thread;
    std::uint64_t generation;
  };
  struct Registry {
    std::mutex m;
    std::map<const void*, Owner> owner;
    std::uint64_t generation = 0;
  };
  static Registry& registry() {
    static Registry* r = [] {
      auto* reg = new Registry;  // never destroyed: used until the interpreter exits
#if defined(__unix__) || defined(__APPLE__)
      pthread_atfork([] { registry().m.lock(); }, [] { registry().m.unlock(); },
                     [] {
                       auto& c = registry();
                       new (&c.m) std::mutex;  // the child's copy was locked by the parent
                       ++c.generation;
                     });
#endif
      return reg;
    }();
    return *r;
  }

  std::mutex& mu_;
  const void* key_;
};

}  // namespace fastinit::py_glue
