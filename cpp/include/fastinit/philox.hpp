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
// 4 blocks per AVX2 register, each 32-bit word in the low half of a 64-bit lane: vpmuludq then
// gives the whole 32x32->64 product of each lane, its high word is one shift away and its low
// word is already in place (the garbage above it is never read: vpmuludq reads the low halves
// only, and the words are packed at the end). Two groups of 4 blocks are interleaved to cover
// the multiplier's latency. Integer arithmetic only: the same bits as the scalar form, which
// tests/cpp checks.
inline __m256i pack_low_words(__m256i a, __m256i b) {  // low words of a's then b's 4 lanes
  const __m256i idx = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  return _mm256_permute2x128_si256(_mm256_permutevar8x32_epi32(a, idx),
                                   _mm256_permutevar8x32_epi32(b, idx), 0x20);
}

inline void generate(std::uint64_t seed, std::uint64_t stream, std::uint64_t first, Batch& o) {
  const __m256i m0 = _mm256_set1_epi64x(M0), m1 = _mm256_set1_epi64x(M1);
  const __m256i s_lo = _mm256_set1_epi64x(static_cast<std::uint32_t>(stream));
  const __m256i s_hi = _mm256_set1_epi64x(static_cast<std::uint32_t>(stream >> 32));
  const __m256i iota = _mm256_setr_epi64x(0, 1, 2, 3), four = _mm256_set1_epi64x(4);
  for (int v = 0; v < B; v += 8) {
    // the 64-bit counters of blocks v..v+3 (a) and v+4..v+7 (b)
    const __m256i ca =
        _mm256_add_epi64(_mm256_set1_epi64x(static_cast<long long>(first + v)), iota);
    const __m256i cb = _mm256_add_epi64(ca, four);
    __m256i a0 = ca, a1 = _mm256_srli_epi64(ca, 32), a2 = s_lo, a3 = s_hi;
    __m256i b0 = cb, b1 = _mm256_srli_epi64(cb, 32), b2 = s_lo, b3 = s_hi;
    std::uint32_t k0 = static_cast<std::uint32_t>(seed),
                  k1 = static_cast<std::uint32_t>(seed >> 32);
    for (int r = 0; r < 10; ++r) {
      const __m256i key0 = _mm256_set1_epi64x(k0), key1 = _mm256_set1_epi64x(k1);
      const __m256i pa0 = _mm256_mul_epu32(a0, m0), pa1 = _mm256_mul_epu32(a2, m1);
      const __m256i pb0 = _mm256_mul_epu32(b0, m0), pb1 = _mm256_mul_epu32(b2, m1);
      a0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pa1, 32), a1), key0);
      a2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pa0, 32), a3), key1);
      a1 = pa1;
      a3 = pa0;
      b0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pb1, 32), b1), key0);
      b2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pb0, 32), b3), key1);
      b1 = pb1;
      b3 = pb0;
      k0 += W0;
      k1 += W1;
    }
    _mm256_store_si256(reinterpret_cast<__m256i*>(o.x0 + v), pack_low_words(a0, b0));
    _mm256_store_si256(reinterpret_cast<__m256i*>(o.x1 + v), pack_low_words(a1, b1));
    _mm256_store_si256(reinterpret_cast<__m256i*>(o.x2 + v), pack_low_words(a2, b2));
    _mm256_store_si256(reinterpret_cast<__m256i*>(o.x3 + v), pack_low_words(a3, b3));
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
