// fastinit's clipping (clip.hpp): ClipConfig, and the functions over a list of arrays (in place;
// float32 / float64, C-contiguous, writeable, one dtype).
#include <fastinit/clip.hpp>

#include "casters.hpp"
#include "common.hpp"
#include "net_glue.hpp"

namespace fastinit::py_glue {

namespace {

void check_tensor(const py::array& a, bool writes) {
  if (writes) return check_inplace(a, "grads");
  if (!is_f32(a) && !is_f64(a))
    throw dtype_error(
        detail::cat("argument 'grads': expected float32 or float64 arrays, got ", dtype_name(a)));
}

// The arrays of `items`: written in place (checked as in-place targets), or only read (total_norm:
// of one float dtype, any layout, read-only allowed).
template <class T>
TensorList<T> tensor_list(const py::list& items, bool writes, std::vector<py::array>& keep) {
  TensorList<T> out;
  for (auto item : items) {
    py::array a = as_ndarray(item, "grads");
    check_tensor(a, writes);
    if (!writes) {  // a read-only input: any layout, converted once (kept alive in `keep`)
      a = c_array_of<T>(a);
      keep.push_back(a);
    }
    if (!has_dtype<T>(a))
      throw dtype_error(detail::cat("argument 'grads': all tensors must have one dtype; got ",
                                    dtype_str<T>(), " and ", dtype_name(a)));
    // total_norm's tensors are only read: the const_cast never leads to a write
    out.emplace_back(static_cast<T*>(const_cast<void*>(a.data())),
                     static_cast<std::size_t>(a.size()));
  }
  return out;
}

// Calls f(TensorList<T>&) for the dtype of the first array (float for an empty list).
template <class F>
auto with_tensor_list(const py::handle& obj, bool writes, F&& f) {
  if (py::isinstance<py::str>(obj) || !py::isinstance<py::iterable>(obj))
    throw py::type_error("argument 'grads': expected a list of numpy arrays");
  py::list items;
  for (auto it : obj) items.append(it);
  if (items.size() == 0) {
    TensorList<float> none;
    return f(none);
  }
  py::array first = as_ndarray(items[0], "grads");
  check_tensor(first, writes);
  std::vector<py::array> keep;
  if (is_f32(first)) {
    auto ts = tensor_list<float>(items, writes, keep);
    return f(ts);
  }
  auto ts = tensor_list<double>(items, writes, keep);
  return f(ts);
}

}  // namespace

void register_clip(py::module_& m) {
  py::class_<ClipConfig> cfg(m, "ClipConfig", py::module_local(),
                             "What to clip after each backward pass, and to what.");
  cfg.def(py::init([](ClipMode mode, double threshold, double norm_type) {
            ClipConfig c{mode, threshold, norm_type};
            c.validate();
            return c;
          }),
          py::kw_only(), py::arg("mode") = ClipMode::none, py::arg("threshold") = 0.0,
          py::arg("norm_type") = 2.0)
      .def_readonly("mode", &ClipConfig::mode)
      .def_readonly("threshold", &ClipConfig::threshold)
      .def_readonly("norm_type", &ClipConfig::norm_type);
  config_methods(cfg, "ClipConfig", {"mode", "threshold", "norm_type"});
  m.def("clip_mode_names", [] { return enum_names<ClipMode>::names(); });

  m.def(
      "clip_grad_norm_",
      [](const py::handle& grads, double max_norm, double norm_type, bool error_if_nonfinite) {
        return with_tensor_list(grads, true, [&](auto& ts) {
          py::gil_scoped_release nogil;
          return clip_grad_norm_(ts, max_norm, norm_type, error_if_nonfinite);
        });
      },
      py::arg("grads"), py::arg("max_norm"), py::arg("norm_type") = 2.0,
      py::arg("error_if_nonfinite") = false,
      "PyTorch's clip_grad_norm_ over a list of arrays; returns the total norm.");
  m.def(
      "clip_grad_value_",
      [](const py::handle& grads, double clip_value) {
        with_tensor_list(grads, true, [&](auto& ts) {
          py::gil_scoped_release nogil;
          clip_grad_value_(ts, clip_value);
          return 0;
        });
      },
      py::arg("grads"), py::arg("clip_value"),
      "Clamp every element as torch.clamp(g, -clip_value, clip_value).");
  m.def(
      "clip_by_norm_",
      [](const py::handle& grads, double threshold) {
        return with_tensor_list(grads, true, [&](auto& ts) {
          py::gil_scoped_release nogil;
          return clip_by_norm_(ts, threshold);
        });
      },
      py::arg("grads"), py::arg("threshold"),
      "Per tensor: g *= threshold / ||g|| when ||g|| > threshold.");
  m.def(
      "total_norm",
      [](const py::handle& grads, double norm_type) {
        return with_tensor_list(grads, false, [&](auto& ts) {
          py::gil_scoped_release nogil;
          return total_norm(ts, norm_type);
        });
      },
      py::arg("grads"), py::arg("norm_type") = 2.0, "The p-norm of the per-tensor p-norms.");
}

}  // namespace fastinit::py_glue
