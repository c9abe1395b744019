// fastinit/fill.hpp — random fills of flat buffers: bits, uniform, normal, truncated normal.
//
// Each fill reserves the Philox blocks it needs from a Generator (generator.hpp) and maps them
// through a transform (transforms.hpp), in parallel pieces of whole blocks: element i depends
// only on block offset + i / EPB, so the bits do not depend on the thread count or the chunking.
// Legend: out the buffer of n elements; EPB elements per block (uniform / normal: 4 in float,
// 2 in double; truncated normal and 64-bit words: 2); gen the Generator, whose offset advances
// by ceil(n / EPB).
//   truncated normal: exact inverse-CDF sampling in double, log-space in the tails (special.hpp)
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "errors.hpp"
#include "generator.hpp"
#include "parallel.hpp"
#include "philox.hpp"
#include "special.hpp"
#include "transforms.hpp"
#include "types.hpp"

namespace fastinit {

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
  // Box–Muller's |z| stays below 9 (sqrt(-2 ln 2^-53) = 8.6): every sample is finite in T
  // exactly when |mean| + 9 std is (the uniform family refuses the same way).
  if (!(std::fabs(mean) + 9.0 * std <= double(std::numeric_limits<T>::max())))
    throw value_error(detail::cat("normal_: mean + 9 std must be finite in the dtype (max ",
                                  double(std::numeric_limits<T>::max()), "), got mean=", mean,
                                  " std=", std));
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
