// fastinit.diagnose's compiled half (diagnostics.hpp): one forward and backward pass with
// per-layer statistics, the verdict and the Jacobian's singular values, GIL released and
// interruptible.
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
      [](Mlp<T>& net, const py::handle& X, const py::object& y, const py::object& generator,
         const py::object& jacobian, index_t jacobian_points) {
        InputMatrix<T> in(X, "X", net.sizes()[0]);
        std::optional<TargetData<T>> t;
        if (!y.is_none()) t.emplace(y, in.rows, net.sizes().back(), net.output());
        auto g = get_generator(generator);
        DiagnoseOptions opts;
        opts.jacobian = !jacobian.is_none();
        if (opts.jacobian) {
          if (!py::isinstance<py::str>(jacobian))
            throw dtype_error(
                detail::cat("argument 'jacobian': expected 'output', 'hidden' or "
                            "None, got ",
                            type_name(jacobian)));
          opts.jacobian_kind = from_name<JacobianKind>(jacobian.cast<std::string>());
        }
        opts.jacobian_points = jacobian_points;
        // Safe without the GIL: the inputs are converted arrays held above, the network is
        // locked, and the core touches no Python object.
        Diagnosis d = interruptible([&] {
          py::gil_scoped_release nogil;
          NetLock lk(net);
          return diagnose(net, in.map(), t ? t->t : Target<T>{}, *g, opts);
        });
        py::dict out = diagnosis_dict(d);
        const auto& J = d.jacobian_singular_values;
        if (opts.jacobian)
          out["jacobian_singular_values"] = py::array_t<double>(
              {static_cast<py::ssize_t>(J.rows()), static_cast<py::ssize_t>(J.cols())}, J.data());
        return out;
      },
      py::arg("net"), py::arg("X"), py::arg("y") = py::none(), py::arg("generator") = py::none(),
      py::arg("jacobian") = py::none(), py::arg("jacobian_points") = 32,
      "Per-layer statistics of one forward and backward pass, with the verdict; optionally the "
      "singular values of the input-output Jacobian ('output' or 'hidden').");
}

}  // namespace

void register_diagnostics(py::module_& m) {
  // One bound name per function: pybind11 picks the overload by the network's class.
  bind_diagnose<float>(m);
  bind_diagnose<double>(m);
  m.def("verdict_names", [] { return verdict_names(); }, "The verdicts diagnose can give.");
}

}  // namespace fastinit::py_glue
