// The comparison program's shared declarations: the timed kernels of each translation unit.
//
// fastinit_rows.cpp is compiled like fastinit's AVX2 module (x86-64-v3, -ffp-contract=off);
// eigenrand_rows.cpp with the same target and the compiler's defaults (EigenRand may fuse);
// machine_rows.cpp holds the FMA-peak and write-bandwidth loops and main().
#pragma once

#include <cstddef>
#include <cstdint>

namespace bench {

// Each kernel fills out[0, n) once with `threads` threads; the state (generators, thread
// counts) is prepared by the matching *_setup call, outside the timing.
void fastinit_setup(int threads);
void fastinit_normal(float* out, std::size_t n);
void fastinit_trunc_normal(float* out, std::size_t n);  // N(0, 1) on [-2, 2], exact

bool eigenrand_available();
void eigenrand_setup(int threads);
void eigenrand_normal(float* out, std::size_t n);
void eigenrand_trunc_normal(float* out, std::size_t n);  // TruncNormalGen on [-2, 2]

}  // namespace bench
