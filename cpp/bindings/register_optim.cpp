// fastinit.optim's compiled half: OptimConfig and the optimizers (optim.hpp), whose state can be
// read and restored (pickling).
#include <fastinit/mlp.hpp>
#include <fastinit/optim.hpp>

#include "casters.hpp"
#include "common.hpp"
#include "net_glue.hpp"
#include "results.hpp"

namespace fastinit::py_glue {

namespace {

template <class T>
std::vector<T> vector_of(const py::handle& obj, const char* what) {
  auto a = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(obj);
  if (!a || a.ndim() != 1)
    throw value_error(detail::cat("optimizer state: '", what, "' must be a 1-D array"));
  return std::vector<T>(a.data(), a.data() + a.size());
}

template <class T>
void bind_optimizer(py::module_& m, const char* name) {
  py::class_<Optimizer<T>>(m, name, py::module_local(), "SGD / Adam / AdamW state for one network.")
      .def(py::init([](const Mlp<T>& net, const OptimConfig& cfg) {
             return std::make_unique<Optimizer<T>>(cfg, net.params().size());
           }),
           py::arg("net"), py::arg("config"))
      .def(
          "step",
          [](Optimizer<T>& o, Mlp<T>& net, const Params<T>& g) {
            net.check_grads(g);
            py::gil_scoped_release nogil;
            NetLock lk(net);
            o.step(net.params().data(), g.data(), net.params().size());
          },
          py::arg("net"), py::arg("grads"))
      .def_property_readonly("config", &Optimizer<T>::config)
      .def_property(
          "lr", [](const Optimizer<T>& o) { return o.config().lr; }, &Optimizer<T>::set_lr)
      .def_property_readonly("steps", &Optimizer<T>::steps)
      .def(
          "state",
          [](const Optimizer<T>& o) {
            const auto s = o.state();
            py::dict d;
            d["steps"] = s.steps;
            d["momentum"] = array_of(s.momentum);
            d["exp_avg"] = array_of(s.exp_avg);
            d["exp_avg_sq"] = array_of(s.exp_avg_sq);
            return d;
          },
          "A copy of the step count and the buffers.")
      .def(
          "set_state",
          [](Optimizer<T>& o, const py::dict& d) {
            OptimState<T> s;
            s.steps = d["steps"].cast<std::int64_t>();
            s.momentum = vector_of<T>(d["momentum"], "momentum");
            s.exp_avg = vector_of<T>(d["exp_avg"], "exp_avg");
            s.exp_avg_sq = vector_of<T>(d["exp_avg_sq"], "exp_avg_sq");
            o.set_state(s);
          },
          py::arg("state"), "Restore what state() returned.");
}

}  // namespace

void register_optim(py::module_& m) {
  py::class_<OptimConfig> cfg(m, "OptimConfig", py::module_local(),
                              "An optimizer and its hyper-parameters (PyTorch's names and rules).");
  cfg.def(py::init([](OptimKind kind, double lr, double momentum, double dampening,
                      double weight_decay, bool nesterov, double beta1, double beta2, double eps) {
            OptimConfig c;
            c.kind = kind;
            c.lr = lr;
            c.momentum = momentum;
            c.dampening = dampening;
            c.weight_decay = weight_decay;
            c.nesterov = nesterov;
            c.beta1 = beta1;
            c.beta2 = beta2;
            c.eps = eps;
            c.validate();
            return c;
          }),
          py::kw_only(), py::arg("kind") = OptimKind::sgd, py::arg("lr") = 0.01,
          py::arg("momentum") = 0.0, py::arg("dampening") = 0.0, py::arg("weight_decay") = 0.0,
          py::arg("nesterov") = false, py::arg("beta1") = 0.9, py::arg("beta2") = 0.999,
          py::arg("eps") = 1e-8)
      .def_readonly("kind", &OptimConfig::kind)
      .def_readonly("lr", &OptimConfig::lr)
      .def_readonly("momentum", &OptimConfig::momentum)
      .def_readonly("dampening", &OptimConfig::dampening)
      .def_readonly("weight_decay", &OptimConfig::weight_decay)
      .def_readonly("nesterov", &OptimConfig::nesterov)
      .def_readonly("beta1", &OptimConfig::beta1)
      .def_readonly("beta2", &OptimConfig::beta2)
      .def_readonly("eps", &OptimConfig::eps);
  config_methods(
      cfg, "OptimConfig",
      {"kind", "lr", "momentum", "dampening", "weight_decay", "nesterov", "beta1", "beta2", "eps"});
  m.def("optimizer_names", [] { return enum_names<OptimKind>::names(); });
  bind_optimizer<float>(m, "OptimizerFloat32");
  bind_optimizer<double>(m, "OptimizerFloat64");
}

}  // namespace fastinit::py_glue
