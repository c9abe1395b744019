// fastinit/random.hpp — the counter-based generator and fastinit's own transforms (umbrella).
//
// One header per layer, from the engine up:
//   philox.hpp      Philox4x32-10: (counter, key) -> 4 random words; Batch of B blocks
//   generator.hpp   Generator: seed, stream, offset; reserve, spawn (the seeded example is there)
//   transforms.hpp  words -> uniform [0, 1) and Box–Muller normals, float and double
//   special.hpp     Q(x), log Q(x), erfcx, the inverse normal CDF (for the truncated normal)
//   fill.hpp        random_bits, uniform_fill, normal_fill, trunc_normal_fill, random_u64, bounded
// Including this header includes them all.
#pragma once

#include "fill.hpp"
#include "generator.hpp"
#include "philox.hpp"
#include "special.hpp"
#include "transforms.hpp"
