// fastinit.theory: mean-field signal propagation (theory.hpp). Every call checks its arguments
// in C++ (ValueError naming the argument) and runs with the GIL released.
#include <fastinit/activation.hpp>
#include <fastinit/theory.hpp>

#include <algorithm>
#include <optional>
#include <vector>

#include "casters.hpp"
#include "common.hpp"

namespace fastinit::py_glue {

namespace {

// An activation name plus its parameters, through the bindings' one activation parser.
Activation theory_activation(const std::string& name, const std::optional<py::dict>& params) {
  if (!params) return activation_from(py::str(name));
  return activation_from(py::make_tuple(name, *params));
}

std::vector<double> grid(const py::array_t<double, py::array::c_style | py::array::forcecast>& g,
                         const char* arg) {
  if (g.ndim() != 1)
    throw value_error(detail::cat("argument '", arg, "': expected a 1-D sequence of numbers, got ",
                                  g.ndim(), " dimensions"));
  return std::vector<double>(g.data(), g.data() + g.size());
}

py::dict fixed_point_dict(const theory::FixedPoint& fp) {
  py::dict d;
  d["q_star"] = fp.q_star;
  d["kind"] = theory::kind_name(fp.kind);
  d["evaluations"] = fp.evaluations;
  d["converged"] = fp.converged;
  return d;
}

using Params = std::optional<py::dict>;

}  // namespace

void register_theory(py::module_& m) {
  m.def(
      "theory_q_map",
      [](const std::string& act, double q, double sw, double sb, const Params& p) {
        const Activation a = theory_activation(act, p);
        py::gil_scoped_release nogil;
        return theory::q_map(a, q, sw, sb);
      },
      py::arg("activation"), py::arg("q"), py::arg("sigma_w"), py::arg("sigma_b"),
      py::arg("params") = py::none(), "Length map sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2.");
  m.def(
      "theory_q_map_slope",
      [](const std::string& act, double q, double sw, const Params& p) {
        const Activation a = theory_activation(act, p);
        py::gil_scoped_release nogil;
        return theory::q_map_slope(a, q, sw);
      },
      py::arg("activation"), py::arg("q"), py::arg("sigma_w"), py::arg("params") = py::none(),
      "Derivative of the length map in q: sigma_w^2 E[z phi phi'](sqrt(q) z) / sqrt(q).");
  m.def(
      "theory_chi",
      [](const std::string& act, double q, double sw, const Params& p) {
        const Activation a = theory_activation(act, p);
        py::gil_scoped_release nogil;
        return theory::chi(a, q, sw);
      },
      py::arg("activation"), py::arg("q"), py::arg("sigma_w"), py::arg("params") = py::none(),
      "chi(q) = sigma_w^2 E[phi'(sqrt(q) z)^2] (q = inf gives the limit).");
  m.def(
      "theory_q_star",
      [](const std::string& act, double sw, double sb, double q0, const Params& p) {
        const Activation a = theory_activation(act, p);
        theory::FixedPoint fp;
        {
          py::gil_scoped_release nogil;
          fp = theory::q_star(a, sw, sb, q0);
        }
        return fixed_point_dict(fp);
      },
      py::arg("activation"), py::arg("sigma_w"), py::arg("sigma_b"), py::arg("q0") = 1.0,
      py::arg("params") = py::none(),
      "Fixed point of the length map reached from q0: dict(q_star, kind, evaluations, converged).");
  m.def(
      "theory_depth_scales",
      [](const std::string& act, double sw, double sb, double q0, const Params& p) {
        const Activation a = theory_activation(act, p);
        theory::DepthScales d;
        {
          py::gil_scoped_release nogil;
          d = theory::depth_scales(a, sw, sb, q0);
        }
        py::dict out = fixed_point_dict(d.fixed_point);
        out["chi1"] = d.chi1;
        out["q_map_slope"] = d.slope;
        out["xi_q"] = d.xi_q;
        out["c_star"] = d.c_star;
        out["chi_c"] = d.chi_c;
        out["xi_c"] = d.xi_c;
        out["phase"] = d.phase;
        return out;
      },
      py::arg("activation"), py::arg("sigma_w"), py::arg("sigma_b"), py::arg("q0") = 1.0,
      py::arg("params") = py::none(),
      "q*, chi1, the length map's slope at q*, xi_q, c*, chi_c, xi_c and the phase.");
  m.def(
      "theory_predict_layers",
      [](const py::list& acts, const std::vector<double>& sw, const std::vector<double>& sb,
         double q0, double c0) {
        std::vector<Activation> a;
        for (py::handle h : acts) a.push_back(activation_from(h));
        theory::LayerPrediction pr;
        {
          py::gil_scoped_release nogil;
          pr = theory::predict_layers(a, sw, sb, q0, c0);
        }
        auto arr = [](const std::vector<double>& v) {
          return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
        };
        return py::make_tuple(arr(pr.q), arr(pr.log_g), arr(pr.c));
      },
      py::arg("activations"), py::arg("sigma_w"), py::arg("sigma_b"), py::arg("q0"), py::arg("c0"),
      "Per-layer (q_l, log(||dZ_l|| / ||dZ_L||), c_l) of a network whose layers have their own "
      "activation, sigma_w and sigma_b.");
  m.def(
      "theory_c_map",
      [](const std::string& act, double c, double q, double sw, double sb, const Params& p) {
        const Activation a = theory_activation(act, p);
        py::gil_scoped_release nogil;
        return theory::c_map(a, c, q, sw, sb);
      },
      py::arg("activation"), py::arg("c"), py::arg("q"), py::arg("sigma_w"), py::arg("sigma_b"),
      py::arg("params") = py::none(),
      "Correlation map (sigma_w^2 E[phi(u1) phi(u2)] + sigma_b^2) / q_map(q), corr(u1, u2) = c.");
  m.def(
      "theory_jacobian_moments",
      [](const std::string& act, double sw, double sb, std::int64_t depth,
         theory::JacobianWeights weights, std::optional<double> q0, const Params& p) {
        const Activation a = theory_activation(act, p);
        const theory::JacobianMoments r = interruptible([&] {
          py::gil_scoped_release nogil;
          return theory::jacobian_moments(a, sw, sb, depth, weights, q0);
        });
        py::dict out;
        out["mean"] = r.mean;
        out["variance"] = r.variance;
        return out;
      },
      py::arg("activation"), py::arg("sigma_w"), py::arg("sigma_b"), py::arg("depth"),
      py::arg("weights") = theory::JacobianWeights::orthogonal, py::arg("q0") = py::none(),
      py::arg("params") = py::none(),
      "Mean and variance of the squared singular values of the input-output Jacobian.");
  m.def(
      "theory_critical_sigma_w",
      [](const std::string& act, double sb, double q0, const Params& p) {
        const Activation a = theory_activation(act, p);
        py::gil_scoped_release nogil;
        return theory::critical_sigma_w(a, sb, q0);
      },
      py::arg("activation"), py::arg("sigma_b") = 0.0, py::arg("q0") = 1.0,
      py::arg("params") = py::none(),
      "sigma_w with chi1 = 1 at the given sigma_b (ValueError when there is none).");
  m.def(
      "theory_predict",
      [](const std::string& act, double sw, double sb, double q0, std::int64_t depth,
         const Params& p) {
        const Activation a = theory_activation(act, p);
        theory::Prediction pr;
        {
          py::gil_scoped_release nogil;
          pr = theory::predict(a, sw, sb, q0, depth);
        }
        return py::make_tuple(
            py::array_t<double>(static_cast<py::ssize_t>(pr.q.size()), pr.q.data()),
            py::array_t<double>(static_cast<py::ssize_t>(pr.chi.size()), pr.chi.data()));
      },
      py::arg("activation"), py::arg("sigma_w"), py::arg("sigma_b"), py::arg("q0"),
      py::arg("depth"), py::arg("params") = py::none(),
      "Per-layer (q_l, chi(q_l)) for l = 1..depth from the input's mean square q0.");
  m.def(
      "theory_phase_diagram",
      [](const std::string& act,
         const py::array_t<double, py::array::c_style | py::array::forcecast>& sw,
         const py::array_t<double, py::array::c_style | py::array::forcecast>& sb, double q0,
         const Params& p) {
        const Activation a = theory_activation(act, p);
        const auto w = grid(sw, "sigma_w_grid"), b = grid(sb, "sigma_b_grid");
        Matrix<double> out = interruptible([&] {
          py::gil_scoped_release nogil;
          return theory::phase_diagram(a, w, b, q0);
        });
        return py::array_t<double>(
            {static_cast<py::ssize_t>(out.rows()), static_cast<py::ssize_t>(out.cols())},
            out.data());
      },
      py::arg("activation"), py::arg("sigma_w_grid"), py::arg("sigma_b_grid"), py::arg("q0") = 1.0,
      py::arg("params") = py::none(),
      "chi1 on a grid: out[i, j] = chi1(sigma_w_grid[i], sigma_b_grid[j]).");
}

}  // namespace fastinit::py_glue
