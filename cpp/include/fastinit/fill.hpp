// fastinit/fill.hpp — random fills of flat buffers: bits, uniform, normal, truncated normal.
//
// Each fill reserves the Philox blocks it needs from a Generator (generator.hpp) and maps them
// through a transform (transforms.hpp), in parallel pieces of whole blocks: element i depends
// only on block offset + i / EPB, so the bits do not depend on the thread count or the chunking.
// Legend: out the buffer of n elements; EPB elements per block (uniform / normal: 4 in float,
// 2 in double; truncated normal and 64-bit words: 2); gen the Generator, whose offset advances
// by ceil(n / EPB).
//   truncated normal: exact inverse-CDF sampling in double, log-space in the tails (special.hpp);
//   float32 on a wide interval (0 inside, mass >= 1/2): rejection from the float32 normal
//   stream, counter-based (the same exact law, see trunc_normal_fill)
//   float32 uniform / normal outputs of 8 MB or more are written with streaming stores (AVX2)
//   16-bit outputs (float16, bfloat16): to_half rounds to nearest even; the truncated normal is
//   sampled on the rounding cells of the 16-bit values inside [a, b] (exact after rounding)
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "errors.hpp"
#include "generator.hpp"
#include "parallel.hpp"
#include "philox.hpp"
#include "special.hpp"
#include "transforms.hpp"
#include "types.hpp"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace fastinit {

namespace detail {

// Runs a fill of n elements that uses EPB elements per Philox block. kernel(batch, nblk, dst)
// (or kernel(batch, nblk, dst, first block of the batch))
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
      const std::uint64_t blk = first + static_cast<std::uint64_t>(b);
      auto call = [&](T* dst) {
        if constexpr (std::is_invocable_v<Kernel&, const philox::Batch&, int, T*, std::uint64_t>)
          kernel(batch, nb, dst, blk);
        else
          kernel(batch, nb, dst);
      };
      if (ne == static_cast<std::size_t>(nb) * EPB && nb == philox::B) {
        call(out + e0);
      } else {
        call(tmp);
        std::copy(tmp, tmp + ne, out + e0);
      }
    }
#if defined(__AVX2__)
    _mm_sfence();  // the piece's streaming stores (if any) are done before it reports
#endif
  });
}

inline void check_finite(const char* fn, const char* arg, double v) {
  if (!std::isfinite(v)) throw value_error(cat(fn, ": ", arg, " must be finite, got ", v));
}

// Large outputs are written with streaming (non-temporal) stores where the target has them: a
// fill far larger than the caches would otherwise read every line for ownership before writing
// it (about half the write bandwidth). Only the store instruction changes, never a value.
inline constexpr std::size_t kStreamBytes = std::size_t{8} << 20;
inline bool use_streaming(std::size_t bytes) { return bytes >= kStreamBytes; }

// dst[4 j + l] = t[l][j] for the B blocks of a batch (elements in block order).
inline void store_interleaved4(const float (&t)[4][philox::B], float* dst, bool stream) {
#if defined(__AVX2__)
  // a piece may start at any block: stream only where dst itself is 32-byte aligned
  const bool aligned = stream && reinterpret_cast<std::uintptr_t>(dst) % 32 == 0;
  for (int j = 0; j < philox::B; j += 8) {
    const __m256 r0 = _mm256_load_ps(t[0] + j), r1 = _mm256_load_ps(t[1] + j);
    const __m256 r2 = _mm256_load_ps(t[2] + j), r3 = _mm256_load_ps(t[3] + j);
    const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
    const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
    const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    const __m256 o0 = _mm256_permute2f128_ps(u0, u1, 0x20),
                 o1 = _mm256_permute2f128_ps(u2, u3, 0x20);
    const __m256 o2 = _mm256_permute2f128_ps(u0, u1, 0x31),
                 o3 = _mm256_permute2f128_ps(u2, u3, 0x31);
    float* d = dst + 4 * j;
    if (aligned) {
      _mm256_stream_ps(d, o0);
      _mm256_stream_ps(d + 8, o1);
      _mm256_stream_ps(d + 16, o2);
      _mm256_stream_ps(d + 24, o3);
    } else {
      _mm256_storeu_ps(d, o0);
      _mm256_storeu_ps(d + 8, o1);
      _mm256_storeu_ps(d + 16, o2);
      _mm256_storeu_ps(d + 24, o3);
    }
  }
#else
  (void)stream;
  for (int j = 0; j < philox::B; ++j)
    for (int l = 0; l < 4; ++l) dst[4 * j + l] = t[l][j];
#endif
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

namespace detail {

// The parameters of the uniform on [lo, hi) in T, checked: (lo, hi - lo).
template <class T>
std::pair<T, T> uniform_params(double lo, double hi) {
  check_finite("uniform_", "a", lo);
  check_finite("uniform_", "b", hi);
  if (!(lo <= hi)) throw value_error(cat("uniform_: expects a <= b, got a=", lo, " b=", hi));
  if (!std::isfinite(static_cast<T>(lo)) || !std::isfinite(static_cast<T>(hi)) ||
      !std::isfinite(static_cast<T>(hi - lo)))
    throw value_error(
        cat("uniform_: a, b and b - a must be finite in the dtype, got a=", lo, " b=", hi));
  return {static_cast<T>(lo), static_cast<T>(hi - lo)};
}

// The parameters of N(mean, std^2) in T, checked.
template <class T>
std::pair<T, T> normal_params(double mean, double std) {
  check_finite("normal_", "mean", mean);
  check_finite("normal_", "std", std);
  if (std < 0) throw value_error(cat("normal_: std must be >= 0, got ", std));
  // Box–Muller's |z| stays below 9 (sqrt(-2 ln 2^-53) = 8.6): every sample is finite in T
  // exactly when |mean| + 9 std is (the uniform family refuses the same way).
  if (!(std::fabs(mean) + 9.0 * std <= double(std::numeric_limits<T>::max())))
    throw value_error(cat("normal_: mean + 9 std must be finite in the dtype (max ",
                          double(std::numeric_limits<T>::max()), "), got mean=", mean,
                          " std=", std));
  return {static_cast<T>(mean), static_cast<T>(std)};
}

// The float32 batch kernels (4 values per block, t[l][j] = value of word l of block j).
struct UniformF32 {
  float a, w;
  void operator()(const philox::Batch& b, float (&t)[4][philox::B]) const {
    for (int j = 0; j < philox::B; ++j) {
      t[0][j] = a + w * transform::u01_f(b.x0[j]);
      t[1][j] = a + w * transform::u01_f(b.x1[j]);
      t[2][j] = a + w * transform::u01_f(b.x2[j]);
      t[3][j] = a + w * transform::u01_f(b.x3[j]);
    }
  }
};
struct NormalF32 {
  float mu, sd;
  void operator()(const philox::Batch& b, float (&t)[4][philox::B]) const {
    for (int j = 0; j < philox::B; ++j) {
      float z0, z1, z2, z3;
      transform::box_muller_f(b.x0[j], b.x1[j], z0, z1);
      transform::box_muller_f(b.x2[j], b.x3[j], z2, z3);
      t[0][j] = mu + sd * z0;
      t[1][j] = mu + sd * z1;
      t[2][j] = mu + sd * z2;
      t[3][j] = mu + sd * z3;
    }
  }
};

template <class Make>
void run_f32_fill(float* out, std::size_t n, Generator& gen, const Make& make) {
  const bool stream = use_streaming(n * sizeof(float));
  run_fill<4>(out, n, gen, [&make, stream](const philox::Batch& b, int nb, float* dst) {
    alignas(64) float t[4][philox::B];
    make(b, t);
    store_interleaved4(t, dst, stream && nb == philox::B);
  });
}

}  // namespace detail

// Uniform on [lo, hi): lo + (hi - lo) * u.
template <class T>
void uniform_fill(T* out, std::size_t n, double lo, double hi, Generator& gen) {
  static_assert(is_real_v<T>);
  const auto [a, w] = detail::uniform_params<T>(lo, hi);
  if constexpr (std::is_same_v<T, float>) {
    detail::run_f32_fill(out, n, gen, detail::UniformF32{a, w});
  } else {
    detail::run_fill<2>(out, n, gen, [a = a, w = w](const philox::Batch& b, int nb, double* dst) {
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
  const auto [mu, sd] = detail::normal_params<T>(mean, std);
  if constexpr (std::is_same_v<T, float>) {
    detail::run_f32_fill(out, n, gen, detail::NormalF32{mu, sd});
  } else {
    detail::run_fill<2>(out, n, gen,
                        [mu = mu, sd = sd](const philox::Batch& b, int nb, double* dst) {
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
namespace detail {

// The sampler in double: operator()(hi, lo) maps 64 random bits to mean + std * x, x in
// [alpha, beta]; point_mass when the interval is so far out that the law is the bound nearest
// the mean (then operator() returns NaN and the caller writes that bound).
class TruncNormalSampler {
 public:
  TruncNormalSampler(double mean, double std, double a, double b) : mean_(mean), std_(std) {
    namespace nm = normal_math;
    alpha_ = (a - mean) / std;
    beta_ = (b - mean) / std;
    if (alpha_ + beta_ < 0) {  // (-inf, +inf) gives NaN here and is not mirrored
      const double t = alpha_;
      alpha_ = -beta_;
      beta_ = -t;
      sign_ = -1.0;
    }
    tail_ = alpha_ >= 0;
    if (tail_) {
      lqa_ = nm::log_q(alpha_);
      const double lqb = nm::log_q(beta_);
      m_frac_ = -std::expm1(lqb - lqa_);  // 1 - Q(beta)/Q(alpha), accurate for narrow intervals
      point_mass_ = !std::isfinite(alpha_) || !std::isfinite(lqa_) || !std::isfinite(m_frac_) ||
                    !(m_frac_ > 0);
    } else {
      pa_ = nm::upper_q(-alpha_);  // Phi(alpha) <= 1/2
      qb_ = nm::upper_q(beta_);    // Q(beta)    <= 1/2
      mass_ = (0.5 - pa_) + (0.5 - qb_);
    }
  }
  bool point_mass() const { return point_mass_; }
  // Wide: the interval holds 0 and at least half the mass; then a N(0, 1) draw z accepted in
  // [alpha, beta] (the mirrored interval) gives the sample mean + std * sign * z.
  bool wide() const { return !tail_ && !point_mass_ && mass_ >= 0.5; }
  double alpha() const { return alpha_; }
  double beta() const { return beta_; }
  double sign() const { return sign_; }
  // The low bound when the (unmirrored) law sits at a, else the high one.
  bool point_at_low() const { return sign_ > 0; }

  double operator()(std::uint32_t hi, std::uint32_t lo) const {
    namespace nm = normal_math;
    const std::uint64_t k = ((std::uint64_t{hi} << 32) | lo) >> 11;                // 53 bits
    const double v = (static_cast<double>(k) + 0.5) * 0x1p-53;                     // (0,1)
    const double w = (static_cast<double>((1ull << 53) - 1 - k) + 0.5) * 0x1p-53;  // 1 - v, exact
    double x;
    if (tail_) {
      const double lq = lqa_ + std::log1p(-v * m_frac_);
      x = -nm::ndtri_lower_log(lq, std::exp(lq));
    } else {
      const double t = pa_ + v * mass_;
      x = t <= 0.5 ? nm::ndtri_lower(t) : -nm::ndtri_lower(qb_ + w * mass_);
    }
    x = std::min(std::max(x, alpha_), beta_);
    return mean_ + std_ * (sign_ * x);
  }

 private:
  double mean_, std_, alpha_ = 0, beta_ = 0, sign_ = 1.0;
  bool tail_ = false, point_mass_ = false;
  double lqa_ = 0, m_frac_ = 0, pa_ = 0, qb_ = 0, mass_ = 0;
};

inline void check_trunc_args(double mean, double std, double a, double b) {
  check_finite("trunc_normal_", "mean", mean);
  check_finite("trunc_normal_", "std", std);
  if (std::isnan(a) || std::isnan(b))
    throw value_error("trunc_normal_: the bounds a and b must not be NaN");
  if (!(std > 0)) throw value_error(cat("trunc_normal_: std must be > 0, got ", std));
  if (!(a < b)) throw value_error(cat("trunc_normal_: expects a < b, got a=", a, " b=", b));
}

}  // namespace detail

template <class T>
void trunc_normal_fill(T* out, std::size_t n, double mean, double std, double a, double b,
                       Generator& gen) {
  static_assert(is_real_v<T>);
  detail::check_trunc_args(mean, std, a, b);
  // The finite values of T inside [a, b]; mean and std must be values of T themselves (as the
  // other fills require of their parameters).
  const double tmax = static_cast<double>(std::numeric_limits<T>::max());
  if (!(std::fabs(mean) <= tmax && std <= tmax))
    throw value_error(detail::cat("trunc_normal_: mean and std must be finite in the dtype (max ",
                                  tmax, "), got mean=", mean, " std=", std));
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
  const detail::TruncNormalSampler sampler(mean, std, a, b);
  auto sample = [&](std::uint32_t hi, std::uint32_t lo) -> T {
    if (sampler.point_mass()) return sampler.point_at_low() ? lo_t : hi_t;
    const T y = static_cast<T>(sampler(hi, lo));
    return std::min(std::max(y, lo_t), hi_t);
  };
  if constexpr (std::is_same_v<T, float>) {
    if (sampler.wide()) {
      // float32 on a wide interval: counter-based rejection from the normal stream. Block k
      // (elements 2k, 2k + 1) gives 4 normals by Box–Muller (as the float32 normal fill):
      // element 2k takes z0 if it lies in [alpha, beta], else z2; element 2k + 1 takes z1, else
      // z3; when both of its draws fail (probability (1 - mass)^2: 0.2 % on [-2, 2]) it takes
      // the exact inverse-CDF sampler on a word pair of the same counter under a second key
      // (seed + K). Each draw is independent of the others, so the law is exactly the normal's
      // restricted to [a, b]; an element depends on its block alone (any chunking, any thread
      // count), and the fill uses 2 elements per block as the exact sampler does.
      const std::uint64_t seed = gen.seed(), stream = gen.stream();
      const std::array<std::uint32_t, 2> key2 = {
          static_cast<std::uint32_t>(seed) + 0x3C6EF372u,
          static_cast<std::uint32_t>(seed >> 32) + 0xA54FF53Au};
      // The bounds as float thresholds that decide exactly as the double comparison would,
      // and the map to the output in float32 (as the normal fill computes mean + std z).
      float lo_z = static_cast<float>(sampler.alpha()), hi_z = static_cast<float>(sampler.beta());
      if (static_cast<double>(lo_z) < sampler.alpha())
        lo_z = std::nextafter(lo_z, std::numeric_limits<float>::infinity());
      if (static_cast<double>(hi_z) > sampler.beta())
        hi_z = std::nextafter(hi_z, -std::numeric_limits<float>::infinity());
      const float mu = static_cast<float>(mean), sd = static_cast<float>(sampler.sign() * std);
      detail::run_fill<2>(
          out, n, gen, [&](const philox::Batch& bt, int nb, float* dst, std::uint64_t blk) {
            alignas(64) float z[4][philox::B];
            for (int j = 0; j < philox::B; ++j) {
              transform::box_muller_f(bt.x0[j], bt.x1[j], z[0][j], z[1][j]);
              transform::box_muller_f(bt.x2[j], bt.x3[j], z[2][j], z[3][j]);
            }
            alignas(64) float y[2][philox::B];
            alignas(64) std::int32_t miss[2][philox::B];
            const float lz = lo_z, hz = hi_z, m = mu, s = sd, lt = lo_t, ht = hi_t;
            std::int32_t misses = 0;
            for (int e = 0; e < 2; ++e)
              for (int j = 0; j < philox::B; ++j) {
                const float a1 = z[e][j], a2 = z[2 + e][j];
                const bool ok1 = (lz <= a1) & (a1 <= hz), ok2 = (lz <= a2) & (a2 <= hz);
                const float v = ok1 ? a1 : a2;
                const float yv = m + s * v;
                y[e][j] = yv < lt ? lt : (yv > ht ? ht : yv);
                miss[e][j] = static_cast<std::int32_t>(!(ok1 | ok2));
                misses |= miss[e][j];
              }
            if (misses)
              for (int j = 0; j < nb; ++j)
                for (int e = 0; e < 2; ++e)
                  if (miss[e][j]) {
                    const std::uint64_t c = blk + static_cast<std::uint64_t>(j);
                    const auto w = philox::philox4x32_10(
                        {static_cast<std::uint32_t>(c), static_cast<std::uint32_t>(c >> 32),
                         static_cast<std::uint32_t>(stream),
                         static_cast<std::uint32_t>(stream >> 32)},
                        key2);
                    y[e][j] = sample(w[2 * e], w[2 * e + 1]);
                  }
            for (int j = 0; j < nb; ++j) {
              dst[2 * j] = y[0][j];
              dst[2 * j + 1] = y[1][j];
            }
          });
      return;
    }
  }
  detail::run_fill<2>(out, n, gen, [&](const philox::Batch& bt, int nb, T* dst) {
    for (int j = 0; j < nb; ++j) {
      dst[2 * j] = sample(bt.x0[j], bt.x1[j]);
      dst[2 * j + 1] = sample(bt.x2[j], bt.x3[j]);
    }
  });
}

// --- 16-bit outputs: IEEE binary16 (float16) and bfloat16, stored as their bit patterns. -------
// Values are computed in float32 or double and rounded to nearest, ties to even.
enum class Half { float16, bfloat16 };

namespace detail {

inline std::uint32_t f32_bits(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  return x;
}

}  // namespace detail

// float32 -> the 16-bit format, round to nearest even (overflow -> inf, NaN stays NaN).
inline std::uint16_t to_half(float f, Half h) {
  std::uint32_t x = detail::f32_bits(f);
  if (h == Half::bfloat16) {
    if ((x & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<std::uint16_t>((x >> 16) | 0x40u);
    return static_cast<std::uint16_t>((x + 0x7FFFu + ((x >> 16) & 1u)) >> 16);
  }
  const auto sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
  x &= 0x7FFFFFFFu;
  if (x >= 0x7F800000u) return sign | (x > 0x7F800000u ? 0x7E00u : 0x7C00u);  // NaN, inf
  if (x >= 0x477FF000u) return sign | 0x7C00u;  // >= 65520 rounds to inf
  if (x < 0x38800000u) {                        // below 2^-14: a subnormal or zero
    if (x < 0x33000000u) return sign;           // below 2^-25: rounds to zero
    const std::uint32_t m = (x & 0x7FFFFFu) | 0x800000u;
    const std::uint32_t shift = 126u - (x >> 23);  // 14 .. 24: m * 2^(e - 150) in units 2^-24
    std::uint32_t r = m >> shift;
    const std::uint32_t rem = m & ((1u << shift) - 1u), half = 1u << (shift - 1u);
    if (rem > half || (rem == half && (r & 1u))) ++r;
    return static_cast<std::uint16_t>(sign | r);
  }
  const std::uint32_t r = x - 0x38000000u;  // rebias the exponent (127 -> 15)
  return static_cast<std::uint16_t>(sign | ((r + 0xFFFu + ((r >> 13) & 1u)) >> 13));
}

// double -> the 16-bit format, rounded once (to nearest even): round to odd into float32 (24
// bits >= 11 + 2), then to nearest even, which equals the direct rounding.
inline std::uint16_t to_half(double d, Half h) {
  float f = static_cast<float>(d);
  if (std::isfinite(d) && static_cast<double>(f) != d) {
    if (std::fabs(static_cast<double>(f)) > std::fabs(d)) f = std::nextafter(f, 0.0f);
    std::uint32_t x = detail::f32_bits(f) | 1u;
    std::memcpy(&f, &x, 4);
  }
  return to_half(f, h);
}

inline double from_half(std::uint16_t v, Half h) {
  if (h == Half::bfloat16) {
    const std::uint32_t x = std::uint32_t{v} << 16;
    float f;
    std::memcpy(&f, &x, 4);
    return f;
  }
  const int e = (v >> 10) & 0x1F, m = v & 0x3FF;
  const double s = (v & 0x8000u) ? -1.0 : 1.0;
  if (e == 0) return s * std::ldexp(m, -24);
  if (e == 31) return m ? std::numeric_limits<double>::quiet_NaN() : s * HUGE_VAL;
  return s * std::ldexp(m + 1024, e - 25);
}

// The neighbours of a finite 16-bit value (sign-magnitude order).
inline std::uint16_t half_next_up(std::uint16_t v) {
  if (v == 0x8000u) return 1;
  return static_cast<std::uint16_t>((v & 0x8000u) ? v - 1 : v + 1);
}
inline std::uint16_t half_next_down(std::uint16_t v) {
  if (v == 0) return 0x8001u;
  return static_cast<std::uint16_t>((v & 0x8000u) ? v + 1 : v - 1);
}

// float32 values rounded into a 16-bit buffer (in parallel; out may not alias in).
// bfloat16 has its own branch-free loop (the compiler vectorizes it); it computes what
// to_half(f, Half::bfloat16) does.
inline void round_to_half(const float* in, std::uint16_t* out, std::size_t n, Half h) {
  parallel_for(static_cast<index_t>(n), 65536, [&](index_t i0, index_t i1) {
    if (h == Half::bfloat16) {
      for (index_t i = i0; i < i1; ++i) {
        std::uint32_t x;
        std::memcpy(&x, in + i, 4);
        const std::uint32_t r = (x + 0x7FFFu + ((x >> 16) & 1u)) >> 16;
        const std::uint32_t q = (x >> 16) | 0x40u;  // a NaN stays a (quiet) NaN
        out[i] = static_cast<std::uint16_t>((x & 0x7FFFFFFFu) > 0x7F800000u ? q : r);
      }
    } else {
      for (index_t i = i0; i < i1; ++i) out[i] = to_half(in[i], Half::float16);
    }
  });
}

// uniform_fill / normal_fill straight into a 16-bit buffer: each batch of float32 values (the
// values of the float32 fill, checked as for float32) is rounded to nearest even in cache, so the
// result is the float32 fill rounded, without a float32 buffer of the whole output.
namespace detail {
template <class Make>
void run_f32_fill(std::uint16_t* out, std::size_t n, Half h, Generator& gen, const Make& make) {
  run_fill<4>(out, n, gen, [&make, h](const philox::Batch& b, int, std::uint16_t* dst) {
    alignas(64) float t[4][philox::B];
    make(b, t);
    if (h == Half::bfloat16) {
      for (int j = 0; j < philox::B; ++j)
        for (int l = 0; l < 4; ++l) {
          std::uint32_t x;
          std::memcpy(&x, &t[l][j], 4);
          const std::uint32_t r = (x + 0x7FFFu + ((x >> 16) & 1u)) >> 16;
          const std::uint32_t q = (x >> 16) | 0x40u;  // a NaN stays a (quiet) NaN
          dst[4 * j + l] = static_cast<std::uint16_t>((x & 0x7FFFFFFFu) > 0x7F800000u ? q : r);
        }
    } else {
      for (int j = 0; j < philox::B; ++j)
        for (int l = 0; l < 4; ++l) dst[4 * j + l] = to_half(t[l][j], Half::float16);
    }
  });
}
}  // namespace detail

inline void uniform_fill(std::uint16_t* out, std::size_t n, Half h, double lo, double hi,
                         Generator& gen) {
  const auto [a, w] = detail::uniform_params<float>(lo, hi);
  detail::run_f32_fill(out, n, h, gen, detail::UniformF32{a, w});
}

inline void normal_fill(std::uint16_t* out, std::size_t n, Half h, double mean, double std,
                        Generator& gen) {
  const auto [mu, sd] = detail::normal_params<float>(mean, std);
  detail::run_f32_fill(out, n, h, gen, detail::NormalF32{mu, sd});
}

// The 16-bit element types as distinct types (the storage is their uint16 bit pattern), so that
// a TensorView<bfloat16_bits> reaches these fills through the initializers of init.hpp
// (kaiming_uniform_ on a bfloat16 weight computes its bound as for float32, then fills here).
struct float16_bits {
  std::uint16_t v;
};
struct bfloat16_bits {
  std::uint16_t v;
};
static_assert(sizeof(float16_bits) == 2 && sizeof(bfloat16_bits) == 2);

namespace detail {
inline std::uint16_t* raw_bits(float16_bits* p) { return reinterpret_cast<std::uint16_t*>(p); }
inline std::uint16_t* raw_bits(bfloat16_bits* p) { return reinterpret_cast<std::uint16_t*>(p); }
inline Half format_of(const float16_bits*) { return Half::float16; }
inline Half format_of(const bfloat16_bits*) { return Half::bfloat16; }
}  // namespace detail

inline void uniform_fill(float16_bits* out, std::size_t n, double lo, double hi, Generator& gen) {
  uniform_fill(detail::raw_bits(out), n, detail::format_of(out), lo, hi, gen);
}
inline void normal_fill(float16_bits* out, std::size_t n, double mean, double std, Generator& gen) {
  normal_fill(detail::raw_bits(out), n, detail::format_of(out), mean, std, gen);
}
inline void uniform_fill(bfloat16_bits* out, std::size_t n, double lo, double hi, Generator& gen) {
  uniform_fill(detail::raw_bits(out), n, detail::format_of(out), lo, hi, gen);
}
inline void normal_fill(bfloat16_bits* out, std::size_t n, double mean, double std,
                        Generator& gen) {
  normal_fill(detail::raw_bits(out), n, detail::format_of(out), mean, std, gen);
}

// The truncated normal in a 16-bit format, exact after rounding: the sample is drawn in double
// from N(mean, std^2) on [a', b'] and rounded once. [lo, hi] are the 16-bit values inside
// [a, b], and a' = max(a, lower rounding edge of lo), b' = min(b, upper rounding edge of hi): so
// no sample rounds outside [a, b], and each value v gets exactly the mass of its rounding cell
// inside [a', b'] (nothing piles up at lo or hi, as clamping would do). Same blocks as the
// float / double fill (2 elements per block).
inline void trunc_normal_fill(std::uint16_t* out, std::size_t n, Half h, double mean, double std,
                              double a, double b, Generator& gen) {
  detail::check_trunc_args(mean, std, a, b);
  const double hmax = from_half(h == Half::bfloat16 ? 0x7F7Fu : 0x7BFFu, h);
  const double ca = std::max(a, -hmax), cb = std::min(b, hmax);
  if (!(ca <= cb))
    throw value_error(
        detail::cat("trunc_normal_: no finite value of the dtype lies in [", a, ", ", b, "]"));
  std::uint16_t lo = to_half(ca, h), hi = to_half(cb, h);
  if (from_half(lo, h) < ca) lo = half_next_up(lo);
  if (from_half(hi, h) > cb) hi = half_next_down(hi);
  const double lo_v = from_half(lo, h), hi_v = from_half(hi, h);
  if (!(lo_v <= hi_v))
    throw value_error(
        detail::cat("trunc_normal_: no finite value of the dtype lies in [", a, ", ", b, "]"));
  // The outer rounding edges of the cells of lo and hi (midpoints to their outer neighbours;
  // at the largest finite value the cell is cut by [a, b] itself).
  double a2 = ca, b2 = cb;
  if (lo_v > -hmax) a2 = std::max(a2, 0.5 * (lo_v + from_half(half_next_down(lo), h)));
  if (hi_v < hmax) b2 = std::min(b2, 0.5 * (hi_v + from_half(half_next_up(hi), h)));
  // a2 <= lo_v <= hi_v <= b2; a2 == b2 only when lo == hi, and then the sampler is not used.
  const detail::TruncNormalSampler sampler(mean, std, a2, b2);
  auto sample = [&](std::uint32_t x, std::uint32_t y) -> std::uint16_t {
    if (lo == hi) return lo;
    if (sampler.point_mass()) return sampler.point_at_low() ? lo : hi;
    const std::uint16_t v = to_half(sampler(x, y), h);
    const double d = from_half(v, h);  // a tie exactly at an edge may round outward
    return d < lo_v ? lo : d > hi_v ? hi : v;
  };
  detail::run_fill<2>(out, n, gen, [&](const philox::Batch& bt, int nb, std::uint16_t* dst) {
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
