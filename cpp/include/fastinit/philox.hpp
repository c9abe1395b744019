// fastinit/philox.hpp — the Philox4x32-10 engine: 128-bit counter + 64-bit key -> 128 bits.
//
// Engine: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11).
// One call maps a 128-bit counter and a 64-bit key to 128 random bits (a "block" of 4 words):
//   key     = (seed_lo, seed_hi)
//   counter = (block_lo, block_hi, stream_lo, stream_hi)
// Legend: c counter words, k key words, B blocks per Batch (structure of arrays x0..x3, one
// array per word). philox4x32_10 is the published scalar form (checked against the Random123
// known-answer vectors by tests/cpp); generate() fills a Batch of B consecutive blocks, with AVX2
// when the compiler targets it (the same bits: integer arithmetic only).
#pragma once

#include <array>
#include <cstdint>
#if defined(__AVX2__) && !defined(FASTINIT_SCALAR_PHILOX)
#include <immintrin.h>
#endif

namespace fastinit {

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

}  // namespace fastinit
