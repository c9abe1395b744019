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
//   depth scales ξ_q   = -1 / log F'(q*)   (q_l - q* ~ e^{-l/ξ_q}; +inf when F'(q*) >= 1 or q* = inf)
//                ξ_c   = -1 / log χ₁       (ordered phase χ₁ < 1: 1 - c_l ~ e^{-l/ξ_c}; +inf at
//                        χ₁ = 1; negative in the chaotic phase χ₁ > 1, where |ξ_c| is the depth
//                        over which perturbations of nearby inputs grow by e — the chaotic-phase
//                        ξ_c at the c* < 1 fixed point of the correlation map is not computed here)
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
// The piecewise-linear activations (identity, relu, leaky_relu) use the closed forms
// E[φ(√q z)²] = c q, E[φ'²] = c, c = 1, 1/2, (1 + slope²)/2.
//
// Worked example (checked by tests/test_theory.py against an independent SciPy computation):
//   tanh, σ_w = 1.5, σ_b = 0.05 (chaotic): q* = 0.798387114308…, χ₁ = 1.136707784096…,
//     F'(q*) = 0.501897580903…, ξ_q = 1.45062254452…, ξ_c = -7.80419733004…
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
#include <string>
#include <vector>

#include "activation.hpp"
#include "errors.hpp"
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

// E over z ~ N(0, 1) of the K functions g(z, x) returns, x = √q z. `scale` is the activation's
// feature scale in x (first panel [0, scale/√q]); `brk` (a jump of φ in x, or inf) gets a panel
// edge. At q = 0 the integrand sees x = 1e-300 z: the one-sided limits q -> 0+ (elu'(0±) differ).
template <std::size_t K, class G>
std::array<double, K> gaussian_expect(double q, double scale, double brk, G&& g) {
  const auto& R = panel_rule();
  const double inv_sqrt_2pi = 0.39894228040143267794;
  const double sq = q > 0 ? std::sqrt(q) : 1e-300;
  const double first =
      q > 0 ? std::clamp(scale / sq, kMinPanelWidth, kMaxPanelWidth) : kMaxPanelWidth;
  const double zb =
      (q > 0 && std::isfinite(brk)) ? std::fabs(brk) / sq : std::numeric_limits<double>::infinity();
  std::array<double, K> acc{};
  double lo = 0, hi = first;
  while (lo < kZMax) {
    hi = std::min(hi, kZMax);
    if (zb > lo && zb < hi) hi = zb;
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
    case Act::softsign: return 0.0;
  }
  return 0.0;
}

inline double feature_scale(const Activation& a) {
  return a.kind == Act::softplus ? std::min(1.0, 1.0 / a.beta) : 1.0;
}
inline double breakpoint(const Activation& a) {
  return a.kind == Act::softplus ? a.threshold / a.beta : std::numeric_limits<double>::infinity();
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
  return gaussian_expect<1>(q, feature_scale(a), breakpoint(a), [&](double, double x) {
    const double f = phi(a, x);
    return std::array<double, 1>{f * f};
  })[0];
}

// E[φ'(√q z)²]; q = inf gives the limit.
inline double derivative_moment(const Activation& a, double q) {
  if (piecewise_linear(a)) return linear_constant(a);
  if (std::isinf(q)) return asymptotic_constant(a);
  return gaussian_expect<1>(q, feature_scale(a), breakpoint(a), [&](double, double x) {
    const double d = dphi(a, x);
    return std::array<double, 1>{d * d};
  })[0];
}

// V'(q) = E[z φ(√q z) φ'(√q z)] / √q. At q = 0: E[φ'(0±)²] when φ(0) = 0, else a Richardson
// extrapolation from q = 1e-6 and 4e-6 (sigmoid and softplus, smooth at 0).
inline double second_moment_slope(const Activation& a, double q) {
  if (piecewise_linear(a)) return linear_constant(a);
  auto direct = [&](double qq) {
    return gaussian_expect<1>(qq, feature_scale(a), breakpoint(a),
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

struct DepthScales {
  FixedPoint fixed_point;
  double chi1 = 0;    // χ(q*)
  double slope = 0;   // F'(q*)
  double xi_q = 0;    // -1 / log F'(q*); +inf when q* = inf or F'(q*) >= 1 (to 1e-12)
  double xi_c = 0;    // -1 / log χ₁; +inf at χ₁ = 1 (to 1e-12), negative when χ₁ > 1
  std::string phase;  // "ordered" (χ₁ < 1), "critical" (|χ₁ - 1| <= 1e-12), "chaotic"
};

// |χ₁ - 1| (or |F'(q*) - 1|) up to this counts as exactly 1: σ_w = √2 for relu gives χ₁ = 1 +
// 4e-16.
inline constexpr double kCriticalTolerance = 1e-12;

inline double depth_scale(double rate) {  // -1 / log(rate), +inf at rate = 1
  if (rate == 1) return std::numeric_limits<double>::infinity();
  if (rate <= 0) return 0.0;
  return -1.0 / std::log(rate);
}

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
  d.xi_c = critical ? inf : depth_scale(d.chi1);
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

}  // namespace fastinit::theory
