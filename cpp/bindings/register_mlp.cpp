// fastinit.MLP's compiled half (MlpFloat32 / MlpFloat64), gradients, clipping and optimizers.
// Inputs are checked here (dtype, layout, shape, finiteness) and the C++ runs with the GIL
// released; the only Python call made without it re-acquires it (fit's callback).
#include <fastinit/clip.hpp>
#include <fastinit/fit.hpp>
#include <fastinit/mlp.hpp>
#include <fastinit/optim.hpp>

#include "common.hpp"

namespace fastinit::py_glue {

namespace {

template <class T>
const char* dtype_str() {
  return std::is_same_v<T, float> ? "float32" : "float64";
}

// X: a C-contiguous 2-D array of the network's dtype with finite values.
template <class T>
Eigen::Map<const Matrix<T>> input_matrix(const py::handle& obj, const char* arg, index_t cols) {
  py::array a = as_ndarray(obj, arg);
  if (!a.dtype().is(py::dtype::of<T>()))
    throw dtype_error(detail::cat("argument '", arg, "': expected a ", dtype_str<T>(),
                                  " array (the network's dtype), got ", dtype_name(a),
                                  "; convert with ", arg, ".astype(np.", dtype_str<T>(), ")"));
  if (a.ndim() != 2 || a.shape(1) != cols)
    throw shape_error(detail::cat("argument '", arg, "': expected shape (N, ", cols, "), got ",
                                  detail::shape_str(shape_of(a))));
  if (a.shape(0) < 1)
    throw shape_error(detail::cat("argument '", arg, "': needs at least one row"));
  if (!(a.flags() & py::array::c_style))
    throw value_error(detail::cat(
        "argument '", arg, "': expected a C-contiguous array (use numpy.ascontiguousarray)"));
  const T* p = static_cast<const T*>(a.data());
  const index_t n = a.shape(0) * cols;
  for (index_t i = 0; i < n; ++i)
    if (!std::isfinite(p[i]))
      throw value_error(
          detail::cat("argument '", arg, "': must be finite, found ", p[i], " at flat index ", i));
  return {p, a.shape(0), cols};
}

// y: labels (integer array (N,)) or dense targets (N, K) / (N,) when K == 1. Keeps the owning
// arrays alive in `keep`.
template <class T>
Target<T> target(const py::handle& obj, index_t N, index_t K, Output out,
                 std::vector<py::array>& keep) {
  py::array a = as_ndarray(obj, "y");
  Target<T> t;
  const char kind = a.dtype().kind();
  if (kind == 'i' || kind == 'u') {
    if (a.ndim() != 1 || a.shape(0) != N)
      throw shape_error(detail::cat("argument 'y': integer labels must have shape (", N, ",), got ",
                                    detail::shape_str(shape_of(a))));
    auto lab = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
    keep.push_back(lab);
    t.labels = lab.data();
  } else {
    if (!a.dtype().is(py::dtype::of<T>()))
      throw dtype_error(detail::cat("argument 'y': expected integer labels or a ", dtype_str<T>(),
                                    " array, got ", dtype_name(a)));
    const bool ok = (a.ndim() == 2 && a.shape(0) == N && a.shape(1) == K) ||
                    (a.ndim() == 1 && K == 1 && a.shape(0) == N);
    if (!ok)
      throw shape_error(detail::cat("argument 'y': expected shape (", N, ", ", K, "), got ",
                                    detail::shape_str(shape_of(a))));
    if (!(a.flags() & py::array::c_style))
      throw value_error("argument 'y': expected a C-contiguous array");
    keep.push_back(a);
    t.dense = static_cast<const T*>(a.data());
  }
  check_target(out, t, N, K);
  return t;
}

// A zero-copy view into memory owned by `owner` (kept alive through the array's base).
template <class T>
py::array_t<T> view_into(T* data, std::vector<py::ssize_t> shape, py::handle owner) {
  return py::array_t<T>(shape, data, owner);
}

template <class T>
using Grads = Params<T>;

template <class T>
TensorList<T> tensor_list(const py::handle& obj) {
  TensorList<T> out;
  for (auto item : obj) {
    py::array a = as_ndarray(item, "grads");
    check_inplace(a, "grads");
    if (!a.dtype().is(py::dtype::of<T>()))
      throw dtype_error("argument 'grads': all tensors must have the same dtype");
    out.emplace_back(static_cast<T*>(a.mutable_data()), static_cast<std::size_t>(a.size()));
  }
  return out;
}

// Dispatch a list of arrays on the dtype of its first element.
template <class F>
auto with_tensor_list(const py::handle& obj, F&& f) {
  if (!py::isinstance<py::sequence>(obj) && !py::isinstance<py::iterable>(obj))
    throw py::type_error("argument 'grads': expected a list of numpy arrays");
  py::list items;
  for (auto it : obj) items.append(it);
  if (items.size() == 0) {
    TensorList<float> none;
    return f(none);
  }
  py::array first = as_ndarray(items[0], "grads");
  check_inplace(first, "grads");
  if (is_f32(first)) {
    auto ts = tensor_list<float>(items);
    return f(ts);
  }
  auto ts = tensor_list<double>(items);
  return f(ts);
}

Activation parse_activation(const py::handle& spec) {
  // "name" or (name, {param: value})
  if (py::isinstance<py::str>(spec)) return Activation::from_name(spec.cast<std::string>());
  auto t = spec.cast<py::tuple>();
  Activation a = Activation::from_name(t[0].cast<std::string>());
  if (t.size() > 1) {
    for (auto kv : t[1].cast<py::dict>()) {
      const auto key = kv.first.cast<std::string>();
      const double v = kv.second.cast<double>();
      if (key == "negative_slope")
        a.negative_slope = v;
      else if (key == "alpha")
        a.alpha = v;
      else if (key == "beta")
        a.beta = v;
      else if (key == "threshold")
        a.threshold = v;
      else
        detail::unknown_name("activation parameter", key,
                             {"negative_slope", "alpha", "beta", "threshold"});
    }
  }
  a.validate();
  return a;
}

OptimConfig optim_config(const py::dict& d) {
  OptimConfig c;
  for (auto kv : d) {
    const auto k = kv.first.cast<std::string>();
    if (k == "kind")
      c.kind = kv.second.cast<std::string>();
    else if (k == "lr")
      c.lr = kv.second.cast<double>();
    else if (k == "momentum")
      c.momentum = kv.second.cast<double>();
    else if (k == "dampening")
      c.dampening = kv.second.cast<double>();
    else if (k == "weight_decay")
      c.weight_decay = kv.second.cast<double>();
    else if (k == "nesterov")
      c.nesterov = kv.second.cast<bool>();
    else if (k == "beta1")
      c.beta1 = kv.second.cast<double>();
    else if (k == "beta2")
      c.beta2 = kv.second.cast<double>();
    else if (k == "eps")
      c.eps = kv.second.cast<double>();
    else
      detail::unknown_name("optimizer option", k,
                           {"kind", "lr", "momentum", "dampening", "weight_decay", "nesterov",
                            "beta1", "beta2", "eps"});
  }
  c.validate();
  return c;
}

py::dict history_dict(const History& h) {
  py::dict d;
  auto arr = [](const std::vector<double>& v) {
    return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
  };
  d["step_loss"] = arr(h.step_loss);
  d["step_grad_norm"] = arr(h.step_grad_norm);
  d["epoch_loss"] = arr(h.epoch_loss);
  auto lg = arr(h.layer_grad_norm);
  d["layer_grad_norm"] =
      lg.reshape({static_cast<py::ssize_t>(h.epochs_done), static_cast<py::ssize_t>(h.num_layers)});
  d["epochs"] = h.epochs_done;
  d["nonfinite"] = h.nonfinite;
  d["stopped"] = h.stopped;
  return d;
}

template <class T>
void bind_mlp(py::module_& m, const char* mlp_name, const char* grads_name, const char* opt_name) {
  py::class_<Grads<T>>(m, grads_name, py::module_local(),
                       "Gradients laid out like the network's parameters.")
      .def_property_readonly("num_layers", &Grads<T>::num_layers)
      .def(
          "weight",
          [](py::object self, int l) {
            auto& g = self.cast<Grads<T>&>();
            if (l < 0 || l >= g.num_layers())
              throw value_error(
                  detail::cat("layer index ", l, " out of range [0, ", g.num_layers(), ")"));
            auto W = g.W(l);
            return view_into<T>(W.data(), {W.rows(), W.cols()}, self);
          },
          py::arg("l"), "dW of layer l (out, in), a writeable view.")
      .def(
          "bias",
          [](py::object self, int l) {
            auto& g = self.cast<Grads<T>&>();
            if (l < 0 || l >= g.num_layers())
              throw value_error(
                  detail::cat("layer index ", l, " out of range [0, ", g.num_layers(), ")"));
            auto b = g.b(l);
            return view_into<T>(b.data(), {b.size()}, self);
          },
          py::arg("l"), "db of layer l (out,), a writeable view.");

  py::class_<Mlp<T>>(m, mlp_name, py::module_local(), "The compiled network (use fastinit.MLP).")
      .def(
          py::init([](std::vector<index_t> sizes, const py::list& acts, const std::string& output) {
            std::vector<Activation> a;
            for (auto s : acts) a.push_back(parse_activation(s));
            return std::make_unique<Mlp<T>>(sizes, a, output_from_name(output));
          }),
          py::arg("sizes"), py::arg("activations"), py::arg("output"))
      .def_property_readonly("num_layers", &Mlp<T>::num_layers)
      .def_property_readonly("sizes", &Mlp<T>::sizes)
      .def(
          "weight",
          [](py::object self, int l) {
            auto& net = self.cast<Mlp<T>&>();
            if (l < 0 || l >= net.num_layers())
              throw value_error(
                  detail::cat("layer index ", l, " out of range [0, ", net.num_layers(), ")"));
            auto W = net.params().W(l);
            return view_into<T>(W.data(), {W.rows(), W.cols()}, self);
          },
          py::arg("l"))
      .def(
          "bias",
          [](py::object self, int l) {
            auto& net = self.cast<Mlp<T>&>();
            if (l < 0 || l >= net.num_layers())
              throw value_error(
                  detail::cat("layer index ", l, " out of range [0, ", net.num_layers(), ")"));
            auto b = net.params().b(l);
            return view_into<T>(b.data(), {b.size()}, self);
          },
          py::arg("l"))
      .def("new_grads", [](const Mlp<T>& net) { return Grads<T>(net.sizes()); })
      .def(
          "forward",
          [](Mlp<T>& net, const py::handle& X) {
            auto Xm = input_matrix<T>(X, "X", net.sizes()[0]);
            auto P =
                aligned_alloc_array<T>(static_cast<std::size_t>(Xm.rows() * net.sizes().back()));
            {
              py::gil_scoped_release nogil;
              std::lock_guard<std::mutex> lk(net.mutex());
              MatrixMap<T> Pm(P.get(), Xm.rows(), net.sizes().back());
              net.predict(Xm, Pm);
            }
            return adopt(std::move(P), {Xm.rows(), net.sizes().back()});
          },
          py::arg("X"), "Prediction P (N, D_L) after the output activation.")
      .def(
          "loss",
          [](Mlp<T>& net, const py::handle& X, const py::handle& y) {
            auto Xm = input_matrix<T>(X, "X", net.sizes()[0]);
            std::vector<py::array> keep;
            auto t = target<T>(y, Xm.rows(), net.sizes().back(), net.output(), keep);
            py::gil_scoped_release nogil;
            std::lock_guard<std::mutex> lk(net.mutex());
            return net.loss(Xm, t);
          },
          py::arg("X"), py::arg("y"))
      .def(
          "loss_and_grad",
          [](Mlp<T>& net, const py::handle& X, const py::handle& y, Grads<T>& g) {
            auto Xm = input_matrix<T>(X, "X", net.sizes()[0]);
            std::vector<py::array> keep;
            auto t = target<T>(y, Xm.rows(), net.sizes().back(), net.output(), keep);
            net.check_grads(g);
            py::gil_scoped_release nogil;
            std::lock_guard<std::mutex> lk(net.mutex());
            return net.loss_and_grad(Xm, t, g);
          },
          py::arg("X"), py::arg("y"), py::arg("grads"))
      .def(
          "cache",
          [](const Mlp<T>& net, const std::string& kind, int l) {
            const int L = net.num_layers();
            if (l < 0 || l >= L)
              throw value_error(detail::cat("layer index ", l, " out of range [0, ", L, ")"));
            if (kind != "Z" && kind != "A" && kind != "dZ" && kind != "dA")
              detail::unknown_name("cache", kind, {"Z", "A", "dZ", "dA"});
            if ((kind == "dA") && l == L - 1)
              throw value_error("dA is cached for hidden layers only");
            aligned_ptr<T> buf;
            index_t rows = 0, cols = 0;
            {
              py::gil_scoped_release nogil;  // never wait for the network's lock holding the GIL
              std::lock_guard<std::mutex> lk(net.mutex());
              const auto& ws = net.workspace();
              if (ws.N == 0) throw value_error("no pass has run yet");
              if ((kind == "dZ" || kind == "dA") && !ws.has_grads)
                throw value_error(
                    "no backward pass since the last forward: call loss_and_grad first");
              const auto& M = kind == "Z"    ? ws.Z[l]
                              : kind == "A"  ? ws.A[l]
                              : kind == "dZ" ? ws.dZ[l]
                                             : ws.dA[l];
              rows = ws.N;
              cols = M.cols();
              buf = aligned_alloc_array<T>(static_cast<std::size_t>(rows * cols));
              std::copy(M.data(), M.data() + rows * cols, buf.get());
            }
            return adopt(std::move(buf), {rows, cols});
          },
          py::arg("kind"), py::arg("l"),
          "A copy of a per-layer cache of the last pass (layer l is 0-based).")
      .def(
          "fit",
          [](Mlp<T>& net, const py::handle& X, const py::handle& y, int epochs, index_t batch_size,
             bool shuffle, const py::dict& optim, const std::string& clip_mode, double clip,
             double norm_type, const py::object& generator, const py::object& callback,
             index_t callback_every) {
            auto Xm = input_matrix<T>(X, "X", net.sizes()[0]);
            std::vector<py::array> keep;
            auto t = target<T>(y, Xm.rows(), net.sizes().back(), net.output(), keep);
            FitConfig cfg;
            cfg.epochs = epochs;
            cfg.batch_size = batch_size;
            cfg.shuffle = shuffle;
            cfg.optim = optim_config(optim);
            cfg.clip_mode = clip_mode;
            cfg.clip = clip;
            cfg.norm_type = norm_type;
            cfg.callback_every = callback.is_none() ? 0 : callback_every;
            cfg.validate();
            auto gen = get_generator(generator);
            std::function<bool(const History&, std::int64_t)> cb;
            std::exception_ptr cb_error;
            if (!callback.is_none()) {
              cb = [&](const History& h, std::int64_t step) {
                py::gil_scoped_acquire gil;  // briefly, for the Python callback
                try {
                  py::object r = callback(step, h.step_loss.back(), h.step_grad_norm.back());
                  return r.is_none() || r.cast<bool>();
                } catch (...) {
                  cb_error = std::current_exception();
                  return false;
                }
              };
            }
            History h;
            {
              py::gil_scoped_release nogil;
              std::lock_guard<std::mutex> lk(net.mutex());
              h = fit(net, Xm, t, cfg, *gen, cb);
            }
            if (cb_error) std::rethrow_exception(cb_error);
            return history_dict(h);
          },
          py::arg("X"), py::arg("y"), py::arg("epochs"), py::arg("batch_size"), py::arg("shuffle"),
          py::arg("optim"), py::arg("clip_mode"), py::arg("clip"), py::arg("norm_type"),
          py::arg("generator"), py::arg("callback"), py::arg("callback_every"));

  py::class_<Optimizer<T>>(m, opt_name, py::module_local(),
                           "SGD / Adam / AdamW state for one network.")
      .def(py::init([](const Mlp<T>& net, const py::dict& cfg) {
             return std::make_unique<Optimizer<T>>(optim_config(cfg), net.params().size());
           }),
           py::arg("net"), py::arg("config"))
      .def(
          "step",
          [](Optimizer<T>& o, Mlp<T>& net, const Grads<T>& g) {
            net.check_grads(g);
            py::gil_scoped_release nogil;
            std::lock_guard<std::mutex> lk(net.mutex());
            o.step(net.params().data(), g.data());
          },
          py::arg("net"), py::arg("grads"))
      .def_property(
          "lr", [](const Optimizer<T>& o) { return o.config().lr; }, &Optimizer<T>::set_lr)
      .def_property_readonly("steps", &Optimizer<T>::steps);
}

}  // namespace

void register_mlp(py::module_& m) {
  bind_mlp<float>(m, "MlpFloat32", "GradsFloat32", "OptimizerFloat32");
  bind_mlp<double>(m, "MlpFloat64", "GradsFloat64", "OptimizerFloat64");
  m.def("activation_names", [] { return Activation::names(); });
  m.def("output_names", [] { return output_names(); });

  m.def(
      "clip_grad_norm_",
      [](const py::handle& grads, double max_norm, double norm_type, bool error_if_nonfinite) {
        return with_tensor_list(grads, [&](auto& ts) {
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
        with_tensor_list(grads, [&](auto& ts) {
          py::gil_scoped_release nogil;
          clip_grad_value_(ts, clip_value);
          return 0;
        });
      },
      py::arg("grads"), py::arg("clip_value"), "Clamp every element to [-clip_value, clip_value].");
  m.def(
      "clip_by_norm_",
      [](const py::handle& grads, double threshold) {
        return with_tensor_list(grads, [&](auto& ts) {
          py::gil_scoped_release nogil;
          return clip_by_norm_(ts, threshold);
        });
      },
      py::arg("grads"), py::arg("threshold"),
      "Per tensor: g *= threshold / ||g|| when ||g|| > threshold.");
  m.def(
      "total_norm",
      [](const py::handle& grads, double norm_type) {
        return with_tensor_list(grads, [&](auto& ts) {
          py::gil_scoped_release nogil;
          return total_norm(ts, norm_type);
        });
      },
      py::arg("grads"), py::arg("norm_type") = 2.0, "The p-norm of the per-tensor p-norms.");
}

}  // namespace fastinit::py_glue
