// fastinit/activation.hpp — hidden-layer activations, each forward beside its derivative.
//
// Shape legend: Z, A, dA, dZ are (N, D) row-major blocks; the functions work elementwise.
// Names, parameters and defaults follow PyTorch: leaky_relu(negative_slope=0.01),
// elu(alpha=1), selu (fixed constants), gelu (exact erf form), softplus(beta=1, threshold=20).
//   activation_forward:  A  = f(Z)
//   activation_backward: dZ = dA * f'(Z)      (A is passed too: sigmoid/tanh reuse it)
// Scalar forms phi / dphi in double serve the mean-field theory (theory.hpp).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "errors.hpp"
#include "types.hpp"

namespace fastinit {

enum class Act {
  identity,
  sigmoid,
  tanh,
  relu,
  leaky_relu,
  elu,
  selu,
  gelu,
  softplus,
  softsign,
  silu
};

struct Activation {
  Act kind = Act::relu;
  double negative_slope = 0.01;  // leaky_relu
  double alpha = 1.0;            // elu
  double beta = 1.0;             // softplus
  double threshold = 20.0;       // softplus

  static const std::vector<std::string>& names() {
    static const std::vector<std::string> n = {"identity",   "sigmoid",  "tanh", "relu",
                                               "leaky_relu", "elu",      "selu", "gelu",
                                               "softplus",   "softsign", "silu"};
    return n;
  }
  static Activation from_name(const std::string& name) {
    const auto& n = names();
    for (std::size_t i = 0; i < n.size(); ++i)
      if (n[i] == name) {
        Activation a;
        a.kind = static_cast<Act>(i);
        return a;
      }
    if (name == "linear") return Activation{Act::identity};
    detail::unknown_name("activation", name, n);
  }
  std::string name() const { return names()[static_cast<std::size_t>(kind)]; }
  void validate() const {
    for (auto [v, what] : {std::pair{negative_slope, "negative_slope"}, std::pair{alpha, "alpha"},
                           std::pair{beta, "beta"}, std::pair{threshold, "threshold"}})
      if (!std::isfinite(v))
        throw value_error(detail::cat("activation ", name(), ": ", what, " must be finite"));
    if (kind == Act::softplus && !(beta > 0))
      throw value_error(detail::cat("activation softplus: beta must be > 0, got ", beta));
  }
  bool relu_family() const { return kind == Act::relu; }
};

namespace act_detail {
inline constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
inline constexpr double kSeluScale = 1.0507009873554804934193349852946;
inline constexpr double kInvSqrt2 = 0.70710678118654752440;
inline constexpr double kInvSqrt2Pi = 0.39894228040143267794;

// Stable logistic: never exponentiates a large positive number.
template <class T>
inline T sigmoid(T z) {
  if (z >= 0) {
    const T e = std::exp(-z);
    return T(1) / (T(1) + e);
  }
  const T e = std::exp(z);
  return e / (T(1) + e);
}
}  // namespace act_detail

// phi(x) in double, for quadrature.
inline double phi(const Activation& a, double x) {
  using namespace act_detail;
  switch (a.kind) {
    case Act::identity: return x;
    case Act::sigmoid: return sigmoid(x);
    case Act::tanh: return std::tanh(x);
    case Act::relu: return x > 0 ? x : 0.0;
    case Act::leaky_relu: return x > 0 ? x : a.negative_slope * x;
    case Act::elu: return x > 0 ? x : a.alpha * std::expm1(x);
    case Act::selu: return kSeluScale * (x > 0 ? x : kSeluAlpha * std::expm1(x));
    case Act::gelu: return 0.5 * x * std::erfc(-x * kInvSqrt2);
    case Act::softplus:
      return a.beta * x > a.threshold
                 ? x
                 : std::log1p(std::exp(-std::fabs(a.beta * x))) / a.beta + std::max(x, 0.0);
    case Act::softsign: return x / (1 + std::fabs(x));
    case Act::silu: return x * sigmoid(x);
  }
  return 0;
}

// phi'(x) in double. At kinks: relu'(0) = 0, leaky_relu'(0) = slope, elu'(0) = alpha (PyTorch).
inline double dphi(const Activation& a, double x) {
  using namespace act_detail;
  switch (a.kind) {
    case Act::identity: return 1;
    case Act::sigmoid: {
      const double s = sigmoid(x);
      return s * (1 - s);
    }
    case Act::tanh: {
      const double t = std::tanh(x);
      return 1 - t * t;
    }
    case Act::relu: return x > 0 ? 1.0 : 0.0;
    case Act::leaky_relu: return x > 0 ? 1.0 : a.negative_slope;
    case Act::elu: return x > 0 ? 1.0 : a.alpha * std::exp(x);
    case Act::selu: return kSeluScale * (x > 0 ? 1.0 : kSeluAlpha * std::exp(x));
    case Act::gelu:
      return 0.5 * std::erfc(-x * kInvSqrt2) + x * kInvSqrt2Pi * std::exp(-0.5 * x * x);
    case Act::softplus: return a.beta * x > a.threshold ? 1.0 : sigmoid(a.beta * x);
    case Act::softsign: {
      const double d = 1 + std::fabs(x);
      return 1 / (d * d);
    }
    case Act::silu: {
      const double s = sigmoid(x);
      return s * (1 + x * (1 - s));
    }
  }
  return 0;
}

// A = f(Z) on n contiguous elements.
template <class T>
void activation_forward(const Activation& a, const T* Z, T* A, index_t n) {
  using namespace act_detail;
  using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
  Eigen::Map<const Arr> z(Z, n);
  Eigen::Map<Arr> out(A, n);
  const T slope = T(a.negative_slope), alpha = T(a.alpha), beta = T(a.beta), thr = T(a.threshold);
  switch (a.kind) {
    case Act::identity:
      if (A != Z) out = z;
      break;
    case Act::sigmoid:
      for (index_t i = 0; i < n; ++i) A[i] = sigmoid(Z[i]);
      break;
    case Act::tanh: out = z.tanh(); break;
    case Act::relu: out = z.max(T(0)); break;
    case Act::leaky_relu: out = (z > T(0)).select(z, slope * z); break;
    case Act::elu:
      for (index_t i = 0; i < n; ++i) A[i] = Z[i] > 0 ? Z[i] : alpha * std::expm1(Z[i]);
      break;
    case Act::selu:
      for (index_t i = 0; i < n; ++i)
        A[i] = T(kSeluScale) * (Z[i] > 0 ? Z[i] : T(kSeluAlpha) * std::expm1(Z[i]));
      break;
    case Act::gelu:
      for (index_t i = 0; i < n; ++i) A[i] = T(0.5) * Z[i] * std::erfc(-Z[i] * T(kInvSqrt2));
      break;
    case Act::softplus:
      for (index_t i = 0; i < n; ++i) {
        const T bz = beta * Z[i];
        A[i] = bz > thr ? Z[i] : (std::log1p(std::exp(-std::fabs(bz))) + std::max(bz, T(0))) / beta;
      }
      break;
    case Act::softsign: out = z / (T(1) + z.abs()); break;
    case Act::silu:
      for (index_t i = 0; i < n; ++i) A[i] = Z[i] * sigmoid(Z[i]);
      break;
  }
}

// dZ = dA * f'(Z) on n contiguous elements (dZ may alias dA).
template <class T>
void activation_backward(const Activation& a, const T* Z, const T* A, const T* dA, T* dZ,
                         index_t n) {
  using namespace act_detail;
  const T slope = T(a.negative_slope), alpha = T(a.alpha), beta = T(a.beta), thr = T(a.threshold);
  switch (a.kind) {
    case Act::identity:
      if (dZ != dA) std::copy(dA, dA + n, dZ);
      break;
    case Act::sigmoid:
      for (index_t i = 0; i < n; ++i) dZ[i] = dA[i] * A[i] * (T(1) - A[i]);
      break;
    case Act::tanh:
      for (index_t i = 0; i < n; ++i) dZ[i] = dA[i] * (T(1) - A[i] * A[i]);
      break;
    case Act::relu:
      for (index_t i = 0; i < n; ++i) dZ[i] = Z[i] > 0 ? dA[i] : T(0);
      break;
    case Act::leaky_relu:
      for (index_t i = 0; i < n; ++i) dZ[i] = Z[i] > 0 ? dA[i] : slope * dA[i];
      break;
    case Act::elu:
      for (index_t i = 0; i < n; ++i) dZ[i] = Z[i] > 0 ? dA[i] : dA[i] * (A[i] + alpha);
      break;
    case Act::selu:
      for (index_t i = 0; i < n; ++i)
        dZ[i] = Z[i] > 0 ? dA[i] * T(kSeluScale) : dA[i] * (A[i] + T(kSeluScale * kSeluAlpha));
      break;
    case Act::gelu:
      for (index_t i = 0; i < n; ++i) {
        const T z = Z[i];
        dZ[i] = dA[i] * (T(0.5) * std::erfc(-z * T(kInvSqrt2)) +
                         z * T(kInvSqrt2Pi) * std::exp(T(-0.5) * z * z));
      }
      break;
    case Act::softplus:
      for (index_t i = 0; i < n; ++i) {
        const T bz = beta * Z[i];
        dZ[i] = bz > thr ? dA[i] : dA[i] * sigmoid(bz);
      }
      break;
    case Act::softsign:
      for (index_t i = 0; i < n; ++i) {
        const T d = T(1) + std::fabs(Z[i]);
        dZ[i] = dA[i] / (d * d);
      }
      break;
    case Act::silu:
      for (index_t i = 0; i < n; ++i) {
        const T s = sigmoid(Z[i]);
        dZ[i] = dA[i] * s * (T(1) + Z[i] * (T(1) - s));
      }
      break;
  }
}

}  // namespace fastinit
