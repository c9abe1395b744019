// fastinit/activation.hpp — hidden-layer activations, each forward beside its derivative.
//
// One struct per activation (namespace act) owns its math, templated on the scalar type: the MLP
// evaluates it in T (float or double), the mean-field theory (theory.hpp) in double.
// clang-format off
// Shape legend: Z, A, dA, dZ are (N, D) row-major blocks; the functions work elementwise.
//   f(x)             A  = f(Z)                   the value
//   df(x)            f'(x)                       the derivative, from x alone (the theory's)
//   dz(dA, z, a)     dZ = dA * f'(z)             the backward step from the cache (a = f(z))
//   block(Z, A)      A  = f(Z) on an Eigen array  where the MLP uses Eigen's vectorized form
//   activation_forward / activation_backward     the MLP's kernels over n contiguous elements
//   phi / dphi                                   f and f' in double for the theory
// clang-format on
// Names, parameters and defaults follow PyTorch: leaky_relu(negative_slope=0.01),
// elu(alpha=1), selu (fixed constants), gelu (exact erf form), softplus(beta=1, threshold=20),
// hardtanh(min_val=-1, max_val=1) (min_val < max_val); erf is torch.erf (no parameters).
// At kinks: relu'(0) = 0, leaky_relu'(0) = slope, elu'(0) = alpha, hardtanh'(min_val) =
// hardtanh'(max_val) = 0 (PyTorch's autograd).
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
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
  silu,
  erf,
  hardtanh
};

struct Activation {
  Act kind = Act::relu;
  double negative_slope = 0.01;  // leaky_relu
  double alpha = 1.0;            // elu
  double beta = 1.0;             // softplus
  double threshold = 20.0;       // softplus
  double min_val = -1.0;         // hardtanh
  double max_val = 1.0;          // hardtanh

  static const std::vector<std::string>& names() {
    static const std::vector<std::string> n = {
        "identity", "sigmoid",  "tanh",     "relu", "leaky_relu", "elu",     "selu",
        "gelu",     "softplus", "softsign", "silu", "erf",        "hardtanh"};
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
                           std::pair{beta, "beta"}, std::pair{threshold, "threshold"},
                           std::pair{min_val, "min_val"}, std::pair{max_val, "max_val"}})
      if (!std::isfinite(v))
        throw value_error(detail::cat("activation ", name(), ": ", what, " must be finite"));
    if (kind == Act::softplus && !(beta > 0))
      throw value_error(detail::cat("activation softplus: beta must be > 0, got ", beta));
    if (kind == Act::hardtanh && !(min_val < max_val))
      throw value_error(
          detail::cat("activation hardtanh: min_val must be < max_val, got min_val = ", min_val,
                      ", max_val = ", max_val));
  }
};

namespace act_detail {
inline constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
inline constexpr double kSeluScale = 1.0507009873554804934193349852946;
inline constexpr double kInvSqrt2 = 0.70710678118654752440;
inline constexpr double kInvSqrt2Pi = 0.39894228040143267794;
inline constexpr double kTwoOverSqrtPi = 1.12837916709551257390;  // erf'(0)

// Stable logistic: never exponentiates a large positive number. The one logistic of fastinit:
// the sigmoid and silu activations, softplus' derivative and the sigmoid output layer use it.
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

namespace act {
using act_detail::kInvSqrt2;
using act_detail::kInvSqrt2Pi;
using act_detail::kSeluAlpha;
using act_detail::kSeluScale;
using act_detail::kTwoOverSqrtPi;
using act_detail::sigmoid;
using P = Activation;  // the parameters (negative_slope, alpha, beta, threshold, min_val, max_val)

// Each expression below is the one the MLP and the theory evaluate, operation for operation
// (results are bit-identical with earlier versions of fastinit). Where the MLP uses Eigen's
// vectorized form (block), it is the same function: for double, tanh is std::tanh per element;
// for float, Eigen's rational tanh (a few ulp from std::tanh); relu's max returns -0 at -0.

// clang-format off
struct Identity {
  template <class T> static T f(T x, const P&) { return x; }
  template <class T> static T df(T, const P&) { return T(1); }
  template <class T> static T dz(T dA, T, T, const P&) { return dA; }
  template <class Z, class A> static void block(const Z& z, A& a, const P&) { a = z; }
};

struct Sigmoid {
  template <class T> static T f(T x, const P&) { return sigmoid(x); }
  template <class T> static T df(T x, const P&) { const T s = sigmoid(x); return s * (T(1) - s); }
  template <class T> static T dz(T dA, T, T a, const P&) { return dA * a * (T(1) - a); }
};

struct Tanh {
  template <class T> static T f(T x, const P&) { return std::tanh(x); }
  template <class T> static T df(T x, const P&) { const T t = std::tanh(x); return T(1) - t * t; }
  template <class T> static T dz(T dA, T, T a, const P&) { return dA * (T(1) - a * a); }
  template <class Z, class A> static void block(const Z& z, A& a, const P&) { a = z.tanh(); }
};

// Like PyTorch's relu and threshold_backward, a NaN z stays NaN and passes dA through (z <= 0
// is false), so an overflowed network's gradients read NaN, not 0.
struct Relu {
  template <class T> static T f(T x, const P&) { return x <= 0 ? T(0) : x; }
  template <class T> static T df(T x, const P&) { return x > 0 ? T(1) : T(0); }
  template <class T> static T dz(T dA, T z, T, const P&) { return z <= 0 ? T(0) : dA; }
  template <class Z, class A> static void block(const Z& z, A& a, const P&) {
    a = z.max(typename A::Scalar(0));
  }
};

struct LeakyRelu {  // slope = negative_slope
  template <class T> static T f(T x, const P& p) { return x > 0 ? x : T(p.negative_slope) * x; }
  template <class T> static T df(T x, const P& p) { return x > 0 ? T(1) : T(p.negative_slope); }
  template <class T> static T dz(T dA, T z, T, const P& p) {
    return z > 0 ? dA : T(p.negative_slope) * dA;
  }
  template <class Z, class A> static void block(const Z& z, A& a, const P& p) {
    using T = typename A::Scalar;
    a = (z > T(0)).select(z, T(p.negative_slope) * z);
  }
};

struct Elu {  // dz from the cache: f'(z) = alpha e^z = a + alpha for z <= 0
  template <class T> static T f(T x, const P& p) { return x > 0 ? x : T(p.alpha) * std::expm1(x); }
  template <class T> static T df(T x, const P& p) {
    return x > 0 ? T(1) : T(p.alpha) * std::exp(x);
  }
  template <class T> static T dz(T dA, T z, T a, const P& p) {
    return z > 0 ? dA : dA * (a + T(p.alpha));
  }
};

struct Selu {  // scale * elu(x; alpha) with the fixed constants; dz from the cache, as elu
  template <class T> static T f(T x, const P&) {
    return T(kSeluScale) * (x > 0 ? x : T(kSeluAlpha) * std::expm1(x));
  }
  template <class T> static T df(T x, const P&) {
    return T(kSeluScale) * (x > 0 ? T(1) : T(kSeluAlpha) * std::exp(x));
  }
  template <class T> static T dz(T dA, T z, T a, const P&) {
    return z > 0 ? dA * T(kSeluScale) : dA * (a + T(kSeluScale * kSeluAlpha));
  }
};

struct Gelu {  // exact: x Phi(x) = x erfc(-x / sqrt 2) / 2;  f'(x) = Phi(x) + x N(x)
  template <class T> static T f(T x, const P&) { return T(0.5) * x * std::erfc(-x * T(kInvSqrt2)); }
  template <class T> static T df(T x, const P&) {
    return T(0.5) * std::erfc(-x * T(kInvSqrt2)) + x * T(kInvSqrt2Pi) * std::exp(T(-0.5) * x * x);
  }
  template <class T> static T dz(T dA, T z, T, const P& p) { return dA * df(z, p); }
};

// softplus(x) = log(1 + exp(beta x)) / beta, = x where beta x > threshold (PyTorch). Two
// roundings of the same function: f (the MLP's) and f_theory (the theory's); they differ in the
// last bit, and merging them would change either the MLP's bits or the theory's values.
struct Softplus {
  template <class T> static T f(T x, const P& p) {
    const T beta = T(p.beta), bz = beta * x;
    return bz > T(p.threshold) ? x
                               : (std::log1p(std::exp(-std::fabs(bz))) + std::max(bz, T(0))) / beta;
  }
  static double f_theory(double x, const P& p) {
    return p.beta * x > p.threshold
               ? x
               : std::log1p(std::exp(-std::fabs(p.beta * x))) / p.beta + std::max(x, 0.0);
  }
  template <class T> static T df(T x, const P& p) {
    const T bz = T(p.beta) * x;
    return bz > T(p.threshold) ? T(1) : sigmoid(bz);
  }
  template <class T> static T dz(T dA, T z, T, const P& p) {
    const T bz = T(p.beta) * z;
    return bz > T(p.threshold) ? dA : dA * sigmoid(bz);
  }
};

struct Softsign {
  template <class T> static T f(T x, const P&) { return x / (T(1) + std::fabs(x)); }
  template <class T> static T df(T x, const P&) {
    const T d = T(1) + std::fabs(x);
    return T(1) / (d * d);
  }
  template <class T> static T dz(T dA, T z, T, const P&) {
    const T d = T(1) + std::fabs(z);
    return dA / (d * d);
  }
  template <class Z, class A> static void block(const Z& z, A& a, const P&) {
    a = z / (typename A::Scalar(1) + z.abs());
  }
};

struct Silu {  // x sigmoid(x);  f'(x) = s (1 + x (1 - s))
  template <class T> static T f(T x, const P&) { return x * sigmoid(x); }
  template <class T> static T df(T x, const P&) {
    const T s = sigmoid(x);
    return s * (T(1) + x * (T(1) - s));
  }
  template <class T> static T dz(T dA, T z, T, const P&) {
    const T s = sigmoid(z);
    return dA * s * (T(1) + z * (T(1) - s));
  }
};

struct Erf {  // torch.erf;  f'(x) = 2/sqrt(pi) exp(-x^2)
  template <class T> static T f(T x, const P&) { return std::erf(x); }
  template <class T> static T df(T x, const P&) { return T(kTwoOverSqrtPi) * std::exp(-x * x); }
  template <class T> static T dz(T dA, T z, T, const P& p) { return dA * df(z, p); }
};

// clamp(x, min_val, max_val), the bounds rounded to T as PyTorch does. f' = 1 strictly inside
// (min_val, max_val), 0 outside and at both bounds; like PyTorch's hardtanh_backward a NaN z
// passes dA through (z <= lo and z >= hi are both false). block = f element for element:
// Eigen's max / min keep std::max / std::min's NaN rule (a NaN z stays NaN) and -0 stays -0.
struct Hardtanh {
  template <class T> static T f(T x, const P& p) {
    const T lo = T(p.min_val), hi = T(p.max_val);
    return x < lo ? lo : (hi < x ? hi : x);
  }
  template <class T> static T df(T x, const P& p) {
    return (x <= T(p.min_val) || x >= T(p.max_val)) ? T(0) : T(1);
  }
  template <class T> static T dz(T dA, T z, T, const P& p) {
    return (z <= T(p.min_val) || z >= T(p.max_val)) ? T(0) : dA;
  }
  template <class Z, class A> static void block(const Z& z, A& a, const P& p) {
    using T = typename A::Scalar;
    a = z.max(T(p.min_val)).min(T(p.max_val));
  }
};
// clang-format on

// Calls fn(Op{}) with the struct that owns a.kind.
template <class Fn>
decltype(auto) visit(const Activation& a, Fn&& fn) {
  switch (a.kind) {
    case Act::identity: return fn(Identity{});
    case Act::sigmoid: return fn(Sigmoid{});
    case Act::tanh: return fn(Tanh{});
    case Act::relu: return fn(Relu{});
    case Act::leaky_relu: return fn(LeakyRelu{});
    case Act::elu: return fn(Elu{});
    case Act::selu: return fn(Selu{});
    case Act::gelu: return fn(Gelu{});
    case Act::softplus: return fn(Softplus{});
    case Act::softsign: return fn(Softsign{});
    case Act::silu: return fn(Silu{});
    case Act::erf: return fn(Erf{});
    case Act::hardtanh: return fn(Hardtanh{});
  }
  return fn(Identity{});
}

template <class Op, class = void>
struct has_block : std::false_type {};
template <class Op>
struct has_block<Op, std::void_t<decltype(&Op::template block<Eigen::ArrayXd, Eigen::ArrayXd>)>>
    : std::true_type {};
}  // namespace act

// phi(x) in double, for quadrature.
inline double phi(const Activation& a, double x) {
  if (a.kind == Act::softplus) return act::Softplus::f_theory(x, a);
  return act::visit(a, [&](auto op) { return op.f(x, a); });
}

// phi'(x) in double.
inline double dphi(const Activation& a, double x) {
  return act::visit(a, [&](auto op) { return op.df(x, a); });
}

// A = f(Z) on n contiguous elements (A may alias Z).
template <class T>
void activation_forward(const Activation& a, const T* Z, T* A, index_t n) {
  act::visit(a, [&](auto op) {
    using Op = decltype(op);
    if constexpr (std::is_same_v<Op, act::Identity>) {
      if (A != Z) std::copy(Z, Z + n, A);
    } else if constexpr (act::has_block<Op>::value) {
      using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
      Eigen::Map<const Arr> z(Z, n);
      Eigen::Map<Arr> out(A, n);
      Op::block(z, out, a);
    } else {
      for (index_t i = 0; i < n; ++i) A[i] = Op::f(Z[i], a);
    }
  });
}

// dZ = dA * f'(Z) on n contiguous elements (dZ may alias dA).
template <class T>
void activation_backward(const Activation& a, const T* Z, const T* A, const T* dA, T* dZ,
                         index_t n) {
  act::visit(a, [&](auto op) {
    using Op = decltype(op);
    if constexpr (std::is_same_v<Op, act::Identity>) {
      if (dZ != dA) std::copy(dA, dA + n, dZ);
    } else {
      for (index_t i = 0; i < n; ++i) dZ[i] = Op::dz(dA[i], Z[i], A[i], a);
    }
  });
}

}  // namespace fastinit
