// Diagnostics, LSUV and sweeps: one call each into the C++ engine, GIL released.
#include <fastinit/diagnostics.hpp>
#include <fastinit/experiment.hpp>
#include <fastinit/lsuv.hpp>

#include "common.hpp"

namespace fastinit::py_glue {

namespace {

py::dict layer_dict(const LayerStats& s, int layer) {
  py::dict d;
  d["layer"] = layer;
  d["z_mean"] = s.z_mean;
  d["z_std"] = s.z_std;
  d["q"] = s.q;
  d["a_mean"] = s.a_mean;
  d["a_std"] = s.a_std;
  d["dead_frac"] = s.dead_frac;
  d["saturated_frac"] = s.saturated_frac;
  d["grad_z_norm"] = s.grad_z_norm;
  d["grad_a_norm"] = s.grad_a_norm;
  d["grad_w_norm"] = s.grad_w_norm;
  d["grad_b_norm"] = s.grad_b_norm;
  d["w_norm"] = s.w_norm;
  d["grad_w_ratio"] = s.grad_w_ratio;
  d["w_row_similarity"] = s.w_row_similarity;
  d["grad_w_row_similarity"] = s.grad_w_row_similarity;
  return d;
}

py::dict diagnosis_dict(const Diagnosis& dg) {
  py::dict d;
  py::list layers;
  for (std::size_t l = 0; l < dg.layers.size(); ++l)
    layers.append(layer_dict(dg.layers[l], static_cast<int>(l) + 1));
  d["layers"] = layers;
  d["loss"] = dg.loss;
  d["log_q_slope"] = dg.log_q_slope;
  d["log_grad_z_slope"] = dg.log_grad_z_slope;
  d["verdict"] = dg.verdict;
  d["reason"] = dg.reason;
  return d;
}

py::list lsuv_list(const std::vector<LsuvLayer>& v) {
  py::list out;
  for (std::size_t l = 0; l < v.size(); ++l) {
    py::dict d;
    d["layer"] = static_cast<int>(l) + 1;
    d["iterations"] = v[l].iterations;
    d["initial_var"] = v[l].initial_var;
    d["final_var"] = v[l].final_var;
    d["scale"] = v[l].scale;
    out.append(d);
  }
  return out;
}

template <class T>
Eigen::Map<const Matrix<T>> input(const py::handle& obj, index_t cols) {
  py::array a = as_ndarray(obj, "X");
  if (!a.dtype().is(py::dtype::of<T>()))
    throw dtype_error(
        detail::cat("argument 'X': expected the network's dtype, got ", dtype_name(a)));
  if (a.ndim() != 2 || a.shape(1) != cols || a.shape(0) < 1)
    throw shape_error(detail::cat("argument 'X': expected shape (N, ", cols, ") with N >= 1, got ",
                                  detail::shape_str(shape_of(a))));
  if (!(a.flags() & py::array::c_style))
    throw value_error("argument 'X': expected a C-contiguous array");
  const T* p = static_cast<const T*>(a.data());
  for (index_t i = 0; i < a.size(); ++i)
    if (!std::isfinite(p[i]))
      throw value_error(
          detail::cat("argument 'X': must be finite, found ", p[i], " at flat index ", i));
  return {p, a.shape(0), cols};
}

template <class T>
void bind_typed(py::module_& m) {
  m.def(
      "diagnose",
      [](Mlp<T>& net, const py::handle& X, const py::object& y, const py::object& generator) {
        auto Xm = input<T>(X, net.sizes()[0]);
        Target<T> t;
        py::array lab, dense;
        if (!y.is_none()) {
          py::array a = as_ndarray(y, "y");
          const char kind = a.dtype().kind();
          if (kind == 'i' || kind == 'u') {
            lab = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
            if (lab.ndim() != 1 || lab.shape(0) != Xm.rows())
              throw shape_error("argument 'y': labels must have shape (N,)");
            t.labels = static_cast<const std::int64_t*>(lab.data());
          } else {
            if (!a.dtype().is(py::dtype::of<T>()))
              throw dtype_error("argument 'y': expected integer labels or the network's dtype");
            if (!(a.flags() & py::array::c_style) || a.size() != Xm.rows() * net.sizes().back())
              throw shape_error("argument 'y': expected a C-contiguous (N, D_L) array");
            dense = a;
            t.dense = static_cast<const T*>(a.data());
          }
          check_target(net.output(), t, Xm.rows(), net.sizes().back());
        }
        auto g = get_generator(generator);
        Diagnosis d;
        {
          py::gil_scoped_release nogil;
          std::lock_guard<std::mutex> lk(net.mutex());
          d = diagnose(net, Xm, t, *g);
        }
        return diagnosis_dict(d);
      },
      py::arg("net"), py::arg("X"), py::arg("y") = py::none(), py::arg("generator") = py::none(),
      "Per-layer statistics of one forward and backward pass, with the verdict.");
  m.def(
      "lsuv_",
      [](Mlp<T>& net, const py::handle& X, double tol, int max_iter, bool orthogonal_init,
         const py::object& generator) {
        auto Xm = input<T>(X, net.sizes()[0]);
        auto g = get_generator(generator);
        std::vector<LsuvLayer> r;
        {
          py::gil_scoped_release nogil;
          std::lock_guard<std::mutex> lk(net.mutex());
          r = lsuv_(net, Xm, *g, tol, max_iter, orthogonal_init);
        }
        return lsuv_list(r);
      },
      py::arg("net"), py::arg("X"), py::arg("tol") = 0.1, py::arg("max_iter") = 10,
      py::arg("orthogonal_init") = true, py::arg("generator") = py::none(),
      "Layer-sequential unit-variance init; returns what it did per layer.");
}

ExperimentConfig experiment_config(const py::dict& d) {
  ExperimentConfig c;
  for (auto kv : d) {
    const auto k = kv.first.cast<std::string>();
    const py::handle v = kv.second;
    if (k == "init")
      c.init = v.cast<std::string>();
    else if (k == "param")
      c.param = v.cast<double>();
    else if (k == "activation")
      c.activation = Activation::from_name(v.cast<std::string>());
    else if (k == "negative_slope")
      c.activation.negative_slope = v.cast<double>();
    else if (k == "depth")
      c.depth = v.cast<int>();
    else if (k == "width")
      c.width = v.cast<index_t>();
    else if (k == "classes")
      c.classes = v.cast<index_t>();
    else if (k == "batch")
      c.batch = v.cast<index_t>();
    else if (k == "sigma_w")
      c.sigma_w = v.cast<double>();
    else if (k == "sigma_b")
      c.sigma_b = v.cast<double>();
    else if (k == "steps")
      c.steps = v.cast<int>();
    else if (k == "optimizer")
      c.optim.kind = v.cast<std::string>();
    else if (k == "lr")
      c.optim.lr = v.cast<double>();
    else if (k == "momentum")
      c.optim.momentum = v.cast<double>();
    else if (k == "clip_mode")
      c.clip_mode = v.cast<std::string>();
    else if (k == "clip")
      c.clip = v.cast<double>();
    else
      detail::unknown_name(
          "experiment option", k,
          {"init", "param", "activation", "negative_slope", "depth", "width", "classes", "batch",
           "sigma_w", "sigma_b", "steps", "optimizer", "lr", "momentum", "clip_mode", "clip"});
  }
  c.validate();
  return c;
}

}  // namespace

void register_experiment(py::module_& m) {
  // One bound name per function: pybind11 picks the overload by the network's class.
  bind_typed<float>(m);
  bind_typed<double>(m);
  m.def(
      "scheme_names", [] { return scheme_names(); },
      "Initialization schemes an experiment accepts.");
  m.def("verdict_names", [] { return verdict_names(); }, "The verdicts diagnose can give.");
  m.def(
      "run_experiments",
      [](const py::list& configs, const py::list& generators, const py::handle& dtype,
         int threads) {
        if (configs.size() != generators.size())
          throw value_error("run_experiments: one generator per configuration");
        std::vector<ExperimentConfig> cs;
        std::vector<Generator> gens;
        for (auto c : configs) cs.push_back(experiment_config(c.cast<py::dict>()));
        for (auto g : generators) gens.push_back(*get_generator(g));
        const char code = dtype_code(dtype);
        std::vector<ExperimentResult> rs;
        if (threads < 0) throw value_error(detail::cat("threads must be >= 1, got ", threads));
        {
          py::gil_scoped_release nogil;
          ScopedThreadLimit limit(threads);  // this call only; 0: the process-wide setting
          rs = code == 'f' ? run_sweep<float>(cs, gens) : run_sweep<double>(cs, gens);
        }
        py::list out;
        for (const auto& r : rs) {
          py::dict d = diagnosis_dict(r.diagnosis);
          d["lsuv"] = lsuv_list(r.lsuv);
          d["train_loss"] = py::array_t<double>(static_cast<py::ssize_t>(r.train_loss.size()),
                                                r.train_loss.data());
          d["train_nonfinite"] = r.train_nonfinite;
          out.append(d);
        }
        return out;
      },
      py::arg("configs"), py::arg("generators"), py::arg("dtype"), py::arg("threads") = 0,
      "Run experiments on the thread pool (experiment i draws from generators[i]); threads > 0 "
      "caps this call's threads.");
}

}  // namespace fastinit::py_glue
