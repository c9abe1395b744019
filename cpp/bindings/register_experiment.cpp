// Sweeps (experiment.hpp): ExperimentConfig and run_experiments, many experiments on the thread
// pool in one call with the GIL released.
#include <fastinit/experiment.hpp>

#include "casters.hpp"
#include "common.hpp"
#include "results.hpp"

namespace fastinit::py_glue {

void register_experiment(py::module_& m) {
  py::class_<ExperimentConfig> cfg(
      m, "ExperimentConfig", py::module_local(),
      "One experiment: a [width] * (depth + 1) + [classes] network with a scheme and an "
      "activation, diagnosed on a Gaussian batch and optionally trained.");
  cfg.def(py::init([](SchemeConfig init, Activation activation, int depth, index_t width,
                      index_t classes, index_t batch, std::int64_t steps, OptimConfig optim,
                      ClipConfig clip) {
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
            c.validate();
            return c;
          }),
          py::kw_only(), py::arg("init") = SchemeConfig{}, py::arg("activation") = Activation{},
          py::arg("depth") = 10, py::arg("width") = 256, py::arg("classes") = 10,
          py::arg("batch") = 128, py::arg("steps") = 0, py::arg("optim") = OptimConfig{},
          py::arg("clip") = ClipConfig{})
      .def_readonly("init", &ExperimentConfig::init)
      .def_readonly("activation", &ExperimentConfig::activation)
      .def_readonly("depth", &ExperimentConfig::depth)
      .def_readonly("width", &ExperimentConfig::width)
      .def_readonly("classes", &ExperimentConfig::classes)
      .def_readonly("batch", &ExperimentConfig::batch)
      .def_readonly("steps", &ExperimentConfig::steps)
      .def_readonly("optim", &ExperimentConfig::optim)
      .def_readonly("clip", &ExperimentConfig::clip);
  config_methods(
      cfg, "ExperimentConfig",
      {"init", "activation", "depth", "width", "classes", "batch", "steps", "optim", "clip"});
  m.def(
      "run_experiments",
      [](const std::vector<ExperimentConfig>& configs, const py::list& generators,
         const py::handle& dtype, int threads) {
        if (configs.size() != generators.size())
          throw value_error("run_experiments: one generator per configuration");
        if (threads < 0) throw value_error(detail::cat("threads must be >= 1, got ", threads));
        std::vector<Generator> gens;
        for (auto g : generators) gens.push_back(*get_generator(g));
        const char code = dtype_code(dtype);
        auto rs = interruptible([&] {
          py::gil_scoped_release nogil;
          ScopedThreadLimit limit(threads);  // this call only; 0: the process-wide setting
          return code == 'f' ? run_sweep<float>(configs, gens) : run_sweep<double>(configs, gens);
        });
        py::list out;
        for (const auto& r : rs) {
          py::dict d = diagnosis_dict(r.diagnosis);
          d["sigma_w"] = r.sigma_w;
          d["lsuv"] = lsuv_list(r.lsuv);
          d["train_loss"] = array_of(r.train_loss);
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
