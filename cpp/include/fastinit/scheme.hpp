// fastinit/scheme.hpp — "initialize this network with scheme S": the one recipe that sweeps,
// diagnosis, training runs, the report and the CLI all use.
//
// A scheme fills every weight W_l (out, in) of an Mlp and its bias b_l, layer by layer from
// l = 0, all from one Generator. The gain of a layer is the PyTorch gain of the hidden activation
// that follows it (the output layer takes the last hidden activation's); activations without a
// PyTorch gain (elu, gelu, softplus, softsign, silu, erf, hardtanh) take ReLU's. Biases are zero
// unless said.
//
// clang-format off
//   zeros                               W = 0 (the symmetric failure)
//   normal                              W ~ N(0, std^2) (std = 1: the classic failure)
//   xavier_normal / xavier_uniform      Glorot & Bengio 2010, gain 1
//   kaiming_normal / kaiming_uniform    He et al. 2015, fan_in, the layer's gain
//   lecun_* / he_* / glorot_*           Keras variance scaling (normal = truncated normal)
//   orthogonal                          Saxe et al. 2014, the layer's gain
//   zero                                ZerO (Zhao et al. 2022): deterministic Hadamard / identity
//   lsuv                                orthogonal with gain 1, then LSUV (Mishkin & Matas 2016)
//                                       on a batch X (the scheme needs data)
//   sigma                               W ~ N(0, sigma_w^2 / fan_in), b ~ N(0, sigma_b^2),
//                                       drawn W_l then b_l per layer (mean-field theory's network)
//   critical                            sigma at the critical sigma_w of the first hidden
//                                       activation for sigma_b (chi1 = 1, the edge of chaos)
// clang-format on
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "init.hpp"
#include "lsuv.hpp"
#include "mlp.hpp"
#include "names.hpp"
#include "random.hpp"
#include "theory.hpp"

namespace fastinit {

enum class Scheme {
  zeros,
  normal,
  xavier_normal,
  xavier_uniform,
  kaiming_normal,
  kaiming_uniform,
  lecun_normal,
  lecun_uniform,
  he_normal,
  he_uniform,
  glorot_normal,
  glorot_uniform,
  orthogonal,
  zero,
  lsuv,
  sigma,
  critical,
};
template <>
struct enum_names<Scheme> {
  static constexpr const char* what = "init scheme";
  static const std::vector<std::string>& names() {
    static const std::vector<std::string> n = {
        "zeros",           "normal",         "xavier_normal", "xavier_uniform", "kaiming_normal",
        "kaiming_uniform", "lecun_normal",   "lecun_uniform", "he_normal",      "he_uniform",
        "glorot_normal",   "glorot_uniform", "orthogonal",    "zero",           "lsuv",
        "sigma",           "critical"};
    return n;
  }
};

// A scheme and its parameters.
struct SchemeConfig {
  Scheme scheme = Scheme::kaiming_normal;
  double std = 1.0;      // for normal
  double sigma_w = 1.0;  // for sigma (critical: resolved from sigma_b)
  double sigma_b = 0.0;  // for sigma and critical

  void validate() const {
    for (auto [v, name] :
         {std::pair{std, "std"}, std::pair{sigma_w, "sigma_w"}, std::pair{sigma_b, "sigma_b"}})
      if (!std::isfinite(v) || v < 0)
        throw value_error(detail::cat("init scheme '", name_of(scheme), "': ", name,
                                      " must be a finite number >= 0, got ", v));
  }
};

// The PyTorch gain (and leaky slope) of an activation: ReLU's for those without one.
struct Gain {
  std::string nonlinearity;
  double slope = 0;
  double value() const { return init::calculate_gain(nonlinearity, slope); }
};
inline Gain gain_of(const Activation& a) {
  switch (a.kind) {
    case Act::identity: return {"linear"};
    case Act::sigmoid: return {"sigmoid"};
    case Act::tanh: return {"tanh"};
    case Act::relu: return {"relu"};
    case Act::leaky_relu: return {"leaky_relu", a.negative_slope};
    case Act::selu: return {"selu"};
    default: return {"relu"};
  }
}

// The activation whose gain layer l takes (identity for a network without hidden layers).
template <class T>
Activation layer_activation(const Mlp<T>& net, int l) {
  const auto& acts = net.activations();
  if (acts.empty()) return Activation{Act::identity};
  return acts[static_cast<std::size_t>(std::min<int>(l, static_cast<int>(acts.size()) - 1))];
}

// The sigma_w a scheme stands for: sigma's own, or critical's, resolved for the network's first
// hidden activation (theory.hpp); NaN for the other schemes.
template <class T>
double resolved_sigma_w(const Mlp<T>& net, const SchemeConfig& c) {
  if (c.scheme == Scheme::sigma) return c.sigma_w;
  if (c.scheme == Scheme::critical)
    return theory::critical_sigma_w(layer_activation(net, 0), c.sigma_b);
  return std::nan("");
}

// What init_network_ did: the sigma_w it used (sigma, critical; else NaN) and, for lsuv, what
// LSUV did per layer.
struct SchemeReport {
  double sigma_w = std::nan("");
  std::vector<LsuvLayer> lsuv;
};

// Initializes every parameter of `net` with scheme `c` from `g`. lsuv needs the batch X.
template <class T>
SchemeReport init_network_(Mlp<T>& net, const SchemeConfig& c, Generator& g,
                           std::optional<typename Mlp<T>::ConstInput> X = std::nullopt) {
  c.validate();
  if (c.scheme == Scheme::lsuv && !X)
    throw value_error("init scheme 'lsuv' needs data: pass a batch X");
  const double sigma_w = resolved_sigma_w(net, c);
  auto& P = net.params();
  for (int l = 0; l < net.num_layers(); ++l) {
    auto W = P.W(l);
    auto b = P.b(l);
    b.setZero();
    const Gain gain = gain_of(layer_activation(net, l));
    switch (c.scheme) {
      case Scheme::zeros: init::zeros_(W); break;
      case Scheme::normal: init::normal_(W, g, 0.0, c.std); break;
      case Scheme::xavier_normal: init::xavier_normal_(W, g); break;
      case Scheme::xavier_uniform: init::xavier_uniform_(W, g); break;
      case Scheme::kaiming_normal:
        init::kaiming_normal_(W, g, gain.slope, "fan_in", gain.nonlinearity);
        break;
      case Scheme::kaiming_uniform:
        init::kaiming_uniform_(W, g, gain.slope, "fan_in", gain.nonlinearity);
        break;
      case Scheme::lecun_normal: init::lecun_normal_(W, g); break;
      case Scheme::lecun_uniform: init::lecun_uniform_(W, g); break;
      case Scheme::he_normal: init::he_normal_(W, g); break;
      case Scheme::he_uniform: init::he_uniform_(W, g); break;
      case Scheme::glorot_normal: init::glorot_normal_(W, g); break;
      case Scheme::glorot_uniform: init::glorot_uniform_(W, g); break;
      case Scheme::orthogonal: init::orthogonal_(W, g, gain.value()); break;
      case Scheme::lsuv: init::orthogonal_(W, g, 1.0); break;
      case Scheme::zero: init::zero_(W); break;
      case Scheme::sigma:
      case Scheme::critical:
        init::normal_(W, g, 0.0, sigma_w / std::sqrt(double(W.cols())));
        normal_fill(b.data(), static_cast<std::size_t>(b.size()), 0.0, c.sigma_b, g);
        break;
    }
  }
  SchemeReport r;
  r.sigma_w = sigma_w;
  if (c.scheme == Scheme::lsuv) r.lsuv = lsuv_(net, *X, g, 0.1, 10, /*orthogonal_init=*/false);
  return r;
}

}  // namespace fastinit
