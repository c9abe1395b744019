// fastinit/special.hpp — scalar special functions in double for the truncated normal.
//
// Legend: Q(x) = P(Z > x) the upper tail of N(0, 1); erfcx(y) = exp(y^2) erfc(y);
// ndtri_lower(p) = the x <= 0 with P(Z <= x) = p (p <= 1/2), fed log p in the tails so that p
// may underflow. Computed once per fill, or per element where the inverse CDF needs them.
#pragma once

#include <cmath>
#include <limits>

namespace fastinit {

// Scalar special functions in double used by the truncated normal: computed once per fill,
// or per element where the inverse CDF needs them.
namespace normal_math {

inline constexpr double kSqrt1_2 = 0.70710678118654752440;
inline constexpr double kSqrt2_Pi = 0.79788456080286535588;  // sqrt(2/pi)

// erfcx(y) = exp(y^2) erfc(y) for y >= 25 by its continued fraction (converges fast there).
inline double erfcx_large(double y) {
  double t = y;
  for (int k = 40; k >= 1; --k) t = y + (0.5 * k) / t;
  return 1.0 / (t * 1.77245385090551602730);  // 1 / (sqrt(pi) * t)
}

// log P(Z > x) for standard normal Z, accurate for every x (no underflow in the far tail).
inline double log_q(double x) {
  if (x == std::numeric_limits<double>::infinity()) return -std::numeric_limits<double>::infinity();
  if (x < 0) return std::log1p(-0.5 * std::erfc(-x * kSqrt1_2));
  const double y = x * kSqrt1_2;
  if (y < 25.0) return std::log(0.5 * std::erfc(y));
  return -y * y + std::log(0.5 * erfcx_large(y));
}

// P(Z > x) for x >= 0 (may underflow to 0 in the far tail).
inline double upper_q(double x) { return 0.5 * std::erfc(x * kSqrt1_2); }

// Inverse of the lower-tail CDF for p = exp(logp) <= 1/2 (so the result is <= 0): Wichura's
// AS 241 (PPND16, ~1e-16 relative), fed log p in the tails so p itself may underflow; beyond
// its range (p < 1e-300) a few Newton steps on log Q refine the last branch.
inline double ndtri_lower_log(double logp, double p) {
  double x;
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    x = q *
        (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r +
              6.7265770927008700853e+4) *
                 r +
             4.5921953931549871457e+4) *
                r +
            1.3731693765509461125e+4) *
               r +
           1.9715909503065514427e+3) *
              r +
          1.3314166789178437745e+2) *
             r +
         3.3871328727963666080e+0) /
        (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r +
              3.9307895800092710610e+4) *
                 r +
             2.1213794301586595867e+4) *
                r +
            5.3941960214247511077e+3) *
               r +
           6.8718700749205790830e+2) *
              r +
          4.2313330701600911252e+1) *
             r +
         1.0);
    return x;
  }
  double r = std::sqrt(-logp);
  if (r <= 5.0) {
    r -= 1.6;
    x = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r +
              2.41780725177450611770e-1) *
                 r +
             1.27045825245236838258e+0) *
                r +
            3.64784832476320460504e+0) *
               r +
           5.76949722146069140550e+0) *
              r +
          4.63033784615654529590e+0) *
             r +
         1.42343711074968357734e+0) /
        (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r +
              1.51986665636164571966e-2) *
                 r +
             1.48103976427480074590e-1) *
                r +
            6.89767334985100004550e-1) *
               r +
           1.67638483018380384940e+0) *
              r +
          2.05319162663775882187e+0) *
             r +
         1.0);
  } else {
    const double big = r;
    r -= 5.0;
    x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r +
              1.24266094738807843860e-3) *
                 r +
             2.65321895265761230930e-2) *
                r +
            2.96560571828504891230e-1) *
               r +
           1.78482653991729133580e+0) *
              r +
          5.46378491116411436990e+0) *
             r +
         6.65790464350110377720e+0) /
        (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r +
              1.84631831751005468180e-5) *
                 r +
             7.86869131145613259100e-4) *
                r +
            1.48753612908506148525e-2) *
               r +
           1.36929880922735805310e-1) *
              r +
          5.99832206555887937690e-1) *
             r +
         1.0);
    // Far beyond AS 241's range the rational form loses its shape (and overflows, r^7, once r
    // passes ~1e44): Newton starts from the asymptote x = sqrt(-2 log p) instead.
    if (big > 1e5) x = big / kSqrt1_2;
    if (big > 26.0) {
      // Newton on f(x) = log Q(x) - logp, with x > 0 the upper-tail point; f' = -phi/Q.
      for (int it = 0; it < 4; ++it) {
        const double y = x * kSqrt1_2;
        const double mills = kSqrt2_Pi / (y < 25.0 ? std::exp(y * y) * std::erfc(y)
                                                   : erfcx_large(y));  // phi(x)/Q(x)
        x += (log_q(x) - logp) / mills;
      }
    }
  }
  return -x;
}

inline double ndtri_lower(double p) { return ndtri_lower_log(std::log(p), p); }

}  // namespace normal_math

}  // namespace fastinit
