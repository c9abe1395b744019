// fastinit.init: fans, gains and every initializer, in place on NumPy arrays.
// Each wrapper checks the array (dtype, layout, writeability: never a silent copy), resolves the
// generator, then runs the C++ initializer with the GIL released.
#include "array_glue.hpp"
#include "common.hpp"

namespace fastinit::py_glue {

namespace {

init::FanOverride fans(std::optional<double> fan_in, std::optional<double> fan_out) {
  return init::FanOverride{fan_in, fan_out};
}

}  // namespace

void register_init(py::module_& m) {
  using init::FanOverride;
  auto gen = [](const py::object& g) { return get_generator(g); };

  m.def("empty", &empty, py::arg("shape"), py::arg("dtype"),
        "A new uninitialized 64-byte-aligned array (MemoryError when it cannot be allocated).");
  m.def(
      "calculate_gain",
      [](const std::string& nonlinearity, const py::object& param) {
        std::optional<double> p;
        if (!param.is_none() && nonlinearity == "leaky_relu") {  // PyTorch ignores it otherwise
          if (py::isinstance<py::bool_>(param) ||
              !(py::isinstance<py::int_>(param) || py::isinstance<py::float_>(param)))
            throw value_error(detail::cat("negative_slope ", py::repr(param).cast<std::string>(),
                                          " not a valid number (argument 'param')"));
          const double x = PyFloat_AsDouble(param.ptr());  // an int beyond double: OverflowError
          if (x == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            throw value_error(detail::cat("negative_slope ", py::repr(param).cast<std::string>(),
                                          " not a valid number (argument 'param')"));
          }
          p = x;
        }
        return init::calculate_gain(nonlinearity, p);
      },
      py::arg("nonlinearity"), py::arg("param") = py::none(),
      "Recommended gain for a nonlinearity (torch.nn.init.calculate_gain).");
  m.def(
      "compute_fans",
      [](const py::handle& shape, std::optional<double> fan_in, std::optional<double> fan_out) {
        auto f = init::compute_fans(parse_shape(shape), fans(fan_in, fan_out), "compute_fans");
        return py::make_tuple(f.fan_in, f.fan_out);
      },
      py::arg("shape"), py::arg("fan_in") = py::none(), py::arg("fan_out") = py::none(),
      "(fan_in, fan_out) of an (out, in, *kernel) shape, with overrides.");

  m.def(
      "uniform_",
      [=](py::handle w, double a, double b, const py::object& g) {
        auto G = gen(g);
        return with_view(w, "tensor", [&](auto v) { init::uniform_(v, *G, a, b); });
      },
      py::arg("tensor"), py::arg("a") = 0.0, py::arg("b") = 1.0, py::kw_only(),
      py::arg("generator") = py::none(), "Fill with U(a, b).");
  m.def(
      "normal_",
      [=](py::handle w, double mean, double std, const py::object& g) {
        auto G = gen(g);
        return with_view(w, "tensor", [&](auto v) { init::normal_(v, *G, mean, std); });
      },
      py::arg("tensor"), py::arg("mean") = 0.0, py::arg("std") = 1.0, py::kw_only(),
      py::arg("generator") = py::none(), "Fill with N(mean, std^2).");
  m.def(
      "trunc_normal_",
      [=](py::handle w, double mean, double std, double a, double b, const py::object& g) {
        auto G = gen(g);
        return with_view(w, "tensor", [&](auto v) { init::trunc_normal_(v, *G, mean, std, a, b); });
      },
      py::arg("tensor"), py::arg("mean") = 0.0, py::arg("std") = 1.0, py::arg("a") = -2.0,
      py::arg("b") = 2.0, py::kw_only(), py::arg("generator") = py::none(),
      "Fill with N(mean, std^2) truncated to the absolute interval [a, b] (exact sampler).");
  m.def(
      "_trunc_normal_half_",
      [=](py::handle w, bool bfloat16, double mean, double std, double a, double b,
          const py::object& g) {
        auto G = gen(g);
        py::array arr = as_ndarray(w, "tensor");
        std::uint16_t* out = half_bits(arr, "tensor");
        const auto n = static_cast<std::size_t>(arr.size());
        py::gil_scoped_release nogil;
        trunc_normal_fill(out, n, half_format(bfloat16), mean, std, a, b, *G);
      },
      py::arg("tensor"), py::arg("bfloat16"), py::arg("mean"), py::arg("std"), py::arg("a"),
      py::arg("b"), py::kw_only(), py::arg("generator") = py::none(),
      "trunc_normal_ into the uint16 view of a float16 / bfloat16 array, exact after rounding.");
  m.def(
      "_round_half_",
      [](py::handle src, py::handle dst, bool bfloat16) {
        py::array s = as_ndarray(src, "src"), d = as_ndarray(dst, "dst");
        if (!is_f32(s) || !(s.flags() & py::array::c_style))
          throw dtype_error("argument 'src': expected a C-contiguous float32 array");
        std::uint16_t* out = half_bits(d, "dst");
        if (s.size() != d.size())
          throw shape_error(
              detail::cat("_round_half_: src has ", s.size(), " elements, dst ", d.size()));
        const auto* in = static_cast<const float*>(s.data());
        const auto n = static_cast<std::size_t>(s.size());
        py::gil_scoped_release nogil;
        round_to_half(in, out, n, half_format(bfloat16));
      },
      py::arg("src"), py::arg("dst"), py::arg("bfloat16"),
      "Round float32 values to nearest even into the uint16 view of a float16 / bfloat16 array.");
  // The uniform and normal families into the uint16 view of a float16 / bfloat16 array: the
  // float32 fill's values rounded to nearest even, batch by batch (same arguments as the public
  // initializer, with bfloat16 after the tensor).
  m.def(
      "_uniform_half_",
      [=](py::handle w, bool bf, double a, double b, const py::object& g) {
        auto G = gen(g);
        with_half_view(w, bf, [&](auto v) { init::uniform_(v, *G, a, b); });
      },
      py::arg("tensor"), py::arg("bfloat16"), py::arg("a") = 0.0, py::arg("b") = 1.0, py::kw_only(),
      py::arg("generator") = py::none(), "uniform_ into a 16-bit array.");
  m.def(
      "_normal_half_",
      [=](py::handle w, bool bf, double mean, double std, const py::object& g) {
        auto G = gen(g);
        with_half_view(w, bf, [&](auto v) { init::normal_(v, *G, mean, std); });
      },
      py::arg("tensor"), py::arg("bfloat16"), py::arg("mean") = 0.0, py::arg("std") = 1.0,
      py::kw_only(), py::arg("generator") = py::none(), "normal_ into a 16-bit array.");
  m.def(
      "_xavier_uniform_half_",
      [=](py::handle w, bool bf, double gain, const py::object& g, std::optional<double> fi_,
          std::optional<double> fo_) {
        auto G = gen(g);
        with_half_view(w, bf, [&](auto v) { init::xavier_uniform_(v, *G, gain, fans(fi_, fo_)); });
      },
      py::arg("tensor"), py::arg("bfloat16"), py::arg("gain") = 1.0, py::kw_only(),
      py::arg("generator") = py::none(), py::arg("fan_in") = py::none(),
      py::arg("fan_out") = py::none(), "xavier_uniform_ into a 16-bit array.");
  m.def(
      "_xavier_normal_half_",
      [=](py::handle w, bool bf, double gain, const py::object& g, std::optional<double> fi_,
          std::optional<double> fo_) {
        auto G = gen(g);
        with_half_view(w, bf, [&](auto v) { init::xavier_normal_(v, *G, gain, fans(fi_, fo_)); });
      },
      py::arg("tensor"), py::arg("bfloat16"), py::arg("gain") = 1.0, py::kw_only(),
      py::arg("generator") = py::none(), py::arg("fan_in") = py::none(),
      py::arg("fan_out") = py::none(), "xavier_normal_ into a 16-bit array.");
  m.def(
      "_kaiming_uniform_half_",
      [=](py::handle w, bool bf, double a, const std::string& mode, const std::string& nl,
          const py::object& g, std::optional<double> fi_, std::optional<double> fo_) {
        auto G = gen(g);
        with_half_view(w, bf,
                       [&](auto v) { init::kaiming_uniform_(v, *G, a, mode, nl, fans(fi_, fo_)); });
      },
      py::arg("tensor"), py::arg("bfloat16"), py::arg("a") = 0.0, py::arg("mode") = "fan_in",
      py::arg("nonlinearity") = "leaky_relu", py::kw_only(), py::arg("generator") = py::none(),
      py::arg("fan_in") = py::none(), py::arg("fan_out") = py::none(),
      "kaiming_uniform_ into a 16-bit array.");
  m.def(
      "_kaiming_normal_half_",
      [=](py::handle w, bool bf, double a, const std::string& mode, const std::string& nl,
          const py::object& g, std::optional<double> fi_, std::optional<double> fo_) {
        auto G = gen(g);
        with_half_view(w, bf,
                       [&](auto v) { init::kaiming_normal_(v, *G, a, mode, nl, fans(fi_, fo_)); });
      },
      py::arg("tensor"), py::arg("bfloat16"), py::arg("a") = 0.0, py::arg("mode") = "fan_in",
      py::arg("nonlinearity") = "leaky_relu", py::kw_only(), py::arg("generator") = py::none(),
      py::arg("fan_in") = py::none(), py::arg("fan_out") = py::none(),
      "kaiming_normal_ into a 16-bit array.");
  m.def(
      "constant_",
      [](py::handle w, double val) {
        return with_view(w, "tensor", [&](auto v) { init::constant_(v, val); });
      },
      py::arg("tensor"), py::arg("val"), "Fill with val.");
  m.def(
      "ones_", [](py::handle w) { return with_view(w, "tensor", [](auto v) { init::ones_(v); }); },
      py::arg("tensor"), "Fill with 1.");
  m.def(
      "zeros_",
      [](py::handle w) { return with_view(w, "tensor", [](auto v) { init::zeros_(v); }); },
      py::arg("tensor"), "Fill with 0.");
  m.def(
      "eye_", [](py::handle w) { return with_view(w, "tensor", [](auto v) { init::eye_(v); }); },
      py::arg("tensor"), "The identity on a 2-D tensor.");
  m.def(
      "dirac_",
      [](py::handle w, const py::object& groups_) {
        const auto groups = int_arg<std::int64_t>(groups_, "dirac_", "groups", 1,
                                                  std::numeric_limits<std::int64_t>::max());
        return with_view(w, "tensor", [&](auto v) { init::dirac_(v, groups); });
      },
      py::arg("tensor"), py::arg("groups") = 1, "Dirac delta on a 3/4/5-D conv weight.");
  m.def(
      "zero_", [](py::handle w) { return with_view(w, "tensor", [](auto v) { init::zero_(v); }); },
      py::arg("tensor"), "ZerO: identity / partial identity / scaled Hadamard (deterministic).");

  m.def(
      "xavier_uniform_",
      [=](py::handle w, double gain, const py::object& g, std::optional<double> fi_,
          std::optional<double> fo_) {
        auto G = gen(g);
        return with_view(w, "tensor",
                         [&](auto v) { init::xavier_uniform_(v, *G, gain, fans(fi_, fo_)); });
      },
      py::arg("tensor"), py::arg("gain") = 1.0, py::kw_only(), py::arg("generator") = py::none(),
      py::arg("fan_in") = py::none(), py::arg("fan_out") = py::none(),
      "Glorot uniform: U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)).");
  m.def(
      "xavier_normal_",
      [=](py::handle w, double gain, const py::object& g, std::optional<double> fi_,
          std::optional<double> fo_) {
        auto G = gen(g);
        return with_view(w, "tensor",
                         [&](auto v) { init::xavier_normal_(v, *G, gain, fans(fi_, fo_)); });
      },
      py::arg("tensor"), py::arg("gain") = 1.0, py::kw_only(), py::arg("generator") = py::none(),
      py::arg("fan_in") = py::none(), py::arg("fan_out") = py::none(),
      "Glorot normal: N(0, gain^2 * 2 / (fan_in + fan_out)).");
  m.def(
      "kaiming_uniform_",
      [=](py::handle w, double a, const std::string& mode, const std::string& nl,
          const py::object& g, std::optional<double> fi_, std::optional<double> fo_) {
        auto G = gen(g);
        return with_view(w, "tensor", [&](auto v) {
          init::kaiming_uniform_(v, *G, a, mode, nl, fans(fi_, fo_));
        });
      },
      py::arg("tensor"), py::arg("a") = 0.0, py::arg("mode") = "fan_in",
      py::arg("nonlinearity") = "leaky_relu", py::kw_only(), py::arg("generator") = py::none(),
      py::arg("fan_in") = py::none(), py::arg("fan_out") = py::none(),
      "He uniform: U(-b, b), b = gain * sqrt(3 / fan_mode).");
  m.def(
      "kaiming_normal_",
      [=](py::handle w, double a, const std::string& mode, const std::string& nl,
          const py::object& g, std::optional<double> fi_, std::optional<double> fo_) {
        auto G = gen(g);
        return with_view(w, "tensor", [&](auto v) {
          init::kaiming_normal_(v, *G, a, mode, nl, fans(fi_, fo_));
        });
      },
      py::arg("tensor"), py::arg("a") = 0.0, py::arg("mode") = "fan_in",
      py::arg("nonlinearity") = "leaky_relu", py::kw_only(), py::arg("generator") = py::none(),
      py::arg("fan_in") = py::none(), py::arg("fan_out") = py::none(),
      "He normal: N(0, gain^2 / fan_mode).");
  m.def(
      "orthogonal_",
      [=](py::handle w, double gain, const py::object& g) {
        auto G = gen(g);
        return with_view(w, "tensor", [&](auto v) { init::orthogonal_(v, *G, gain); });
      },
      py::arg("tensor"), py::arg("gain") = 1.0, py::kw_only(), py::arg("generator") = py::none(),
      "(Semi-)orthogonal matrix from a Householder QR, sign-corrected (Haar).");
  m.def(
      "sparse_",
      [=](py::handle w, double sparsity, double std, const py::object& g) {
        auto G = gen(g);
        return with_view(w, "tensor", [&](auto v) { init::sparse_(v, *G, sparsity, std); });
      },
      py::arg("tensor"), py::arg("sparsity"), py::arg("std") = 0.01, py::kw_only(),
      py::arg("generator") = py::none(), "N(0, std^2) with a fraction of each column zeroed.");
  m.def(
      "variance_scaling_",
      [=](py::handle w, double scale, const std::string& mode, const std::string& dist,
          const py::object& g, std::optional<double> fi_, std::optional<double> fo_) {
        auto G = gen(g);
        return with_view(w, "tensor", [&](auto v) {
          init::variance_scaling_(v, *G, scale, mode, dist, fans(fi_, fo_));
        });
      },
      py::arg("tensor"), py::arg("scale") = 1.0, py::arg("mode") = "fan_in",
      py::arg("distribution") = "truncated_normal", py::kw_only(),
      py::arg("generator") = py::none(), py::arg("fan_in") = py::none(),
      py::arg("fan_out") = py::none(), "Keras VarianceScaling: variance scale / max(1, fan).");
}

}  // namespace fastinit::py_glue
