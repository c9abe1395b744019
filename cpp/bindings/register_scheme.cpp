// Whole-network initialization (scheme.hpp, lsuv.hpp): SchemeConfig, init_network_ — the one
// recipe that sweeps, diagnosis, the report and the CLI use — and lsuv_.
#include <fastinit/lsuv.hpp>
#include <fastinit/scheme.hpp>

#include "casters.hpp"
#include "common.hpp"
#include "net_glue.hpp"
#include "results.hpp"

namespace fastinit::py_glue {

namespace {

template <class T>
void bind_scheme(py::module_& m) {
  m.def(
      "init_network_",
      [](Mlp<T>& net, const SchemeConfig& scheme, const py::object& generator,
         const py::object& X) {
        auto g = get_generator(generator);
        std::optional<InputMatrix<T>> in;
        if (!X.is_none()) in.emplace(X, "X", net.sizes()[0]);
        SchemeReport r;
        {
          py::gil_scoped_release nogil;
          NetLock lk(net);
          std::optional<typename Mlp<T>::ConstInput> Xm;
          if (in) Xm.emplace(in->map());
          r = init_network_(net, scheme, *g, Xm);
        }
        py::dict d;
        d["sigma_w"] = r.sigma_w;
        d["lsuv"] = lsuv_list(r.lsuv);
        return d;
      },
      py::arg("net"), py::arg("scheme"), py::arg("generator") = py::none(),
      py::arg("X") = py::none(),
      "Initialize every weight and bias with a scheme; returns the sigma_w used and LSUV's log.");
  m.def(
      "lsuv_",
      [](Mlp<T>& net, const py::handle& X, double tol, int max_iter, bool orthogonal_init,
         const py::object& generator) {
        InputMatrix<T> in(X, "X", net.sizes()[0]);
        auto g = get_generator(generator);
        std::vector<LsuvLayer> r;
        {
          py::gil_scoped_release nogil;
          NetLock lk(net);
          r = lsuv_(net, in.map(), *g, tol, max_iter, orthogonal_init);
        }
        return lsuv_list(r);
      },
      py::arg("net"), py::arg("X"), py::arg("tol") = 0.1, py::arg("max_iter") = 10,
      py::arg("orthogonal_init") = true, py::arg("generator") = py::none(),
      "Layer-sequential unit-variance init; returns what it did per layer.");
}

}  // namespace

void register_scheme(py::module_& m) {
  py::class_<SchemeConfig> cfg(m, "SchemeConfig", py::module_local(),
                               "An initialization scheme for a whole network and its parameters.");
  cfg.def(py::init([](Scheme scheme, double std, double sigma_w, double sigma_b) {
            SchemeConfig c{scheme, std, sigma_w, sigma_b};
            c.validate();
            return c;
          }),
          py::arg("scheme") = Scheme::kaiming_normal, py::kw_only(), py::arg("std") = 1.0,
          py::arg("sigma_w") = 1.0, py::arg("sigma_b") = 0.0)
      .def_readonly("scheme", &SchemeConfig::scheme)
      .def_readonly("std", &SchemeConfig::std)
      .def_readonly("sigma_w", &SchemeConfig::sigma_w)
      .def_readonly("sigma_b", &SchemeConfig::sigma_b);
  config_methods(cfg, "SchemeConfig", {"scheme", "std", "sigma_w", "sigma_b"});
  m.def(
      "scheme_names", [] { return enum_names<Scheme>::names(); },
      "The initialization schemes of a whole network.");
  bind_scheme<float>(m);
  bind_scheme<double>(m);
}

}  // namespace fastinit::py_glue
