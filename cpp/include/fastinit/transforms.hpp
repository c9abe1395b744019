// fastinit/transforms.hpp — random words -> uniform and normal values (no std:: distributions).
//
// std:: distributions are not used: their algorithms differ between standard libraries.
//   uniform  float : 24 bits per value, 4 per block       u = (w >> 8) * 2^-24        in [0, 1)
//            double: 53 bits per value, 2 per block
//   normal   Box–Muller, float: 4 per block, double: 2 per block; the log's argument is never 0
// Legend: w, hi, lo 32-bit words of a block; u a uniform; q, f quadrant and fraction of a quarter
// turn; z0, z1 the pair of normals of one Box–Muller step.
// The transforms use only +, -, *, /, sqrt and integer operations, evaluated with two roundings
// per a*b+c (fastinit compiles with -ffp-contract=off), so the portable and the AVX2 builds give
// the same bits.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace fastinit {

namespace transform {

// Bits -> uniforms.
inline float u01_f(std::uint32_t w) { return static_cast<float>(w >> 8) * 0x1p-24f; }  // [0,1)
inline double u01_d(std::uint32_t hi, std::uint32_t lo) {                              // [0,1)
  return static_cast<double>(((std::uint64_t{hi} << 32) | lo) >> 11) * 0x1p-53;
}

// log(x) for x in (0, 1], from the exponent and an atanh series of the mantissa;
// |error| < 2 ulp. Plain arithmetic so that it vectorizes and gives the same bits everywhere.
inline float log_f(float x) {
  std::int32_t ix;
  std::memcpy(&ix, &x, 4);
  // m in [sqrt(1/2), sqrt(2)): subtract the offset so that the exponent splits there.
  ix -= 0x3F3504F3;  // bits of sqrt(1/2)
  const std::int32_t e = ix >> 23;
  const std::int32_t im = (ix & 0x007FFFFF) + 0x3F3504F3;
  float m;
  std::memcpy(&m, &im, 4);
  const float s = (m - 1.0f) / (m + 1.0f);
  const float s2 = s * s;
  const float p = 1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9)));
  const float lm = 2.0f * s + 2.0f * s * s2 * p;
  const float fe = static_cast<float>(e);
  return fe * 0.693145752f + (lm + fe * 1.42860677e-06f);  // ln2 split hi + lo
}

// Doubles from bit patterns without int64 -> double conversions (which AVX2 lacks).
inline double bits_to_double(std::uint64_t b) {
  double d;
  std::memcpy(&d, &b, 8);
  return d;
}
// m in [0, 2^52) -> m * 2^-52 in [0, 1), exactly.
inline double frac52(std::uint64_t m) { return bits_to_double(0x3FF0000000000000ull | m) - 1.0; }

inline double log_d(double x) {
  std::uint64_t ix;
  std::memcpy(&ix, &x, 8);
  // m in [sqrt(1/2), sqrt(2)): subtract the offset so that the exponent splits there; the
  // exponent goes through a biased, unsigned field so that every shift is a logical one.
  constexpr std::uint64_t kOff = 0x3FE6A09E667F3BCDull;  // bits of sqrt(1/2)
  const std::uint64_t t = ix - kOff + (std::uint64_t{1024} << 52);
  const std::uint64_t efield = t >> 52;  // e + 1024, in [0, 2048)
  const double fe = bits_to_double(0x4330000000000000ull | efield) - 4503599627370496.0 - 1024.0;
  const double m = bits_to_double((t & 0x000FFFFFFFFFFFFFull) + kOff);
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double p = 1.0 / 23;
  for (int k = 21; k >= 3; k -= 2) p = 1.0 / k + s2 * p;
  const double lm = 2.0 * s + 2.0 * s * s2 * p;
  return fe * 6.93147180369123816490e-01 + (lm + fe * 1.90821492927058770002e-10);
}

// (cos, sin) of 2*pi*t where t is given in quarter turns: quadrant q in {0..3} and fraction f
// in [0, 1) of a quarter turn. Taylor series of sin / cos on [0, pi/2).
inline void sincos_quarter_f(std::uint32_t q, float f, float& c, float& s) {
  const float y = f * 1.57079632679489662f;
  const float y2 = y * y;
  const float sp =
      y * (1.0f + y2 * (-1.0f / 6 +
                        y2 * (1.0f / 120 +
                              y2 * (-1.0f / 5040 +
                                    y2 * (1.0f / 362880 + y2 * (-1.0f / 39916800 +
                                                                y2 * (1.0f / 6227020800.0f)))))));
  const float cp =
      1.0f +
      y2 * (-0.5f +
            y2 * (1.0f / 24 +
                  y2 * (-1.0f / 720 + y2 * (1.0f / 40320 +
                                            y2 * (-1.0f / 3628800 + y2 * (1.0f / 479001600.0f))))));
  // rotate by q quarter turns
  const float c1 = (q & 1) ? -sp : cp;
  const float s1 = (q & 1) ? cp : sp;
  c = (q & 2) ? -c1 : c1;
  s = (q & 2) ? -s1 : s1;
}

inline void sincos_quarter_d(std::uint64_t q, double f, double& c, double& s) {
  const double y = f * 1.57079632679489661923;
  const double y2 = y * y;
  // sin: sum (-1)^k y^(2k+1)/(2k+1)!, k <= 11; cos: sum (-1)^k y^(2k)/(2k)!, k <= 11
  double sp = 0.0, cp = 0.0;
  static constexpr double sin_c[12] = {1.0,
                                       -1.0 / 6,
                                       1.0 / 120,
                                       -1.0 / 5040,
                                       1.0 / 362880,
                                       -1.0 / 39916800,
                                       1.0 / 6227020800.0,
                                       -1.0 / 1307674368000.0,
                                       1.0 / 355687428096000.0,
                                       -1.0 / 121645100408832000.0,
                                       1.0 / 51090942171709440000.0,
                                       -1.0 / 25852016738884976640000.0};
  static constexpr double cos_c[12] = {1.0,
                                       -1.0 / 2,
                                       1.0 / 24,
                                       -1.0 / 720,
                                       1.0 / 40320,
                                       -1.0 / 3628800,
                                       1.0 / 479001600.0,
                                       -1.0 / 87178291200.0,
                                       1.0 / 20922789888000.0,
                                       -1.0 / 6402373705728000.0,
                                       1.0 / 2432902008176640000.0,
                                       -1.0 / 1124000727777607680000.0};
  for (int k = 11; k >= 0; --k) {
    sp = sin_c[k] + y2 * sp;
    cp = cos_c[k] + y2 * cp;
  }
  sp *= y;
  const double c1 = (q & 1) ? -sp : cp;
  const double s1 = (q & 1) ? cp : sp;
  c = (q & 2) ? -c1 : c1;
  s = (q & 2) ? -s1 : s1;
}

// Box–Muller on two words (float): radius from w1, angle from w2.
//   u1 = (int(w1 >> 1) + 1/2) * 2^-31 in (0, 1]  ->  r = sqrt(-2 log u1) <= 6.66
inline void box_muller_f(std::uint32_t w1, std::uint32_t w2, float& z0, float& z1) {
  const float u1 = (static_cast<float>(static_cast<std::int32_t>(w1 >> 1)) + 0.5f) * 0x1p-31f;
  const float r = std::sqrt(-2.0f * log_f(u1));
  float c, s;
  sincos_quarter_f(w2 >> 30, static_cast<float>(w2 & 0x3FFFFFFFu) * 0x1p-30f, c, s);
  z0 = r * c;
  z1 = r * s;
}

// Box–Muller on four words (double): u1 = 2 - [1, 2) in (0, 1] with 52 bits (r <= 8.5); the
// angle: 2 quadrant bits and a 52-bit fraction.
inline void box_muller_d(std::uint32_t a, std::uint32_t b, std::uint32_t c2, std::uint32_t d,
                         double& z0, double& z1) {
  const std::uint64_t k1 = (std::uint64_t{a} << 32) | b;
  const double u1 = 1.0 - frac52(k1 >> 12);
  const double r = std::sqrt(-2.0 * log_d(u1));
  const std::uint64_t k2 = (std::uint64_t{c2} << 32) | d;
  double c, s;
  sincos_quarter_d(k2 >> 62, frac52((k2 << 2) >> 12), c, s);
  z0 = r * c;
  z1 = r * s;
}

}  // namespace transform

}  // namespace fastinit
