// fastinit.diagnose's compiled half (diagnostics.hpp): one forward and backward pass with
// per-layer statistics and the verdict, GIL released.
#include <fastinit/diagnostics.hpp>

#include "casters.hpp"
#include "common.hpp"
#include "net_glue.hpp"
#include "results.hpp"

namespace fastinit::py_glue {

namespace {

template <class T>
void bind_diagnose(py::module_& m) {
  m.def(
      "diagnose",
      [](Mlp<T>& net, const py::handle& X, const py::object& y, const py::object& generator) {
        InputMatrix<T> in(X, "X", net.sizes()[0]);
        std::optional<TargetData<T>> t;
        if (!y.is_none()) t.emplace(y, in.rows, net.sizes().back(), net.output());
        auto g = get_generator(generator);
        Diagnosis d;
        {
          py::gil_scoped_release nogil;
          NetLock lk(net);
          d = diagnose(net, in.map(), t ? t->t : Target<T>{}, *g);
        }
        return diagnosis_dict(d);
      },
      py::arg("net"), py::arg("X"), py::arg("y") = py::none(), py::arg("generator") = py::none(),
      "Per-layer statistics of one forward and backward pass, with the verdict.");
}

}  // namespace

void register_diagnostics(py::module_& m) {
  // One bound name per function: pybind11 picks the overload by the network's class.
  bind_diagnose<float>(m);
  bind_diagnose<double>(m);
  m.def("verdict_names", [] { return verdict_names(); }, "The verdicts diagnose can give.");
}

}  // namespace fastinit::py_glue
