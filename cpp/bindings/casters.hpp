// pybind11 conversions for fastinit's configuration types, each written once:
//   - every enum with `enum_names<E>` (names.hpp) converts from / to its name, a Python str; an
//     unknown name raises ValueError listing the valid ones (no Python-side name lists);
//   - Output gets its names from loss.hpp;
//   - Activation converts from "name" or ("name", {parameter: value}): a parameter the
//     activation does not take, or a value that is not a real number, raises ValueError.
// Because these casters throw from load() on a bad value, the message reaches the user as is,
// instead of pybind11's "incompatible function arguments".
#pragma once

#include <pybind11/pybind11.h>

#include <fastinit/activation.hpp>
#include <fastinit/clip.hpp>
#include <fastinit/errors.hpp>
#include <fastinit/loss.hpp>
#include <fastinit/names.hpp>
#include <fastinit/optim.hpp>
#include <fastinit/scheme.hpp>
#include <fastinit/theory.hpp>
#include <string>
#include <type_traits>
#include <vector>

namespace fastinit {

template <>
struct enum_names<Output> {
  static constexpr const char* what = "output";
  static const std::vector<std::string>& names() { return output_names(); }
};

namespace py_glue {

namespace py = pybind11;

inline std::string type_name(py::handle obj) {
  return py::str(py::type::of(obj).attr("__name__")).cast<std::string>();
}

// A real number (int, float or a NumPy scalar; not bool, not str) as a double; `what` names it
// in the error.
inline double real_number(py::handle v, const std::string& what) {
  if (py::isinstance<py::bool_>(v) || py::isinstance<py::str>(v) || !PyNumber_Check(v.ptr()) ||
      PyComplex_Check(v.ptr()))
    throw value_error(
        detail::cat(what, ": expected a number, got ", py::repr(v).cast<std::string>()));
  return py::float_(py::reinterpret_borrow<py::object>(v)).cast<double>();
}

// The parameters an activation takes.
inline std::vector<std::string> activation_parameters(Act kind) {
  switch (kind) {
    case Act::leaky_relu: return {"negative_slope"};
    case Act::elu: return {"alpha"};
    case Act::softplus: return {"beta", "threshold"};
    case Act::hardtanh: return {"min_val", "max_val"};
    default: return {};
  }
}

// "name" or ("name", {parameter: value}).
inline Activation activation_from(py::handle spec) {
  py::handle name = spec, params;
  if (py::isinstance<py::tuple>(spec)) {
    auto t = py::reinterpret_borrow<py::tuple>(spec);
    if (t.size() != 2 || !py::isinstance<py::dict>(t[1]))
      throw value_error("activation: expected a name or a (name, {parameter: value}) pair");
    name = t[0];
    params = t[1];
  }
  if (!py::isinstance<py::str>(name))
    throw value_error(detail::cat("activation: expected a name (str), got ", type_name(name)));
  Activation a = Activation::from_name(name.cast<std::string>());
  if (params) {
    const auto takes = activation_parameters(a.kind);
    for (auto kv : py::reinterpret_borrow<py::dict>(params)) {
      if (!py::isinstance<py::str>(kv.first))
        throw value_error("activation parameters: keys must be strings");
      const auto key = kv.first.cast<std::string>();
      if (std::find(takes.begin(), takes.end(), key) == takes.end()) {
        if (takes.empty())
          throw value_error(
              detail::cat("activation '", a.name(), "' takes no parameters, got '", key, "'"));
        throw value_error(detail::cat("activation '", a.name(), "' has no parameter '", key,
                                      "'; valid: ", detail::join(takes)));
      }
      const double x = real_number(kv.second, detail::cat("activation parameter '", key, "'"));
      if (key == "negative_slope")
        a.negative_slope = x;
      else if (key == "alpha")
        a.alpha = x;
      else if (key == "beta")
        a.beta = x;
      else if (key == "threshold")
        a.threshold = x;
      else if (key == "min_val")
        a.min_val = x;
      else
        a.max_val = x;
    }
  }
  a.validate();
  return a;
}

inline py::tuple activation_to(const Activation& a) {
  py::dict params;
  for (const auto& k : activation_parameters(a.kind)) {
    if (k == "negative_slope") params[k.c_str()] = a.negative_slope;
    if (k == "alpha") params[k.c_str()] = a.alpha;
    if (k == "beta") params[k.c_str()] = a.beta;
    if (k == "threshold") params[k.c_str()] = a.threshold;
    if (k == "min_val") params[k.c_str()] = a.min_val;
    if (k == "max_val") params[k.c_str()] = a.max_val;
  }
  return py::make_tuple(a.name(), params);
}

}  // namespace py_glue
}  // namespace fastinit

namespace pybind11::detail {

// A full specialization per enum (pybind11 has its own partial one for every enum).
template <class E>
struct named_enum_caster {
  PYBIND11_TYPE_CASTER(E, const_name("str"));
  bool load(handle src, bool) {
    if (!isinstance<str>(src))
      throw fastinit::value_error(fastinit::detail::cat("expected the name (a str) of an ",
                                                        fastinit::enum_names<E>::what, ", got ",
                                                        fastinit::py_glue::type_name(src)));
    value = fastinit::from_name<E>(src.cast<std::string>());
    return true;
  }
  static handle cast(E e, return_value_policy, handle) {
    return str(fastinit::name_of(e)).release();
  }
};

#define FASTINIT_NAMED_ENUM(E) \
  template <>                  \
  struct type_caster<E> : named_enum_caster<E> {}
FASTINIT_NAMED_ENUM(fastinit::Output);
FASTINIT_NAMED_ENUM(fastinit::OptimKind);
FASTINIT_NAMED_ENUM(fastinit::ClipMode);
FASTINIT_NAMED_ENUM(fastinit::Scheme);
FASTINIT_NAMED_ENUM(fastinit::theory::JacobianWeights);
#undef FASTINIT_NAMED_ENUM

template <>
struct type_caster<fastinit::Activation> {
  PYBIND11_TYPE_CASTER(fastinit::Activation, const_name("ActivationSpec"));
  bool load(handle src, bool) {
    value = fastinit::py_glue::activation_from(src);
    return true;
  }
  static handle cast(const fastinit::Activation& a, return_value_policy, handle) {
    return fastinit::py_glue::activation_to(a).release();
  }
};

}  // namespace pybind11::detail
