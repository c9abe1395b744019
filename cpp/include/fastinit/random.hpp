// fastinit/random.hpp — the counter-based generator and fastinit's own transforms.
//
// Engine: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11).
// One call maps a 128-bit counter and a 64-bit key to 128 random bits (a "block" of 4 words):
//   key     = (seed_lo, seed_hi)
//   counter = (block_lo, block_hi, stream_lo, stream_hi)
// A fill of n elements reserves ceil(n / EPB) consecutive blocks of the generator's stream
// (EPB = elements per block, fixed per transform) and element i is computed from block
// offset + i / EPB alone. So every value is a pure function of (seed, stream, offset + i):
// bit-identical for any thread count and any chunking, and identical from C++ and Python.
//
// Transforms (no std:: distributions, whose algorithms differ between standard libraries):
//   uniform  float : 24 bits per value, 4 per block       u = (w >> 8) * 2^-24        in [0, 1)
//            double: 53 bits per value, 2 per block
//   normal   Box–Muller, float: 4 per block, double: 2 per block; the log's argument is never 0
//   truncated normal: exact inverse-CDF sampling in double, log-space in the tails (see below)
// The transforms use only +, -, *, /, sqrt and integer operations, evaluated with two roundings
// per a*b+c (fastinit compiles with -ffp-contract=off), so the portable and the AVX2 builds give
// the same bits.
//
// Example (checked by tests/cpp/test_core.cpp, the same from Python):
//   fastinit::Generator g(42);
//   float w[4]; fastinit::normal_fill(w, 4, 0.0, 1.0, g);   // g.offset() is now 1
//   // w = {-0.97018981f, 0.19401890f, -1.23562086f, 1.92392683f}
#pragma once

#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>
#if defined(__AVX2__) && !defined(FASTINIT_SCALAR_PHILOX)
#include <immintrin.h>
#endif

#include "errors.hpp"
#include "parallel.hpp"
#include "types.hpp"

namespace fastinit {

// ------------------------------------------------------------------------------ Philox4x32-10
namespace philox {

inline constexpr std::uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
inline constexpr std::uint32_t W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;

// The reference (scalar) form, as published: 10 rounds, key bumped between rounds.
inline std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> c,
                                                  std::array<std::uint32_t, 2> k) {
  for (int r = 0; r < 10; ++r) {
    if (r) {
      k[0] += W0;
      k[1] += W1;
    }
    const std::uint64_t p0 = std::uint64_t{M0} * c[0];
    const std::uint64_t p1 = std::uint64_t{M1} * c[2];
    c = {static_cast<std::uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<std::uint32_t>(p1),
         static_cast<std::uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<std::uint32_t>(p0)};
  }
  return c;
}

// A batch of up to B consecutive blocks in structure-of-arrays form, so that the rounds and the
// transforms below vectorize lane by lane.
inline constexpr int B = 64;
struct Batch {
  alignas(64) std::uint32_t x0[B], x1[B], x2[B], x3[B];
};

#if defined(__AVX2__) && !defined(FASTINIT_SCALAR_PHILOX)
// 8 blocks per AVX2 register: the 32x32->64 products of even and odd lanes come from two
// vpmuludq and are blended back into (hi, lo) words. Integer arithmetic only: the same bits as
// the scalar form, which tests/cpp checks.
inline void mulhilo8(__m256i a, __m256i m, __m256i& hi, __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(a, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

inline void generate(std::uint64_t seed, std::uint64_t stream, std::uint64_t first, Batch& o) {
  for (int j = 0; j < B; ++j) {
    const std::uint64_t ctr = first + static_cast<std::uint64_t>(j);
    o.x0[j] = static_cast<std::uint32_t>(ctr);
    o.x1[j] = static_cast<std::uint32_t>(ctr >> 32);
  }
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(M0)),
                m1 = _mm256_set1_epi32(static_cast<int>(M1));
  const __m256i s_lo = _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(stream)));
  const __m256i s_hi =
      _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(stream >> 32)));
  for (int v = 0; v < B; v += 8) {
    __m256i c0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(o.x0 + v));
    __m256i c1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(o.x1 + v));
    __m256i c2 = s_lo, c3 = s_hi;
    std::uint32_t k0 = static_cast<std::uint32_t>(seed),
                  k1 = static_cast<std::uint32_t>(seed >> 32);
    for (int r = 0; r < 10; ++r) {
      __m256i hi0, lo0, hi1, lo1;
      mulhilo8(c0, m0, hi0, lo0);
      mulhilo8(c2, m1, hi1, lo1);
      const __m256i n0 =
          _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(static_cast<int>(k0)));
      const __m256i n2 =
          _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(static_cast<int>(k1)));
      c0 = n0;
      c1 = lo1;
      c2 = n2;
      c3 = lo0;
      k0 += W0;
      k1 += W1;
    }
    _mm256_store_si256(reinterpret_cast<__m256i*>(o.x0 + v), c0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(o.x1 + v), c1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(o.x2 + v), c2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(o.x3 + v), c3);
  }
}
#else
inline void generate(std::uint64_t seed, std::uint64_t stream, std::uint64_t first, Batch& o) {
  const std::uint32_t s_lo = static_cast<std::uint32_t>(stream);
  const std::uint32_t s_hi = static_cast<std::uint32_t>(stream >> 32);
  for (int j = 0; j < B; ++j) {
    const std::uint64_t ctr = first + static_cast<std::uint64_t>(j);
    o.x0[j] = static_cast<std::uint32_t>(ctr);
    o.x1[j] = static_cast<std::uint32_t>(ctr >> 32);
    o.x2[j] = s_lo;
    o.x3[j] = s_hi;
  }
  std::uint32_t k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  for (int r = 0; r < 10; ++r) {
    for (int j = 0; j < B; ++j) {
      const std::uint64_t p0 = std::uint64_t{M0} * o.x0[j];
      const std::uint64_t p1 = std::uint64_t{M1} * o.x2[j];
      const std::uint32_t n0 = static_cast<std::uint32_t>(p1 >> 32) ^ o.x1[j] ^ k0;
      const std::uint32_t n2 = static_cast<std::uint32_t>(p0 >> 32) ^ o.x3[j] ^ k1;
      o.x1[j] = static_cast<std::uint32_t>(p1);
      o.x3[j] = static_cast<std::uint32_t>(p0);
      o.x0[j] = n0;
      o.x2[j] = n2;
    }
    k0 += W0;
    k1 += W1;
  }
}
#endif

}  // namespace philox

// ------------------------------------------------------------------------------ Generator
// State: seed (the key), stream (half of the counter) and offset (the next unused block).
// Each fill reserves its blocks atomically, so a Generator shared between threads hands each
// call a disjoint range; which call gets which range then depends on scheduling. For
// reproducible results across threads, give each thread its own Generator (spawn).
class Generator {
 public:
  explicit Generator(std::uint64_t seed = 0, std::uint64_t stream = 0, std::uint64_t offset = 0)
      : seed_(seed), stream_(stream), offset_(offset) {}
  Generator(const Generator& o)
      : seed_(o.seed_),
        stream_(o.stream_),
        offset_(o.offset()),
        spawned_(o.spawned()),
        exhausted_(o.exhausted_.load()) {}
  Generator& operator=(const Generator& o) {
    seed_ = o.seed_;
    stream_ = o.stream_;
    offset_.store(o.offset());
    spawned_.store(o.spawned());
    exhausted_.store(o.exhausted_.load());
    return *this;
  }

  std::uint64_t seed() const { return seed_; }
  std::uint64_t stream() const { return stream_; }
  std::uint64_t offset() const { return offset_.load(std::memory_order_relaxed); }
  std::uint64_t spawned() const { return spawned_.load(std::memory_order_relaxed); }
  void set_offset(std::uint64_t off) {
    offset_.store(off);
    exhausted_.store(false);
  }
  void set_spawned(std::uint64_t n) { spawned_.store(n); }

  // Reserve n blocks; returns the first. The stream has 2^64 blocks: a fill that would run
  // past the last one throws, and once the last block is used the generator is exhausted
  // (every further fill throws) rather than silently starting over.
  std::uint64_t reserve(std::uint64_t nblocks) {
    std::uint64_t cur = offset_.load(std::memory_order_relaxed);
    for (;;) {
      if (exhausted_.load())
        throw value_error("Generator: all 2^64 blocks of this stream are used; spawn a new stream");
      if (nblocks > 0 && nblocks - 1 > std::numeric_limits<std::uint64_t>::max() - cur)
        throw value_error(
            "Generator: the request runs past the stream's last block: the stream would be "
            "exhausted (2^64 blocks); spawn a new stream");
      if (offset_.compare_exchange_weak(cur, cur + nblocks)) {
        if (nblocks > 0 && cur + nblocks == 0) exhausted_.store(true);  // used block 2^64 - 1
        return cur;
      }
    }
  }

  // n independent child generators (same seed, new streams derived from this stream and a
  // running spawn count, so calling spawn again gives new children).
  std::vector<Generator> spawn(std::size_t n) {
    std::vector<Generator> kids;
    kids.reserve(n);  // a refused allocation leaves the spawn count unchanged
    const std::uint64_t first = spawned_.fetch_add(n);
    for (std::size_t i = 0; i < n; ++i) kids.emplace_back(seed_, child_stream(first + i));
    return kids;
  }

  std::uint64_t child_stream(std::uint64_t index) const {
    return mix64(mix64(stream_ + 0x9E3779B97F4A7C15ull) ^ (index + 1) * 0xD1B54A32D192ED03ull);
  }

  static std::uint64_t mix64(std::uint64_t z) {  // splitmix64's finalizer
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t seed_, stream_;
  std::atomic<std::uint64_t> offset_;
  std::atomic<std::uint64_t> spawned_{0};
  std::atomic<bool> exhausted_{false};
};

// ------------------------------------------------------------------------------ transforms
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

// ------------------------------------------------------------------------------ normal tails
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

// ------------------------------------------------------------------------------ fills
namespace detail {

// Runs a fill of n elements that uses EPB elements per Philox block. kernel(batch, nblk, dst)
// writes nblk * EPB elements computed from the batch's blocks.
template <int EPB, class T, class Kernel>
void run_fill(T* out, std::size_t n, Generator& gen, Kernel&& kernel) {
  if (n == 0) return;
  const std::uint64_t nblocks = (static_cast<std::uint64_t>(n) + EPB - 1) / EPB;
  const std::uint64_t first = gen.reserve(nblocks);
  const std::uint64_t seed = gen.seed(), stream = gen.stream();
  // ~16K elements per piece: large enough to amortize the hand-off, small enough to balance.
  parallel_for(static_cast<index_t>(nblocks), 16384 / EPB, [&](index_t b0, index_t b1) {
    philox::Batch batch;
    alignas(64) T tmp[philox::B * EPB];
    for (index_t b = b0; b < b1; b += philox::B) {
      const int nb = static_cast<int>(std::min<index_t>(philox::B, b1 - b));
      philox::generate(seed, stream, first + static_cast<std::uint64_t>(b), batch);
      const std::size_t e0 = static_cast<std::size_t>(b) * EPB;
      const std::size_t ne = std::min<std::size_t>(static_cast<std::size_t>(nb) * EPB, n - e0);
      if (ne == static_cast<std::size_t>(nb) * EPB && nb == philox::B) {
        kernel(batch, nb, out + e0);
      } else {
        kernel(batch, nb, tmp);
        std::copy(tmp, tmp + ne, out + e0);
      }
    }
  });
}

inline void check_finite(const char* fn, const char* arg, double v) {
  if (!std::isfinite(v)) throw value_error(cat(fn, ": ", arg, " must be finite, got ", v));
}

}  // namespace detail

// Raw 32-bit words: element i is word i % 4 of block offset + i / 4.
inline void random_bits(std::uint32_t* out, std::size_t n, Generator& gen) {
  detail::run_fill<4>(out, n, gen, [](const philox::Batch& b, int nb, std::uint32_t* dst) {
    for (int j = 0; j < nb; ++j) {
      dst[4 * j] = b.x0[j];
      dst[4 * j + 1] = b.x1[j];
      dst[4 * j + 2] = b.x2[j];
      dst[4 * j + 3] = b.x3[j];
    }
  });
}

// Uniform on [lo, hi): lo + (hi - lo) * u.
template <class T>
void uniform_fill(T* out, std::size_t n, double lo, double hi, Generator& gen) {
  static_assert(is_real_v<T>);
  detail::check_finite("uniform_", "a", lo);
  detail::check_finite("uniform_", "b", hi);
  if (!(lo <= hi))
    throw value_error(detail::cat("uniform_: expects a <= b, got a=", lo, " b=", hi));
  if (!std::isfinite(static_cast<T>(lo)) || !std::isfinite(static_cast<T>(hi)) ||
      !std::isfinite(static_cast<T>(hi - lo)))
    throw value_error(
        detail::cat("uniform_: a, b and b - a must be finite in the dtype, got a=", lo, " b=", hi));
  const T a = static_cast<T>(lo), w = static_cast<T>(hi - lo);
  if constexpr (std::is_same_v<T, float>) {
    detail::run_fill<4>(out, n, gen, [=](const philox::Batch& b, int nb, float* dst) {
      alignas(64) float t[4][philox::B];
      for (int j = 0; j < philox::B; ++j) {
        t[0][j] = a + w * transform::u01_f(b.x0[j]);
        t[1][j] = a + w * transform::u01_f(b.x1[j]);
        t[2][j] = a + w * transform::u01_f(b.x2[j]);
        t[3][j] = a + w * transform::u01_f(b.x3[j]);
      }
      for (int j = 0; j < nb; ++j)
        for (int l = 0; l < 4; ++l) dst[4 * j + l] = t[l][j];
    });
  } else {
    detail::run_fill<2>(out, n, gen, [=](const philox::Batch& b, int nb, double* dst) {
      for (int j = 0; j < nb; ++j) {
        dst[2 * j] = a + w * transform::u01_d(b.x0[j], b.x1[j]);
        dst[2 * j + 1] = a + w * transform::u01_d(b.x2[j], b.x3[j]);
      }
    });
  }
}

// Normal N(mean, std^2) by Box–Muller.
template <class T>
void normal_fill(T* out, std::size_t n, double mean, double std, Generator& gen) {
  static_assert(is_real_v<T>);
  detail::check_finite("normal_", "mean", mean);
  detail::check_finite("normal_", "std", std);
  if (std < 0) throw value_error(detail::cat("normal_: std must be >= 0, got ", std));
  const T mu = static_cast<T>(mean), sd = static_cast<T>(std);
  if constexpr (std::is_same_v<T, float>) {
    detail::run_fill<4>(out, n, gen, [=](const philox::Batch& b, int nb, float* dst) {
      alignas(64) float t[4][philox::B];
      for (int j = 0; j < philox::B; ++j) {
        float z0, z1, z2, z3;
        transform::box_muller_f(b.x0[j], b.x1[j], z0, z1);
        transform::box_muller_f(b.x2[j], b.x3[j], z2, z3);
        t[0][j] = mu + sd * z0;
        t[1][j] = mu + sd * z1;
        t[2][j] = mu + sd * z2;
        t[3][j] = mu + sd * z3;
      }
      for (int j = 0; j < nb; ++j)
        for (int l = 0; l < 4; ++l) dst[4 * j + l] = t[l][j];
    });
  } else {
    detail::run_fill<2>(out, n, gen, [=](const philox::Batch& b, int nb, double* dst) {
      alignas(64) double t[2][philox::B];
      for (int j = 0; j < philox::B; ++j) {
        double z0, z1;
        transform::box_muller_d(b.x0[j], b.x1[j], b.x2[j], b.x3[j], z0, z1);
        t[0][j] = mu + sd * z0;
        t[1][j] = mu + sd * z1;
      }
      for (int j = 0; j < nb; ++j) {
        dst[2 * j] = t[0][j];
        dst[2 * j + 1] = t[1][j];
      }
    });
  }
}

// Truncated normal: N(mean, std^2) conditioned on [a, b] (absolute bounds, PyTorch's
// trunc_normal_ semantics), by exact inverse-CDF sampling in double.
//
// With alpha = (a - mean) / std and beta = (b - mean) / std, mirror the interval so that most of
// its mass lies at or right of 0 (alpha + beta >= 0). Then, for v uniform on (0, 1):
//  * alpha >= 0 (a tail interval): work with upper-tail probabilities in log space,
//      log q = log Q(alpha) + log1p(-v (1 - Q(beta) / Q(alpha)))   and   x = Q^-1(q),
//    which stays exact for narrow intervals and for intervals thousands of sigma out;
//  * alpha < 0 <= beta: the target probability Phi(alpha) + v M is inverted from whichever tail
//    is smaller, so no probability near 1 is ever rounded.
// Samples never leave [a, b] (rounding is clamped into the interval of representable values),
// and no mass piles up at a bound. Each element uses 53 random bits; 2 per block.
template <class T>
void trunc_normal_fill(T* out, std::size_t n, double mean, double std, double a, double b,
                       Generator& gen) {
  static_assert(is_real_v<T>);
  namespace nm = normal_math;
  detail::check_finite("trunc_normal_", "mean", mean);
  detail::check_finite("trunc_normal_", "std", std);
  if (std::isnan(a) || std::isnan(b))
    throw value_error("trunc_normal_: the bounds a and b must not be NaN");
  if (!(std > 0)) throw value_error(detail::cat("trunc_normal_: std must be > 0, got ", std));
  if (!(a < b)) throw value_error(detail::cat("trunc_normal_: expects a < b, got a=", a, " b=", b));
  // The representable interval of T inside [a, b].
  // The finite values of T inside [a, b].
  const double tmax = static_cast<double>(std::numeric_limits<T>::max());
  const double ca = std::max(a, -tmax), cb = std::min(b, tmax);
  T lo_t = static_cast<T>(ca), hi_t = static_cast<T>(cb);
  if (ca <= cb) {
    if (static_cast<double>(lo_t) < ca)
      lo_t = std::nextafter(lo_t, std::numeric_limits<T>::infinity());
    if (static_cast<double>(hi_t) > cb)
      hi_t = std::nextafter(hi_t, -std::numeric_limits<T>::infinity());
  }
  if (!(ca <= cb) || !(lo_t <= hi_t) || !std::isfinite(lo_t) || !std::isfinite(hi_t))
    throw value_error(
        detail::cat("trunc_normal_: no finite value of the dtype lies in [", a, ", ", b, "]"));

  double alpha = (a - mean) / std, beta = (b - mean) / std;
  double sign = 1.0;
  if (alpha + beta < 0) {  // (-inf, +inf) gives NaN here and is not mirrored
    const double t = alpha;
    alpha = -beta;
    beta = -t;
    sign = -1.0;
  }
  const bool tail = alpha >= 0;
  bool point_mass = false;  // so far out that the conditional law is the bound nearest the mean
  double lqa = 0, m_frac = 0, pa = 0, qb = 0, mass = 0;
  if (tail) {
    lqa = nm::log_q(alpha);
    const double lqb = nm::log_q(beta);
    m_frac = -std::expm1(lqb - lqa);  // 1 - Q(beta)/Q(alpha), accurate for narrow intervals
    point_mass =
        !std::isfinite(alpha) || !std::isfinite(lqa) || !std::isfinite(m_frac) || !(m_frac > 0);
  } else {
    pa = nm::upper_q(-alpha);  // Phi(alpha) <= 1/2
    qb = nm::upper_q(beta);    // Q(beta)    <= 1/2
    mass = (0.5 - pa) + (0.5 - qb);
  }
  auto sample = [=](std::uint32_t hi, std::uint32_t lo) -> T {
    const std::uint64_t k = ((std::uint64_t{hi} << 32) | lo) >> 11;                // 53 bits
    const double v = (static_cast<double>(k) + 0.5) * 0x1p-53;                     // (0,1)
    const double w = (static_cast<double>((1ull << 53) - 1 - k) + 0.5) * 0x1p-53;  // 1 - v, exact
    double x;
    if (point_mass) return sign > 0 ? lo_t : hi_t;
    if (tail) {
      const double lq = lqa + std::log1p(-v * m_frac);
      x = -nm::ndtri_lower_log(lq, std::exp(lq));
      x = std::min(std::max(x, alpha), beta);
    } else {
      const double t = pa + v * mass;
      if (t <= 0.5) {
        x = nm::ndtri_lower(t);
      } else {
        x = -nm::ndtri_lower(qb + w * mass);
      }
      x = std::min(std::max(x, alpha), beta);
    }
    const T y = static_cast<T>(mean + std * (sign * x));
    return std::min(std::max(y, lo_t), hi_t);
  };
  detail::run_fill<2>(out, n, gen, [&](const philox::Batch& bt, int nb, T* dst) {
    for (int j = 0; j < nb; ++j) {
      dst[2 * j] = sample(bt.x0[j], bt.x1[j]);
      dst[2 * j + 1] = sample(bt.x2[j], bt.x3[j]);
    }
  });
}

// Uniform 64-bit words (two per block), for integer sampling (masks, permutations).
inline void random_u64(std::uint64_t* out, std::size_t n, Generator& gen) {
  detail::run_fill<2>(out, n, gen, [](const philox::Batch& b, int nb, std::uint64_t* dst) {
    for (int j = 0; j < nb; ++j) {
      dst[2 * j] = (std::uint64_t{b.x0[j]} << 32) | b.x1[j];
      dst[2 * j + 1] = (std::uint64_t{b.x2[j]} << 32) | b.x3[j];
    }
  });
}

namespace detail {

// Words [w0, w0 + n) of what random_u64 writes for a fill whose first block is `first` (word i
// comes from block first + i / 2): a task can regenerate its own part of a fill without the
// whole fill being stored.
inline void u64_words_at(std::uint64_t seed, std::uint64_t stream, std::uint64_t first,
                         std::uint64_t w0, std::size_t n, std::uint64_t* out) {
  philox::Batch b;
  std::size_t done = 0;
  while (done < n) {
    const std::uint64_t blk = (w0 + done) / 2;
    if (n - done <= 16) {  // a few words: one block at a time, not a batch of B
      const std::uint64_t k = w0 + done - 2 * blk;
      const auto r = philox::philox4x32_10(
          {static_cast<std::uint32_t>(first + blk), static_cast<std::uint32_t>((first + blk) >> 32),
           static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32)},
          {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
      if (k == 0) out[done++] = (std::uint64_t{r[0]} << 32) | r[1];
      if (done < n) out[done++] = (std::uint64_t{r[2]} << 32) | r[3];
      continue;
    }
    philox::generate(seed, stream, first + blk, b);
    for (std::uint64_t k = w0 + done - 2 * blk; k < 2 * philox::B && done < n; ++k, ++done) {
      const auto j = static_cast<std::size_t>(k / 2);
      out[done] = k % 2 == 0 ? (std::uint64_t{b.x0[j]} << 32) | b.x1[j]
                             : (std::uint64_t{b.x2[j]} << 32) | b.x3[j];
    }
  }
}

}  // namespace detail

// An integer in [0, range) from a 64-bit word by multiply-shift (bias < range / 2^64).
inline std::uint64_t bounded(std::uint64_t word, std::uint64_t range) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(word) * range) >> 64);
}

}  // namespace fastinit
