// fastinit/theory.hpp — mean-field signal propagation (Poole et al. 2016, Schoenholz et al. 2017).
//
// A wide fully connected network with weights ~ N(0, σ_w²/fan_in) and biases ~ N(0, σ_b²)
// (σ_w, σ_b are standard deviations) sends the pre-activation second moment q_l = E[z_l²]
// through the length map, and the back-propagated gradient through χ:
// clang-format off
//   length map   F(q)  = σ_w² E[φ(√q z)²] + σ_b²                 z ~ N(0, 1)
//   its slope    F'(q) = σ_w² E[z φ(√q z) φ'(√q z)] / √q          (= σ_w² E[φ'² + φ φ''], Stein)
//   fixed point  q*    = the limit of q_{l+1} = F(q_l) from q_0 (default 1); may be 0 or +inf
//   χ(q)               = σ_w² E[φ'(√q z)²],  χ₁ = χ(q*)
//   correlation map C(c) = (σ_w² E[φ(u1) φ(u2)] + σ_b²) / F(q),  u1 = √q z1,
//                        u2 = √q (c z1 + √(1-c²) z2): the next layer's correlation of two inputs
//                        at second moment q and correlation c (C(1) = 1)
//   c*, χ_c            the stable fixed point of C at q* (1 when χ₁ <= 1; the unique root in
//                        [0, 1) when χ₁ > 1) and C'(c*) = σ_w² E[φ'(u1) φ'(u2)] at (q*, c*)
//   depth scales ξ_q   = -1 / log F'(q*)   (q_l - q* ~ e^{-l/ξ_q}; +inf when F'(q*) >= 1 or q* = inf)
//                ξ_c   = -1 / log χ_c      (c_l - c* ~ e^{-l/ξ_c}; > 0 in both phases, = -1/log χ₁
//                        in the ordered one, +inf at χ₁ = 1; Schoenholz et al. 2017, Eq. 9)
//   Jacobian           mean and variance of the squared singular values of ∂x^L/∂x^0 for
//                        orthogonal or Gaussian weights (free probability; see jacobian_moments)
//   critical σ_w         the σ_w with χ₁(σ_w, σ_b) = 1, by Brent on log σ_w, searched outward from
//                        σ_w = 1 in [1e-3, 1e3]; value_error when χ₁ does not cross 1 there
//   predictions        q_1 = σ_w² q_in + σ_b² (q_in = mean square of the input), q_{l+1} = F(q_l);
//                        ‖∂L/∂z_l‖² ≈ χ(q_l) ‖∂L/∂z_{l+1}‖² going backwards, so the per-layer
//                        log-slope of ‖∂L/∂z‖ is ½ log χ(q_l).
// The derivative of the length map is taken under the integral (exact, no φ'' and no finite
// differences); at q = 0 it is the one-sided limit.
//
// Quadrature. Every expectation is E[f(z)] = ∫_0^Z [f(z) + f(-z)] N(z) dz, Z = 14 (the tail beyond
// carries < 1e-40 of the mass), on composite 16-point Gauss–Legendre panels whose nodes and
// weights are computed once here (Newton on P_16). Splitting at z = 0 makes every activation
// smooth on each half-line (relu, leaky_relu, elu, selu and softsign kink at 0); the softplus
// threshold x = threshold/β gets a panel edge too, so the integrand is PyTorch's exact function.
// The first panel is [0, δ] with δ = s/√q (s = 1, softplus min(1, 1/β): the distance, in x = √q z,
// of the activation's complex singularities, which all sit near the imaginary axis), then panels
// double in width up to 2 and stay at 2. A plain Gauss–Hermite rule cannot do this: with 101
// nodes it errs by 5e-2 on E[tanh(√q z)²] at q = 100 and by 5e-5 on E[elu(z)²] (kinks, and
// integrands that vary on a scale finer than the node spacing). Measured against SciPy quad
// (epsrel 1e-12, split at the kink) for all eleven activations (and non-default parameters),
// q in [1e-4, 100] and E[φ²], E[φ'²], E[zφφ']: largest relative difference 1.2e-14 (E[zφφ'] of
// sigmoid at q = 1e-4, a cancellation), typically 1e-15; at q = 1e8 against the closed-form
// asymptotics of sigmoid, 1e-13. Cost: 8 panels (256 evaluations of φ) at q = 1, 14 at q = 1e4.
// hardtanh's two bounds get panel edges too (at |min_val|/√q and |max_val|/√q), so it is
// integrated exactly as relu is: piecewise-polynomial times Gaussian on every panel.
// The piecewise-linear activations (identity, relu, leaky_relu) use the closed forms
// E[φ(√q z)²] = c q, E[φ'²] = c, c = 1, 1/2, (1 + slope²)/2.
//
// The correlation map's 2-D expectation is an iterated integral of the same panel rule (see
// bivariate_expect): every kink line of the (z1, z2) plane, including the oblique u2 = b, becomes
// a panel edge of the inner or outer rule. Measured against independent references (the erf
// closed form of Williams 1998, relu / leaky_relu arc-cosine kernels, hardtanh with the inner
// expectation in closed form, nested SciPy quad split at the kinks for elu, selu, softsign,
// SciPy dblquad for the smooth ones) for c in [-1, 0.999999] (to 1 - 1e-9 for erf, relu,
// leaky_relu, hardtanh), q in [0.01, 30]: largest difference of C 3e-15, kinked and smooth
// alike (tests/test_theory_correlation.py). Cost: about 4·10^4 evaluations of φ per C(c)
// (0.7 ms for gelu at q ~ 1), half that for odd activations (tanh: 0.37 ms), the outer nodes
// spread over the thread pool; c* takes 10-20 of them. identity, relu, leaky_relu and erf use
// their closed forms instead (closed_pair_expect, about 1 us).
//
// Worked example (checked by tests/test_theory.py against an independent SciPy computation):
//   tanh, σ_w = 1.5, σ_b = 0.05 (chaotic): q* = 0.798387114308…, χ₁ = 1.136707784096…,
//     F'(q*) = 0.501897580903…, ξ_q = 1.45062254452…, c* = 0.0520862363717…,
//     χ_c = 0.940140496924…, ξ_c = 16.2006416881…
//   tanh, σ_w = 1.2, σ_b = 0.3 (ordered):  q* = 0.469521120242…, χ₁ = 0.870011250038…,
//     ξ_c = 7.18137308632…
//   critical_sigma_w(tanh, 0.05) = 1.12253900476958 (q* ~ σ_b^(2/3) makes it rise steeply from 1);
//   critical_sigma_w(tanh, 0) = 1;  relu: √2 for any σ_b;  relu with σ_w = 1, σ_b = 0: F(q) = q/2.
// clang-format on
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "activation.hpp"
#include "errors.hpp"
#include "names.hpp"
#include "parallel.hpp"
#include "types.hpp"

namespace fastinit::theory {

// ---------------------------------------------------------------------------------------------
// Quadrature
// ---------------------------------------------------------------------------------------------

struct QuadratureRule {
  std::vector<double> x, w;  // nodes (ascending) and weights on [-1, 1]
};

// n-point Gauss–Legendre rule: Newton on P_n from x = cos(π(i + 3/4)/(n + 1/2)); weights
// 2 / ((1 - x²) P_n'(x)²). Accurate to a few ulp.
inline QuadratureRule gauss_legendre(int n) {
  if (n < 1) throw value_error(detail::cat("gauss_legendre: n must be >= 1, got ", n));
  const double pi = 3.14159265358979323846;
  QuadratureRule r;
  r.x.resize(n);
  r.w.resize(n);
  auto legendre = [n](double x, double& dp) {  // P_n(x) and P_n'(x)
    double p0 = 1, p1 = x;
    for (int k = 2; k <= n; ++k) {
      const double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    dp = n * (x * p1 - p0) / (x * x - 1);
    return p1;
  };
  for (int i = 0; i < (n + 1) / 2; ++i) {
    double x = std::cos(pi * (i + 0.75) / (n + 0.5)), dp = 0;
    for (int it = 0; it < 100; ++it) {
      const double dx = legendre(x, dp) / dp;
      x -= dx;
      if (std::fabs(dx) <= 1e-16) break;
    }
    legendre(x, dp);
    const double w = 2 / ((1 - x * x) * dp * dp);
    r.x[i] = -x;
    r.x[n - 1 - i] = x;
    r.w[i] = r.w[n - 1 - i] = w;
  }
  if (n % 2 == 1) r.x[n / 2] = 0.0;
  return r;
}

inline constexpr int kPanelOrder = 16;                           // Gauss–Legendre points per panel
inline constexpr double kZMax = 14.0;                            // integrate z over [-14, 14]
inline constexpr double kMaxPanelWidth = 2.0;                    // in z
inline constexpr double kMinPanelWidth = 8.673617379884035e-19;  // 2^-60: bounds the panel count

// The per-panel rule, computed once (thread-safe static initialization).
inline const QuadratureRule& panel_rule() {
  static const QuadratureRule r = gauss_legendre(kPanelOrder);
  return r;
}

// Points x where φ or φ' is not smooth, besides x = 0 (always a panel edge): softplus' switch
// to x at threshold / β, hardtanh's two bounds. Each gets a panel edge, so that every panel sees
// a smooth integrand and the Gauss rule keeps its spectral accuracy.
struct Kinks {
  std::array<double, 2> x{};
  int n = 0;
};
inline Kinks kinks(const Activation& a) {
  if (a.kind == Act::softplus) return {{a.threshold / a.beta, 0.0}, 1};
  if (a.kind == Act::hardtanh) return {{a.min_val, a.max_val}, 2};
  return {};
}

// E over z ~ N(0, 1) of the K functions g(z, x) returns, x = √q z. `scale` is the activation's
// feature scale in x (first panel [0, scale/√q]); each kink b gets a panel edge at z = |b|/√q.
// At q = 0 the integrand sees x = 1e-300 z: the one-sided limits q -> 0+ (elu'(0±) differ).
template <std::size_t K, class G>
std::array<double, K> gaussian_expect(double q, double scale, const Kinks& kinks, G&& g) {
  const auto& R = panel_rule();
  const double inv_sqrt_2pi = 0.39894228040143267794;
  const double sq = q > 0 ? std::sqrt(q) : 1e-300;
  const double first =
      q > 0 ? std::clamp(scale / sq, kMinPanelWidth, kMaxPanelWidth) : kMaxPanelWidth;
  std::array<double, 2> zb{};
  for (int i = 0; i < 2; ++i)
    zb[i] = (q > 0 && i < kinks.n && std::isfinite(kinks.x[i]))
                ? std::fabs(kinks.x[i]) / sq
                : std::numeric_limits<double>::infinity();
  std::array<double, K> acc{};
  double lo = 0, hi = first;
  while (lo < kZMax) {
    hi = std::min(hi, kZMax);
    for (double b : zb)
      if (b > lo && b < hi) hi = b;
    const double c = 0.5 * (lo + hi), h = 0.5 * (hi - lo);
    for (int k = 0; k < kPanelOrder; ++k) {
      const double z = c + h * R.x[k];
      const double wk = h * R.w[k] * inv_sqrt_2pi * std::exp(-0.5 * z * z);
      const std::array<double, K> a = g(z, sq * z), b = g(-z, -sq * z);
      for (std::size_t j = 0; j < K; ++j) acc[j] += wk * (a[j] + b[j]);
    }
    lo = hi;
    hi = lo + std::min(lo, kMaxPanelWidth);
  }
  return acc;
}

// ---------------------------------------------------------------------------------------------
// Activation facts
// ---------------------------------------------------------------------------------------------

// identity, relu, leaky_relu: E[φ(√q z)²] = c q and E[φ'(√q z)²] = c exactly.
inline bool piecewise_linear(const Activation& a) {
  return a.kind == Act::identity || a.kind == Act::relu || a.kind == Act::leaky_relu;
}
inline double linear_constant(const Activation& a) {
  switch (a.kind) {
    case Act::identity: return 1.0;
    case Act::relu: return 0.5;
    case Act::leaky_relu: return 0.5 * (1 + a.negative_slope * a.negative_slope);
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

// lim_{q->inf} E[φ(√q z)²] / q = lim E[φ'(√q z)²]: 0 for bounded activations, E[ψ(z)²] for the
// degree-1 positively homogeneous limit ψ of the others.
inline double asymptotic_constant(const Activation& a) {
  switch (a.kind) {
    case Act::identity:
    case Act::relu:
    case Act::leaky_relu: return linear_constant(a);
    case Act::elu:
    case Act::gelu:
    case Act::softplus:
    case Act::silu: return 0.5;
    case Act::selu: return 0.5 * act_detail::kSeluScale * act_detail::kSeluScale;
    case Act::sigmoid:
    case Act::tanh:
    case Act::softsign:
    case Act::erf:
    case Act::hardtanh: return 0.0;
  }
  return 0.0;
}

// φ(-x) = -φ(x): then E[f(u1) g(u2)] with f, g both φ or both φ' is symmetric under
// (z1, z2) -> (-z1, -z2), which halves the correlation map's work (bivariate_expect).
inline bool odd(const Activation& a) {
  switch (a.kind) {
    case Act::identity:
    case Act::tanh:
    case Act::softsign:
    case Act::erf: return true;
    case Act::hardtanh: return a.min_val == -a.max_val;
    default: return false;
  }
}

inline double feature_scale(const Activation& a) {
  return a.kind == Act::softplus ? std::min(1.0, 1.0 / a.beta) : 1.0;
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

inline void check_sigma(double v, const char* name) {
  if (!(std::isfinite(v) && v >= 0))
    throw value_error(detail::cat(name, " must be a finite standard deviation >= 0, got ", v));
  if (!std::isfinite(v * v))
    throw value_error(detail::cat(name, " is too large (its square overflows): ", v));
}
inline void check_q(double q, const char* name) {
  if (!(std::isfinite(q) && q >= 0))
    throw value_error(detail::cat(name, " must be a finite second moment >= 0, got ", q));
}

// ---------------------------------------------------------------------------------------------
// Moments (no argument checks: callers check)
// ---------------------------------------------------------------------------------------------

// V(q) = E[φ(√q z)²]
inline double second_moment(const Activation& a, double q) {
  if (piecewise_linear(a)) return linear_constant(a) * q;
  return gaussian_expect<1>(q, feature_scale(a), kinks(a), [&](double, double x) {
    const double f = phi(a, x);
    return std::array<double, 1>{f * f};
  })[0];
}

// E[φ'(√q z)²]; q = inf gives the limit.
inline double derivative_moment(const Activation& a, double q) {
  if (piecewise_linear(a)) return linear_constant(a);
  if (std::isinf(q)) return asymptotic_constant(a);
  return gaussian_expect<1>(q, feature_scale(a), kinks(a), [&](double, double x) {
    const double d = dphi(a, x);
    return std::array<double, 1>{d * d};
  })[0];
}

// V'(q) = E[z φ(√q z) φ'(√q z)] / √q. At q = 0: E[φ'(0±)²] when φ(0) = 0, else a Richardson
// extrapolation from q = 1e-6 and 4e-6 (sigmoid and softplus, smooth at 0).
inline double second_moment_slope(const Activation& a, double q) {
  if (piecewise_linear(a)) return linear_constant(a);
  auto direct = [&](double qq) {
    return gaussian_expect<1>(qq, feature_scale(a), kinks(a),
                              [&](double z, double x) {
                                return std::array<double, 1>{z * phi(a, x) * dphi(a, x)};
                              })[0] /
           std::sqrt(qq);
  };
  if (q > 0) return direct(q);
  if (phi(a, 0.0) == 0.0) return derivative_moment(a, 0.0);
  return (4 * direct(1e-6) - direct(4e-6)) / 3;
}

// ---------------------------------------------------------------------------------------------
// The maps
// ---------------------------------------------------------------------------------------------

// F(q) = σ_w² E[φ(√q z)²] + σ_b²
inline double q_map(const Activation& a, double q, double sigma_w, double sigma_b) {
  a.validate();
  check_q(q, "q");
  check_sigma(sigma_w, "sigma_w");
  check_sigma(sigma_b, "sigma_b");
  return sigma_w * sigma_w * second_moment(a, q) + sigma_b * sigma_b;
}

// F'(q) = σ_w² dE[φ(√q z)²]/dq (σ_b does not enter)
inline double q_map_slope(const Activation& a, double q, double sigma_w) {
  a.validate();
  check_q(q, "q");
  check_sigma(sigma_w, "sigma_w");
  return sigma_w * sigma_w * second_moment_slope(a, q);
}

// χ(q) = σ_w² E[φ'(√q z)²]; q may be +inf (the limit).
inline double chi(const Activation& a, double q, double sigma_w) {
  a.validate();
  if (!(q >= 0)) throw value_error(detail::cat("q must be >= 0 (inf allowed), got ", q));
  check_sigma(sigma_w, "sigma_w");
  return sigma_w * sigma_w * derivative_moment(a, q);
}

// ---------------------------------------------------------------------------------------------
// Root finding
// ---------------------------------------------------------------------------------------------

namespace detail_root {
// Brent's method on [a, b] with f(a), f(b) of opposite signs (or zero). Tolerance
// 2 eps |x| + xtol / 2. Returns the point of smallest |f| seen last.
template <class F>
double brent(F&& f, double a, double b, double fa, double fb, double xtol, bool& converged,
             int max_iter = 300) {
  const double eps = std::numeric_limits<double>::epsilon();
  converged = true;
  if (fa == 0) return a;
  if (fb == 0) return b;
  double c = b, fc = fb, d = b - a, e = d;
  for (int it = 0; it < max_iter; ++it) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      e = d = b - a;
    }
    if (std::fabs(fc) < std::fabs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const double tol1 = 2 * eps * std::fabs(b) + 0.5 * xtol;
    const double xm = 0.5 * (c - b);
    if (std::fabs(xm) <= tol1 || fb == 0) return b;
    if (std::fabs(e) >= tol1 && std::fabs(fa) > std::fabs(fb)) {
      const double s = fb / fa;
      double p, q;
      if (a == c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const double qq = fa / fc, r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = std::fabs(p);
      const double min1 = 3 * xm * q - std::fabs(tol1 * q), min2 = std::fabs(e * q);
      if (2 * p < std::min(min1, min2)) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += std::fabs(d) > tol1 ? d : std::copysign(tol1, xm);
    fb = f(b);
  }
  converged = false;
  return b;
}
}  // namespace detail_root

// ---------------------------------------------------------------------------------------------
// Fixed point
// ---------------------------------------------------------------------------------------------

enum class FixedPointKind { finite, zero, infinite };
inline const char* kind_name(FixedPointKind k) {
  return k == FixedPointKind::finite ? "finite" : k == FixedPointKind::zero ? "zero" : "infinite";
}

struct FixedPoint {
  double q_star = 0;  // 0, finite > 0, or +inf
  FixedPointKind kind = FixedPointKind::finite;
  int evaluations = 0;    // length-map evaluations spent
  bool converged = true;  // Brent met its tolerance
};

// q*: the limit of q_{l+1} = F(q_l) from q_0. F is increasing in q for every supported
// activation, so the iterates move monotonically to the nearest fixed point in the direction
// F(q_0) - q_0 points (or to 0 / +inf). It is found without iterating (critical slow-down near
// q* = 0 would take millions of steps): step from q_0 geometrically (x2 in [1e-6, 1e6], x1e3
// outside) until F(q) - q changes sign, then Brent to machine precision. Below q = 1e-30 the
// answer is 0 when F(0) = 0 (σ_b = 0 and φ(0) = 0); going down, F(q) - q must exceed 8 eps q to
// count as a sign change (near q* = 0 at criticality F(q) - q is below rounding for q < 1e-16,
// so q* is accurate to ~1e-16 absolute there). Going up it is +inf above 1e30 (when
// s_inf = σ_w² lim F/q >= 1) or 1e250, or as soon as q >= 1e4 and (s_inf - 1) q exceeds a
// hundred times the bounded remainder F(q) - q - (s_inf - 1) q - σ_b². F increasing was checked
// numerically for every activation over q in [1e-10, 1e10] (min dV/dq > 0).
// The piecewise-linear activations use the closed form F(q) = s q + σ_b² (s = σ_w² c;
// |s - 1| <= 8 eps counts as 1): q* = σ_b² / (1 - s) if s < 1; q_0 if s = 1 and σ_b = 0; +inf
// otherwise (0 if q_0 = σ_b = 0).
inline FixedPoint q_star(const Activation& a, double sigma_w, double sigma_b, double q0 = 1.0) {
  a.validate();
  check_sigma(sigma_w, "sigma_w");
  check_sigma(sigma_b, "sigma_b");
  check_q(q0, "q0");
  const double w2 = sigma_w * sigma_w, b2 = sigma_b * sigma_b,
               inf = std::numeric_limits<double>::infinity();
  auto finite_or_zero = [](double q, int ev, bool ok = true) {
    return FixedPoint{q, q == 0 ? FixedPointKind::zero : FixedPointKind::finite, ev, ok};
  };
  if (piecewise_linear(a)) {
    const double s = w2 * linear_constant(a);
    const double tol = 8 * std::numeric_limits<double>::epsilon();
    if (std::fabs(s - 1) <= tol) {
      if (b2 == 0) return finite_or_zero(q0, 0);
      return {inf, FixedPointKind::infinite, 0, true};
    }
    if (s < 1) return finite_or_zero(b2 / (1 - s), 0);
    if (b2 == 0 && q0 == 0) return finite_or_zero(0, 0);
    return {inf, FixedPointKind::infinite, 0, true};
  }
  if (w2 == 0) return finite_or_zero(b2, 0);

  int evals = 0;
  auto G = [&](double q) {
    ++evals;
    return w2 * second_moment(a, q) + b2 - q;
  };
  const double g0 = G(q0);
  if (g0 == 0) return finite_or_zero(q0, evals);
  double lo, hi, glo, ghi;
  if (g0 < 0) {  // the map shrinks q: largest root below q0
    // F(q) - q is known to ~eps q only: a sign change within 8 eps q is rounding, not a root
    // (at criticality, tanh with σ_w = 1 and σ_b = 0, F(q) - q = -2q² drowns below q ~ 1e-16).
    const double noise = 8 * std::numeric_limits<double>::epsilon();
    hi = q0;
    ghi = g0;
    for (double cur = q0;;) {
      const double next = (cur > 1e-6 && cur <= 1e6) ? 0.5 * cur : 1e-3 * cur;
      if (next < 1e-30) {
        const double gz = G(0.0);  // = F(0) >= 0
        if (gz <= 0) return finite_or_zero(0.0, evals);
        lo = 0;
        glo = gz;
        break;
      }
      const double g = G(next);
      if (g > noise * next) {
        lo = next;
        glo = g;
        break;
      }
      if (g < 0) {
        hi = next;
        ghi = g;
      }
      cur = next;
    }
  } else {  // the map grows q: smallest root above q0, or +inf
    const double s_inf = w2 * asymptotic_constant(a);
    const double cap = s_inf >= 1 ? 1e30 : 1e250;
    lo = q0;
    glo = g0;
    for (;;) {
      const double next = lo == 0 ? 1e-30 : (lo >= 1e-6 && lo < 1e6) ? 2 * lo : 1e3 * lo;
      if (next > cap) return {inf, FixedPointKind::infinite, evals, true};
      const double g = G(next);
      if (g == 0) return finite_or_zero(next, evals);
      if (g < 0) {
        hi = next;
        ghi = g;
        break;
      }
      // F(q) - q = (s_inf - 1) q + σ_b² + R(q), R = σ_w² (V(q) - c_inf q) bounded as q -> inf
      // (it tends to 0 or a constant for every activation): once the linear term dominates R
      // a hundredfold, F(q) - q cannot return to 0.
      const double R = g - (s_inf - 1) * next - b2;
      if (s_inf > 1 && next >= 1e4 && (s_inf - 1) * next > 100 * std::fabs(R))
        return {inf, FixedPointKind::infinite, evals, true};
      lo = next;
      glo = g;
    }
  }
  bool ok = true;
  const double root = detail_root::brent(G, lo, hi, glo, ghi, 1e-300, ok);
  return finite_or_zero(root, evals, ok);
}

// χ₁ = χ(q*) (at q* = inf: σ_w² lim E[φ'²]).
inline double chi1(const Activation& a, double sigma_w, double sigma_b, double q0 = 1.0) {
  const FixedPoint fp = q_star(a, sigma_w, sigma_b, q0);
  return sigma_w * sigma_w * derivative_moment(a, fp.q_star);
}

// |χ₁ - 1| (or |F'(q*) - 1|) up to this counts as exactly 1: σ_w = √2 for relu gives χ₁ = 1 +
// 4e-16.
inline constexpr double kCriticalTolerance = 1e-12;

inline double depth_scale(double rate) {  // -1 / log(rate), +inf at rate = 1
  if (rate == 1) return std::numeric_limits<double>::infinity();
  if (rate <= 0) return 0.0;
  return -1.0 / std::log(rate);
}

// ---------------------------------------------------------------------------------------------
// The correlation map
// ---------------------------------------------------------------------------------------------

// The 2-D expectations run over z in [-kZMax2, kZMax2] per axis (the mass beyond is < 2e-23).
inline constexpr double kZMax2 = 10.0;

// Calls fn(lo, hi) for the panels of [-kZMax2, kZMax2] with an edge at each of the n knots
// (knots outside the interval are dropped, duplicates merged). Each panel touching a knot is
// h0 wide and widths double away from it up to kMaxPanelWidth; the interval's own ends get
// panels of kMaxPanelWidth. `knots` is sorted in place.
template <std::size_t N, class Fn>
void for_each_graded_panel(std::array<double, N>& knots, int n, double h0, Fn&& fn) {
  std::sort(knots.begin(), knots.begin() + n);
  h0 = std::clamp(h0, kMinPanelWidth, kMaxPanelWidth);
  auto interval = [&](double a, double b, bool graded_a, bool graded_b) {
    const double mid = 0.5 * (a + b);
    for (double x = a, w = graded_a ? h0 : kMaxPanelWidth; x < mid;) {
      const double y = std::min(x + w, mid);
      fn(x, y);
      x = y;
      w = std::min(2 * w, kMaxPanelWidth);
    }
    for (double x = b, w = graded_b ? h0 : kMaxPanelWidth; x > mid;) {
      const double y = std::max(x - w, mid);
      fn(y, x);
      x = y;
      w = std::min(2 * w, kMaxPanelWidth);
    }
  };
  double a = -kZMax2;
  bool graded_a = false;
  for (int i = 0; i < n; ++i) {
    const double b = knots[static_cast<std::size_t>(i)];
    if (!(b > a) || !(b < kZMax2)) continue;  // outside, a duplicate, or NaN
    interval(a, b, graded_a, true);
    a = b;
    graded_a = true;
  }
  interval(a, kZMax2, graded_a, false);
}

// ∫ h(z) N(z) dz over [-kZMax2, kZMax2] on the panels of for_each_graded_panel.
template <std::size_t N, class H>
double line_expect(std::array<double, N>& knots, int n, double h0, H&& h) {
  const auto& R = panel_rule();
  const double inv_sqrt_2pi = 0.39894228040143267794;
  double acc = 0;
  for_each_graded_panel(knots, n, h0, [&](double lo, double hi) {
    const double c = 0.5 * (lo + hi), w = 0.5 * (hi - lo);
    double part = 0;
    for (int k = 0; k < kPanelOrder; ++k) {
      const double z = c + w * R.x[k];
      part += R.w[k] * std::exp(-0.5 * z * z) * h(z);
    }
    acc += w * inv_sqrt_2pi * part;
  });
  return acc;
}

// E[f(u1) g(u2)] with u1 = √q z1, u2 = √q (c z1 + s z2), s = √(1 - c²), z1, z2 iid N(0, 1),
// for q > 0 and c in (-1, 1); `kinks` are φ's (f and g are φ or φ'), `scale` its feature scale.
// An iterated integral: E_z1[f(√q z1) I(z1)], I(z1) = E_z2[g(m + σ z2)], m = √q c z1, σ = √q s.
// The inner integrand has its kinks at z2 = (b - m)/σ and its features around z2 = -m/σ (scale
// 1/σ): each is a knot of the inner panels, so no panel straddles a kink however c, q and z1
// fall. I(z1) is smooth (a Gaussian smoothing of g) but turns, over a width s/|c| in z1, around
// z1 = b/(√q c); f kinks at z1 = b/√q and varies on the scale 1/√q around 0: these are the
// knots of the outer panels, graded down to min(scale/√q, s/|c|). A tensor product of 1-D rules
// instead would cut the kink line u2 = 0 (oblique in (z1, z2)) through its panels.
// `symmetric`: f(-x) g(-y) = f(x) g(y) (both odd or both even), so the outer integrand is even
// in z1; the outer rule's nodes are then mirror images of each other (its knots are), and each
// negative node takes its mirror's value instead of a second inner integral.
template <class F, class G>
double bivariate_expect(double q, double c, double scale, const Kinks& kinks, bool symmetric, F&& f,
                        G&& g) {
  const double sq = std::sqrt(q), s = std::sqrt((1 - c) * (1 + c)), sigma = sq * s;
  std::array<double, 5> outer{};
  int no = 0;
  outer[no++] = 0.0;
  for (int i = 0; i < kinks.n; ++i) {
    outer[no++] = kinks.x[i] / sq;
    if (c != 0) outer[no++] = kinks.x[i] / (sq * c);
  }
  const double h_outer = std::min(scale / sq, c != 0 ? s / std::fabs(c) : kMaxPanelWidth);
  const double h_inner = scale / sigma;
  auto outer_integrand = [&](double z1) {
    const double m = sq * c * z1;
    std::array<double, 3> inner{};
    int ni = 0;
    inner[ni++] = -m / sigma;
    for (int i = 0; i < kinks.n; ++i) inner[ni++] = (kinks.x[i] - m) / sigma;
    const double I = line_expect(inner, ni, h_inner, [&](double z2) { return g(m + sigma * z2); });
    return f(sq * z1) * I;
  };
  // The outer nodes' integrands (each an inner integral: ~200 evaluations of g, ~5e4 operations)
  // in parallel, in fixed chunks of nodes; then the outer sum in its own order: the same bits
  // as serially.
  std::vector<double> z1s;
  for_each_graded_panel(outer, no, h_outer, [&](double lo, double hi) {
    const double mid = 0.5 * (lo + hi), w = 0.5 * (hi - lo);
    for (int k = 0; k < kPanelOrder; ++k) z1s.push_back(mid + w * panel_rule().x[k]);
  });
  const std::size_t nz = z1s.size();
  std::vector<std::size_t> order(nz);  // the nodes in ascending order
  for (std::size_t i = 0; i < nz; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t i, std::size_t j) { return z1s[i] < z1s[j]; });
  bool mirrored = symmetric;
  for (std::size_t k = 0; k < nz && mirrored; ++k)
    mirrored = z1s[order[k]] == -z1s[order[nz - 1 - k]];
  const std::size_t first = mirrored ? nz / 2 : 0;  // order[first..nz) are computed
  std::vector<double> h(nz);
  constexpr index_t kChunk = 16;
  const index_t nodes = index_t(nz - first);
  parallel_tasks((nodes + kChunk - 1) / kChunk, 5e4 * double(nodes), [&](index_t t) {
    for (index_t k = t * kChunk; k < std::min(nodes, (t + 1) * kChunk); ++k) {
      const std::size_t i = order[first + std::size_t(k)];
      h[i] = outer_integrand(z1s[i]);
    }
  });
  for (std::size_t k = 0; k < first; ++k) h[order[k]] = h[order[nz - 1 - k]];
  std::size_t next = 0;
  return line_expect(outer, no, h_outer, [&](double) { return h[next++]; });
}

// E[f(u1) g(u2)] for any c in [-1, 1] and q >= 0 (no checks), f and g both φ or both φ': c = ±1
// is the 1-D E[f(u) g(±u)],
// q = 0 the limit q -> 0+ (x = ±1e-300 z, as gaussian_expect).
template <class F, class G>
double pair_expect(const Activation& a, double q, double c, F&& f, G&& g) {
  if (c == 1 || c == -1 || q == 0)
    return gaussian_expect<1>(q, feature_scale(a), kinks(a), [&](double, double x) {
      return std::array<double, 1>{f(x) * g(c < 0 ? -x : x)};
    })[0];
  return bivariate_expect(q, c, feature_scale(a), kinks(a), odd(a), f, g);
}

// E[φ(u1) φ(u2)] and E[φ'(u1) φ'(u2)] in closed form where one exists (identity, relu,
// leaky_relu: the arc-cosine kernels of Cho & Saul 2009; erf: Williams 1998), for q > 0 and c
// in [-1, 1]; NaN otherwise. With θ = arccos c and K(c) = E[relu(u1) relu(u2)] =
// q (√(1 - c²) + (π - θ) c) / (2π), a leaky slope α has φ = relu(x) - α relu(-x), so
// E[φφ] = (1 + α²) K(c) - 2α K(-c) and E[φ'φ'] = ((1 + α²)(π - θ) + 2αθ) / (2π);
// E[erf(u1) erf(u2)] = (2/π) asin(2qc / (1 + 2q)), E[erf' erf'] = (4/π) / √((1 + 2q)² - (2qc)²).
inline double closed_pair_expect(const Activation& a, double q, double c, bool derivative) {
  constexpr double pi = 3.14159265358979323846;
  const double s = std::sqrt((1 - c) * (1 + c)), theta = std::acos(c);
  auto K = [&](double cc, double th) { return q * (s + (pi - th) * cc) / (2 * pi); };
  switch (a.kind) {
    case Act::identity: return derivative ? 1.0 : q * c;
    case Act::relu:
    case Act::leaky_relu: {
      const double al = a.kind == Act::relu ? 0.0 : a.negative_slope;
      if (derivative) return ((1 + al * al) * (pi - theta) + 2 * al * theta) / (2 * pi);
      const double kc = K(c, theta);
      return al == 0 ? kc : (1 + al * al) * kc - 2 * al * K(-c, pi - theta);
    }
    case Act::erf: {
      const double t = 2 * q * c, d = 1 + 2 * q;
      return derivative ? (4 / pi) / std::sqrt((d - t) * (d + t)) : (2 / pi) * std::asin(t / d);
    }
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

inline bool has_closed_pair_expect(const Activation& a) {
  return piecewise_linear(a) || a.kind == Act::erf;
}

inline void check_correlation(double c) {
  if (!(c >= -1 && c <= 1))
    throw value_error(detail::cat("c must be a correlation in [-1, 1], got ", c));
}

// The correlation map without argument checks; w2 = σ_w², b2 = σ_b². At c = 1 the numerator is
// the length map's own expression, so C(1) = 1 exactly. When q = 0 and F(0) = 0 (σ_b = 0 and
// φ(0) = 0: both inputs are 0) the map is its limit q -> 0+, evaluated at q = 1e-200 (the terms
// it neglects are O(√q) = 1e-100 relative); F(0) > 0 gives C = 1 at q = 0 (u1 = u2 = 0).
inline double correlation_map(const Activation& a, double c, double q, double w2, double b2) {
  if (w2 == 0 && b2 == 0)
    throw value_error(
        "c_map: sigma_w = sigma_b = 0 makes every next-layer pre-activation 0, whose correlation "
        "is undefined");
  if (c == 1) return 1.0;
  if (q == 0) {
    if (b2 > 0 || phi(a, 0.0) != 0.0) return 1.0;
    q = 1e-200;
  }
  const double fq = w2 * second_moment(a, q) + b2;
  const double e = has_closed_pair_expect(a) ? closed_pair_expect(a, q, c, false)
                                             : pair_expect(
                                                   a, q, c, [&](double x) { return phi(a, x); },
                                                   [&](double x) { return phi(a, x); });
  // A correlation: in [-1, 1] up to rounding (closed form and quadrature of F(q) can differ in
  // the last bit near c = 1), which the clamp removes, so C can be iterated.
  return std::clamp((w2 * e + b2) / fq, -1.0, 1.0);
}

// C(c) = (σ_w² E[φ(u1) φ(u2)] + σ_b²) / F(q): the correlation, at the next layer, of two inputs
// whose pre-activations both have second moment q and correlation c (Poole et al. 2016, Eq. 5;
// Schoenholz et al. 2017, Eq. 4).
inline double c_map(const Activation& a, double c, double q, double sigma_w, double sigma_b) {
  a.validate();
  check_correlation(c);
  check_q(q, "q");
  check_sigma(sigma_w, "sigma_w");
  check_sigma(sigma_b, "sigma_b");
  return correlation_map(a, c, q, sigma_w * sigma_w, sigma_b * sigma_b);
}

struct CorrelationFixedPoint {
  double c_star = 1;      // the stable fixed point of C at q*
  double chi_c = 0;       // C'(c*) = σ_w² E[φ'(u1) φ'(u2)] at (q*, c*)
  int evaluations = 0;    // correlation-map evaluations spent
  bool converged = true;  // Brent met its tolerance
};

// c* and χ_c at the fixed point q* (finite, > 0) with χ₁ = χ(q*), w2 = σ_w², b2 = σ_b².
// At q = q*, C is a power series in c with coefficients >= 0 (Mehler: C(c) = Σ_k a_k c^k,
// a_k = σ_w² q*^{-1} E[φ(√q* z) He_k(z)]² / k! for k >= 1, a_0 = (σ_w² E[φ]² + σ_b²) / q*) with
// C(1) = 1 and C'(1) = χ₁. So C is increasing and convex on [0, 1], and:
//   χ₁ <= 1 (ordered, critical): C(c) - c >= (1 - χ₁)(1 - c) on [0, 1): c* = 1, χ_c = χ₁;
//   χ₁ >  1 (chaotic): C(c) - c is >= 0 at 0 and < 0 just below 1, convex: exactly one root c*
//     in [0, 1), attracting, with 0 <= C'(c*) < 1. Bracketed by stepping c = 1 - 10^-k
//     (k = 1..15) until C(c) < c, then Brent to |Δc| <= 1e-15; c* = 1 if C(c) >= c up to
//     c = 1 - 1e-15 (χ₁ within rounding of 1).
inline CorrelationFixedPoint correlation_fixed_point(const Activation& a, double q_star,
                                                     double chi1, double w2, double b2) {
  CorrelationFixedPoint r;
  if (!(chi1 > 1 + kCriticalTolerance)) {
    r.chi_c = chi1;
    return r;
  }
  auto h = [&](double c) {
    ++r.evaluations;
    return correlation_map(a, c, q_star, w2, b2) - c;
  };
  double lo = 0, hlo = h(0.0), hi = 1, hhi = 0;
  if (hlo <= 0) {
    r.c_star = 0;
  } else {
    bool bracketed = false;
    for (int k = 1; k <= 15 && !bracketed; ++k) {
      const double c = 1 - std::pow(10.0, -k), hc = h(c);
      if (hc < 0) {
        hi = c;
        hhi = hc;
        bracketed = true;
      } else {
        lo = c;
        hlo = hc;
      }
    }
    if (!bracketed) {  // c* within 1e-15 of 1: χ₁ is 1 up to rounding, and so is C'(c*)
      r.chi_c = 1;
      return r;
    }
    r.c_star = detail_root::brent(h, lo, hi, hlo, hhi, 1e-15, r.converged, 300);
  }
  const double e = has_closed_pair_expect(a)
                       ? closed_pair_expect(a, q_star, r.c_star, true)
                       : pair_expect(
                             a, q_star, r.c_star, [&](double x) { return dphi(a, x); },
                             [&](double x) { return dphi(a, x); });
  r.chi_c = w2 * e;
  return r;
}

struct DepthScales {
  FixedPoint fixed_point;
  double chi1 = 0;    // χ(q*): the per-layer factor of the squared gradient norm
  double slope = 0;   // F'(q*)
  double xi_q = 0;    // -1 / log F'(q*); +inf when q* = inf or F'(q*) >= 1 (to 1e-12)
  double c_star = 1;  // the stable fixed point of the correlation map at q*
  double chi_c = 0;   // C'(c*) = σ_w² E[φ'(u1) φ'(u2)] at (q*, c*); χ₁ when c* = 1
  double xi_c = 0;    // -1 / log χ_c > 0 in both phases; +inf at χ_c = 1 (to 1e-12)
  std::string phase;  // "ordered" (χ₁ < 1), "critical" (|χ₁ - 1| <= 1e-12), "chaotic"
  int c_map_evaluations = 0;
};

// The depth scales of Schoenholz et al. 2017: q_l - q* ~ e^{-l/ξ_q} and c_l - c* ~ e^{-l/ξ_c},
// ξ_c = -1 / log χ_c at the stable c* (Eq. 9 and its chaotic-phase counterpart). q* = inf, and
// q* = 0 with χ₁ > 1 (an unstable fixed point, reached only from q0 = 0): the correlation map's
// slope at c = 1, χ(q) q / F(q), tends to 1 there (F(q)/q and χ(q) share their limit), so
// c* = 1, χ_c = 1 and ξ_c = inf: correlations converge slower than any exponential. q* = 0 with
// χ₁ <= 1 (σ_b = 0, φ(0) = 0) takes c* = 1 and χ_c = χ₁, the limit σ_b -> 0+.
inline DepthScales depth_scales(const Activation& a, double sigma_w, double sigma_b,
                                double q0 = 1.0) {
  DepthScales d;
  d.fixed_point = q_star(a, sigma_w, sigma_b, q0);
  const double qs = d.fixed_point.q_star, w2 = sigma_w * sigma_w;
  d.chi1 = w2 * derivative_moment(a, qs);
  const double inf = std::numeric_limits<double>::infinity();
  d.slope = std::isinf(qs) ? w2 * asymptotic_constant(a) : w2 * second_moment_slope(a, qs);
  const bool critical = std::fabs(d.chi1 - 1) <= kCriticalTolerance;
  d.xi_q = (std::isinf(qs) || d.slope >= 1 - kCriticalTolerance) ? inf : depth_scale(d.slope);
  const bool degenerate = std::isinf(qs) || (qs == 0 && d.chi1 > 1 + kCriticalTolerance);
  if (degenerate) {
    d.c_star = 1;
    d.chi_c = 1;
  } else {
    const CorrelationFixedPoint cf = correlation_fixed_point(a, qs, d.chi1, w2, sigma_b * sigma_b);
    d.c_star = cf.c_star;
    d.chi_c = cf.chi_c;
    d.c_map_evaluations = cf.evaluations;
  }
  // χ_c <= 1 always (C'(c*) < 1 at a stable c* < 1); within 1e-12 of 1 it is critical.
  d.xi_c = d.chi_c >= 1 - kCriticalTolerance ? inf : depth_scale(d.chi_c);
  d.phase = critical ? "critical" : d.chi1 < 1 ? "ordered" : "chaotic";
  return d;
}

// ---------------------------------------------------------------------------------------------
// Critical σ_w
// ---------------------------------------------------------------------------------------------

// σ_w with χ₁(σ_w, σ_b) = 1. Piecewise-linear activations: 1 / √c for any σ_b (χ₁ = σ_w² c does
// not depend on q*). Others: from σ_w = 1, double (or halve) σ_w until χ₁ - 1 changes sign, within
// [1e-3, 1e3]; then Brent on log σ_w to |Δ log σ_w| <= 1e-15. χ₁ can jump across 1 instead of
// crossing it: gelu and silu with small σ_b have two attracting fixed points (q = 0 with slope
// σ_w²/4 and q = inf with slope σ_w²/2 when 2 < σ_w² < 4) and q* from q0 switches between them.
// Then there is no critical σ_w and value_error says where the jump is.
inline double critical_sigma_w(const Activation& a, double sigma_b, double q0 = 1.0) {
  a.validate();
  check_sigma(sigma_b, "sigma_b");
  check_q(q0, "q0");
  if (piecewise_linear(a)) return 1.0 / std::sqrt(linear_constant(a));
  auto h = [&](double t) { return chi1(a, std::exp(t), sigma_b, q0) - 1.0; };
  const double tmin = std::log(1e-3), tmax = std::log(1e3), step = std::log(2.0);
  double t0 = 0, h0 = h(t0);
  if (h0 == 0) return 1.0;
  const double dir = h0 < 0 ? 1.0 : -1.0;  // χ₁ too small: larger σ_w
  double hmin = h0, hmax = h0;
  for (;;) {
    double t1 = t0 + dir * step;
    if (t1 > tmax || t1 < tmin) {
      t1 = dir > 0 ? tmax : tmin;
      if (t0 == t1)
        throw value_error(detail::cat(
            "critical_sigma_w: no sigma_w in [0.001, 1000] gives chi1 = 1 for activation '",
            a.name(), "' with sigma_b = ", sigma_b, " (chi1 - 1 ranges over [",
            std::min(hmin, hmax), ", ", std::max(hmin, hmax), "])"));
    }
    const double h1 = h(t1);
    hmin = std::min(hmin, h1);
    hmax = std::max(hmax, h1);
    if (h1 == 0) return std::exp(t1);
    if ((h1 > 0) != (h0 > 0)) {
      bool ok = true;
      const double t = detail_root::brent(h, t0, t1, h0, h1, 1e-15, ok);
      const double ht = h(t);
      if (std::fabs(ht) > 1e-6) {  // Brent closed in on a jump, not a root
        const double below = h(t - 1e-9) + 1, above = h(t + 1e-9) + 1;
        throw value_error(detail::cat(
            "critical_sigma_w: for activation '", a.name(), "' with sigma_b = ", sigma_b,
            " chi1 jumps across 1 at sigma_w = ", std::exp(t), " (from ", std::min(below, above),
            " to ", std::max(below, above),
            "): the length map has several fixed points there and q* (reached from q0 = ", q0,
            ") switches between them, so no sigma_w gives chi1 = 1; try another sigma_b or q0"));
      }
      return std::exp(t);
    }
    t0 = t1;
    h0 = h1;
  }
}

// ---------------------------------------------------------------------------------------------
// Per-layer predictions and the phase diagram
// ---------------------------------------------------------------------------------------------

struct Prediction {
  std::vector<double> q;    // q_l, l = 1..depth: second moment of layer l's pre-activations
  std::vector<double> chi;  // χ(q_l): ‖∂L/∂z_l‖² / ‖∂L/∂z_{l+1}‖² (mean field)
};

// q_1 = σ_w² q_in + σ_b² (the first layer sees the raw input, q_in = its mean square), then
// q_{l+1} = F(q_l). A q that overflows stays +inf and its χ is the q -> inf limit.
inline Prediction predict(const Activation& a, double sigma_w, double sigma_b, double q_in,
                          std::int64_t depth) {
  a.validate();
  check_sigma(sigma_w, "sigma_w");
  check_sigma(sigma_b, "sigma_b");
  check_q(q_in, "q0");
  if (depth < 0) throw value_error(detail::cat("depth must be >= 0, got ", depth));
  const double w2 = sigma_w * sigma_w, b2 = sigma_b * sigma_b;
  Prediction p;
  p.q.resize(static_cast<std::size_t>(depth));
  p.chi.resize(static_cast<std::size_t>(depth));
  double q = w2 * q_in + b2;
  for (std::int64_t l = 0; l < depth; ++l) {
    if (!(q < std::numeric_limits<double>::infinity())) q = std::numeric_limits<double>::infinity();
    p.q[l] = q;
    p.chi[l] = w2 * derivative_moment(a, q);
    if (l + 1 < depth && std::isfinite(q)) q = w2 * second_moment(a, q) + b2;
  }
  return p;
}

struct LayerPrediction {
  std::vector<double> q;      // q_l, l = 1..L
  std::vector<double> log_g;  // log(‖∂L/∂z_l‖ / ‖∂L/∂z_L‖), 0 at l = L
  std::vector<double> c;      // the two-input correlation c_l; NaN without c_in
};

// The mean-field predictions of a network whose layers differ (diagnose's columns): layer l
// (l = 1..L) has its own σ_w,l and σ_b,l, hidden layer l the activation acts[l-1] (L - 1 of
// them). q_1 = σ_w,1² q_in + σ_b,1², q_{l+1} = F_{l}(q_l) with layer l+1's σ's; going back,
// each hidden layer l multiplies ‖∂L/∂z‖ by √χ_l(q_l) with σ_w,l+1 (W_{l+1} carries the
// gradient down); c_1 = (σ_w,1² c_in q_in + σ_b,1²) / q_1, c_{l+1} = C_l(c_l, q_l). A step
// whose inputs are not finite or that the map refuses (e.g. σ_w = σ_b = 0 for C) is NaN, and
// so is what follows from it.
inline LayerPrediction predict_layers(const std::vector<Activation>& acts,
                                      const std::vector<double>& sigma_w,
                                      const std::vector<double>& sigma_b, double q_in,
                                      double c_in) {
  const std::size_t L = sigma_w.size();
  if (sigma_b.size() != L || acts.size() + 1 != L)
    throw value_error(detail::cat("predict_layers: ", L, " sigma_w, ", sigma_b.size(),
                                  " sigma_b and ", acts.size(),
                                  " activations: needs L, L and L - 1"));
  for (const auto& a : acts) a.validate();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto step = [&](auto&& f, std::initializer_list<double> args) {
    for (double v : args)
      if (!std::isfinite(v)) return nan;
    try {
      return f();
    } catch (const value_error&) {
      return nan;
    }
  };
  LayerPrediction p;
  p.q.assign(L, nan);
  p.log_g.assign(L, 0.0);
  p.c.assign(L, nan);
  if (L == 0) return p;
  p.q[0] = sigma_w[0] * sigma_w[0] * q_in + sigma_b[0] * sigma_b[0];
  for (std::size_t l = 1; l < L; ++l)
    p.q[l] = step([&] { return q_map(acts[l - 1], p.q[l - 1], sigma_w[l], sigma_b[l]); },
                  {p.q[l - 1], sigma_w[l], sigma_b[l]});
  for (std::size_t l = L - 1; l-- > 0;)
    p.log_g[l] =
        p.log_g[l + 1] + step([&] { return 0.5 * std::log(chi(acts[l], p.q[l], sigma_w[l + 1])); },
                              {p.q[l], sigma_w[l + 1]});
  if (std::isfinite(c_in)) {
    const double w2 = sigma_w[0] * sigma_w[0], b2 = sigma_b[0] * sigma_b[0];
    p.c[0] = (w2 * c_in * q_in + b2) / (w2 * q_in + b2);
    for (std::size_t l = 1; l < L; ++l)
      p.c[l] =
          step([&] { return c_map(acts[l - 1], p.c[l - 1], p.q[l - 1], sigma_w[l], sigma_b[l]); },
               {p.c[l - 1], p.q[l - 1], sigma_w[l], sigma_b[l]});
  }
  return p;
}

// χ₁ on a grid: out(i, j) = χ₁(sigma_w[i], sigma_b[j]) (rows σ_w, columns σ_b), computed in
// parallel; each entry is independent of the thread count.
inline Matrix<double> phase_diagram(const Activation& a, const std::vector<double>& sigma_w,
                                    const std::vector<double>& sigma_b, double q0 = 1.0) {
  a.validate();
  for (double s : sigma_w) check_sigma(s, "sigma_w_grid entries");
  for (double s : sigma_b) check_sigma(s, "sigma_b_grid entries");
  check_q(q0, "q0");
  const index_t nw = static_cast<index_t>(sigma_w.size()),
                nb = static_cast<index_t>(sigma_b.size());
  Matrix<double> out(nw, nb);
  parallel_for(nw * nb, 1, [&](index_t begin, index_t end) {
    for (index_t k = begin; k < end; ++k) {
      const index_t i = k / nb, j = k % nb;
      out(i, j) = chi1(a, sigma_w[i], sigma_b[j], q0);
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// The input-output Jacobian's spectrum: mean and variance of its squared singular values
// ---------------------------------------------------------------------------------------------

// Weights of the network whose Jacobian is meant: W = σ_w Q with Q Haar-orthogonal (N x N), or
// W_ij ~ N(0, σ_w² / N).
enum class JacobianWeights { orthogonal, gaussian };

// s_1 of S_{WWᵀ}(z) = σ_w^{-2} (1 + s_1 z + O(z²)) (see jacobian_moments).
inline double weights_s1(JacobianWeights w) {
  return w == JacobianWeights::orthogonal ? 0.0 : -1.0;
}

struct JacobianMoments {
  double mean = 1;      // m1 = E[λ], λ an eigenvalue of J Jᵀ (a squared singular value of J)
  double variance = 0;  // E[λ²] - m1²
};

// μ1 = E[φ'(√q z)²] and μ2 = E[φ'(√q z)⁴]; q = inf gives the limits (E[ψ'(z)^2k] of the
// homogeneous limit ψ: for relu, elu, gelu, softplus, silu ψ = relu and both are 1/2).
inline std::array<double, 2> derivative_moments_2_4(const Activation& a, double q) {
  auto pl = [&](double p) {  // E[φ'^p] of a piecewise-linear activation
    if (a.kind == Act::identity) return 1.0;
    if (a.kind == Act::relu) return 0.5;
    return 0.5 * (1 + std::pow(std::fabs(a.negative_slope), p));
  };
  if (piecewise_linear(a)) return {pl(2), pl(4)};
  if (std::isinf(q)) {
    const double c2 = asymptotic_constant(a);  // 0 (bounded), 1/2, or selu's scale² / 2
    return {c2, a.kind == Act::selu ? 2 * c2 * c2 : (c2 > 0 ? 0.5 : 0.0)};
  }
  return gaussian_expect<2>(q, feature_scale(a), kinks(a), [&](double, double x) {
    const double d = dphi(a, x), d2 = d * d;
    return std::array<double, 2>{d2, d2 * d2};
  });
}

// Mean and variance of the eigenvalues of J Jᵀ for the input-output Jacobian
// J = ∂x^L/∂x^0 = D_L W_L ... D_1 W_1, D_l = diag(φ'(h^l)), of the depth-L network
// h^l = W_l x^{l-1} + b_l, x^l = φ(h^l), all layers N wide, N -> inf (Pennington, Schoenholz &
// Ganguli 2017, "Resurrecting the sigmoid in deep learning through dynamical isometry", and
// 2018, "The emergence of spectral universality in deep networks"). Derivation:
// clang-format off
//   h^l_i ~ N(0, q_l) (mean field), so D_l² has the moments μ_k,l = E[φ'(√q_l z)^{2k}].
//   W_l and D_l are asymptotically free and S-transforms multiply over free products:
//     S_{JJᵀ}(z) = Π_l S_{D_l²}(z) S_{W_lW_lᵀ}(z).
//   A spectrum with moments m1, m2 has S(z) = m1^{-1} (1 + (1 - m2/m1²) z + O(z²))  [from
//   M(z) = m1 z + m2 z² + ..., S(z) = (1 + z)/z · M^{-1}(z)]. Hence
//     S_{D_l²}(z)  = μ_1,l^{-1} (1 + (1 - μ_2,l/μ_1,l²) z + ...)
//     S_{WWᵀ}(z)   = σ_w^{-2} (1 + s_1 z + ...),  s_1 = 0 for orthogonal W (WWᵀ = σ_w² I),
//                    s_1 = -1 for Gaussian W (Marchenko–Pastur at ratio 1: m2 = 2 m1²)
//   and, multiplying the L pairs and reading m1 and m2 back off S_{JJᵀ}:
//     mean      m1       = Π_l σ_w² μ_1,l
//     variance  m2 - m1² = m1² Σ_l (μ_2,l/μ_1,l² - 1 - s_1)
//   With every layer at the fixed point q* (the papers' setting): m1 = χ₁^L (χ₁ = σ_w² μ_1) and
//   m2 - m1² = m1² L (μ2/μ1² - 1 - s_1), the papers' m2 = m1² L (μ2/μ1² + 1/L - 1 - s_1).
//   Checks: a linear orthogonal network has variance 0, a linear Gaussian one L (the product of
//   L square Ginibre matrices: m2 = L + 1).
// clang-format on
// Orthogonal weights remove the 1 of Gaussian ones: only they can keep the variance small
// (dynamical isometry needs μ2/μ1² -> 1, e.g. tanh with q* -> 0); for relu μ2/μ1² = 2.
// Layers: without q0 every layer is at the fixed point q* = q_star(a, σ_w, σ_b) (reached from
// q = 1), the papers' setting. With q0, the second moment of layer 1's pre-activations h^1 is
// q0 and q_{l+1} = F(q_l): the transient towards q_star(a, σ_w, σ_b, q0), the formula applied
// layer by layer (as predict). Once q_{l+1} = q_l exactly the remaining layers are taken at
// once. A layer with μ_1 = 0 (then J = 0) gives mean = variance = 0.
inline JacobianMoments jacobian_moments(const Activation& a, double sigma_w, double sigma_b,
                                        std::int64_t depth, JacobianWeights weights,
                                        std::optional<double> q0 = std::nullopt) {
  a.validate();
  check_sigma(sigma_w, "sigma_w");
  check_sigma(sigma_b, "sigma_b");
  if (q0) check_q(*q0, "q0");
  if (depth < 0) throw value_error(detail::cat("depth must be >= 0, got ", depth));
  const double w2 = sigma_w * sigma_w, b2 = sigma_b * sigma_b, s1 = weights_s1(weights);
  JacobianMoments r;
  if (depth == 0) return r;
  double log_mean = 0, spread = 0;  // log m1 and Σ_l (μ2/μ1² - 1 - s_1)
  auto add_layers = [&](double q, double count) {
    const auto mu = derivative_moments_2_4(a, q);
    if (mu[0] == 0 || w2 == 0) return false;  // J = 0
    log_mean += count * std::log(w2 * mu[0]);
    spread += count * (mu[1] / (mu[0] * mu[0]) - 1 - s1);
    return true;
  };
  bool nonzero = true;
  if (!q0) {
    nonzero = add_layers(q_star(a, sigma_w, sigma_b).q_star, static_cast<double>(depth));
  } else {
    double q = *q0;
    for (std::int64_t l = 0; l < depth && nonzero; ++l) {
      if ((l & 63) == 63 && detail::stop_requested()) throw interrupted();
      const double next = std::isfinite(q) ? w2 * second_moment(a, q) + b2
                                           : std::numeric_limits<double>::infinity();
      if (next == q) {  // a fixed point in floating point: the rest are this layer again
        nonzero = add_layers(q, static_cast<double>(depth - l));
        break;
      }
      nonzero = add_layers(q, 1.0);
      q = std::isfinite(next) ? next : std::numeric_limits<double>::infinity();
    }
  }
  if (!nonzero) return {0.0, 0.0};
  r.mean = std::exp(log_mean);
  // μ2 >= μ1² and s_1 <= 0 make every term >= 0; a rounding below 0 is clamped, and a zero
  // spread stays 0 even when m1² overflows.
  r.variance = spread > 0 ? r.mean * r.mean * spread : 0.0;
  return r;
}

}  // namespace fastinit::theory

namespace fastinit {
template <>
struct enum_names<theory::JacobianWeights> {
  static constexpr const char* what = "initial weight distribution";
  static const std::vector<std::string>& names() {
    static const std::vector<std::string> n = {"orthogonal", "gaussian"};
    return n;
  }
};
}  // namespace fastinit
