// Sweeps (experiment.hpp): ExperimentConfig and run_experiments, many experiments on the thread
// pool in one call with the GIL released, synthetic or on a data set (checked by net_glue.hpp's
// input and target checkers, the ones fit uses).
#include <fastinit/experiment.hpp>

#include "casters.hpp"
#include "common.hpp"
#include "net_glue.hpp"
#include "results.hpp"

namespace fastinit::py_glue {

namespace {

// Class labels (N,) of an integer dtype, each >= 0; returns the largest. Sweeps classify.
std::int64_t check_labels(const py::handle& y, index_t N, const char* arg) {
  py::array a = real_array(y, arg);
  const char kind = a.dtype().kind();
  if (kind != 'i' && kind != 'u')
    throw dtype_error(detail::cat("argument '", arg,
                                  "': a sweep classifies: expected integer class labels, got ",
                                  dtype_name(a)));
  if (a.ndim() != 1 || a.shape(0) != N)
    throw shape_error(detail::cat("argument '", arg, "': integer labels must have shape (", N,
                                  ",), got ", detail::shape_str(shape_of(a))));
  auto lab = c_array_of<std::int64_t>(a);
  const std::int64_t* p = lab.data();
  std::int64_t hi = 0;
  for (index_t i = 0; i < N; ++i) hi = std::max(hi, p[i]);
  if (hi >= std::numeric_limits<index_t>::max() / 2)
    throw value_error(detail::cat("argument '", arg, "': label ", hi, " is too large"));
  // labels in [0, hi]: TargetData reports the first negative one
  TargetData<double> t(a, N, static_cast<index_t>(hi) + 1, Output::softmax, arg);
  return hi;
}

// (rows, features) of a 2-D X of finite real numbers (features = -1: any number).
std::pair<index_t, index_t> check_features(const py::handle& X, index_t features, const char* arg) {
  if (features < 0) {
    py::array a = real_array(X, arg);
    if (a.ndim() != 2)
      throw shape_error(detail::cat("argument '", arg,
                                    "': expected a 2-D array (N, features), got ",
                                    detail::shape_str(shape_of(a))));
    features = a.shape(1);
    if (features < 1)
      throw shape_error(detail::cat("argument '", arg, "': needs at least one feature"));
  }
  InputMatrix<double> in(X, arg, features);
  return {in.rows, in.cols};
}

// The converted splits of a data sweep, alive for the call.
template <class T>
struct SweepData {
  InputMatrix<T> Xtr, Xte;
  TargetData<T> ytr, yte;
  DataSplit<T> split;

  SweepData(const py::tuple& d, index_t features, index_t classes)
      : Xtr(d[0], "X_train", features),
        Xte(d[2], "X_test", features),
        ytr(d[1], Xtr.rows, classes, Output::softmax, "y_train"),
        yte(d[3], Xte.rows, classes, Output::softmax, "y_test") {
    if (!ytr.t.labels || !yte.t.labels)
      throw dtype_error("data: a sweep classifies: y_train and y_test must be integer labels");
    split = DataSplit<T>{Xtr.arr.data(), ytr.t.labels, Xtr.rows, Xte.arr.data(),
                         yte.t.labels,   Xte.rows,     features, classes};
  }
};

template <class T>
std::vector<ExperimentResult> run_configs(const std::vector<ExperimentConfig>& configs,
                                          std::vector<Generator>& gens, const py::object& data,
                                          int threads) {
  std::unique_ptr<SweepData<T>> sd;
  if (!data.is_none()) {
    if (!py::isinstance<py::tuple>(data) || py::len(data) != 4)
      throw py::type_error("argument 'data': expected (X_train, y_train, X_test, y_test)");
    if (configs.empty()) return {};
    const auto s = configs.front().layer_sizes();
    sd = std::make_unique<SweepData<T>>(data.cast<py::tuple>(), s.front(), s.back());
  }
  const DataSplit<T>* split = sd ? &sd->split : nullptr;
  return interruptible([&] {
    // Safe without the GIL: the arrays are owned by sd (or the caller's tuple) for the call.
    py::gil_scoped_release nogil;
    ScopedThreadLimit limit(threads);  // this call only; 0: the process-wide setting
    return run_sweep<T>(configs, gens, split);
  });
}

}  // namespace

void register_experiment(py::module_& m) {
  py::class_<ExperimentConfig> cfg(
      m, "ExperimentConfig", py::module_local(),
      "One experiment: a [width] * (depth + 1) + [classes] network (or explicit sizes) with a "
      "scheme and an activation, diagnosed on a Gaussian batch and optionally trained; or, "
      "with data, sized to it and trained on it for epochs.");
  cfg.def(py::init([](SchemeConfig init, Activation activation, int depth, index_t width,
                      index_t classes, index_t batch, std::int64_t steps, OptimConfig optim,
                      ClipConfig clip, std::vector<index_t> sizes, std::int64_t epochs,
                      index_t batch_size, double target, double diverge_factor) {
            ExperimentConfig c;
            c.init = init;
            c.activation = activation;
            c.depth = depth;
            c.width = width;
            c.classes = classes;
            c.batch = batch;
            c.steps = steps;
            c.optim = std::move(optim);
            c.clip = clip;
            c.sizes = std::move(sizes);
            c.epochs = epochs;
            c.batch_size = batch_size;
            c.target = target;
            c.diverge_factor = diverge_factor;
            c.validate();
            return c;
          }),
          py::kw_only(), py::arg("init") = SchemeConfig{}, py::arg("activation") = Activation{},
          py::arg("depth") = 10, py::arg("width") = 256, py::arg("classes") = 10,
          py::arg("batch") = 128, py::arg("steps") = 0, py::arg("optim") = OptimConfig{},
          py::arg("clip") = ClipConfig{}, py::arg("sizes") = std::vector<index_t>{},
          py::arg("epochs") = 0, py::arg("batch_size") = 64, py::arg("target") = 0.9,
          py::arg("diverge_factor") = 4.0)
      .def_readonly("init", &ExperimentConfig::init)
      .def_readonly("activation", &ExperimentConfig::activation)
      .def_readonly("depth", &ExperimentConfig::depth)
      .def_readonly("width", &ExperimentConfig::width)
      .def_readonly("classes", &ExperimentConfig::classes)
      .def_readonly("batch", &ExperimentConfig::batch)
      .def_readonly("steps", &ExperimentConfig::steps)
      .def_readonly("optim", &ExperimentConfig::optim)
      .def_readonly("clip", &ExperimentConfig::clip)
      .def_readonly("sizes", &ExperimentConfig::sizes)
      .def_readonly("epochs", &ExperimentConfig::epochs)
      .def_readonly("batch_size", &ExperimentConfig::batch_size)
      .def_readonly("target", &ExperimentConfig::target)
      .def_readonly("diverge_factor", &ExperimentConfig::diverge_factor)
      .def("layer_sizes", &ExperimentConfig::layer_sizes, "The network's layer sizes.")
      .def("cost", &ExperimentConfig::cost, py::arg("on_data"),
           "What running it costs, in relative units (the weights' size times the passes over "
           "the data); sweeps run the longest first.");
  config_methods(cfg, "ExperimentConfig",
                 {"init", "activation", "depth", "width", "classes", "batch", "steps", "optim",
                  "clip", "sizes", "epochs", "batch_size", "target", "diverge_factor"});
  m.def(
      "run_experiments",
      [](const std::vector<ExperimentConfig>& configs, const py::list& generators,
         const py::handle& dtype, int threads, const py::object& data) {
        if (configs.size() != generators.size())
          throw value_error("run_experiments: one generator per configuration");
        if (threads < 0) throw value_error(detail::cat("threads must be >= 1, got ", threads));
        std::vector<Generator> gens;
        for (auto g : generators) gens.push_back(*get_generator(g));
        const char code = dtype_code(dtype);
        auto rs = code == 'f' ? run_configs<float>(configs, gens, data, threads)
                              : run_configs<double>(configs, gens, data, threads);
        py::list out;
        for (const auto& r : rs) out.append(experiment_dict(r));
        return out;
      },
      py::arg("configs"), py::arg("generators"), py::arg("dtype"), py::arg("threads") = 0,
      py::arg("data") = py::none(),
      "Run experiments on the thread pool (experiment i draws from generators[i]); threads > 0 "
      "caps this call's threads; data = (X_train, y_train, X_test, y_test) trains on it.");
  m.def(
      "check_classification_data",
      [](const py::handle& X, const py::handle& y, index_t features, const std::string& x_arg,
         const std::string& y_arg) {
        const auto [rows, cols] = check_features(X, features, x_arg.c_str());
        const std::int64_t hi = check_labels(y, rows, y_arg.c_str());
        return py::make_tuple(rows, cols, hi + 1);
      },
      py::arg("X"), py::arg("y"), py::arg("features") = -1, py::arg("x_arg") = "X",
      py::arg("y_arg") = "y",
      "(rows, features, max label + 1) of a classification data set checked as fit checks X "
      "and y (features = -1: any number).");
}

}  // namespace fastinit::py_glue
