// The comparison program: the machine's limits (fp32 FMA peak, write bandwidth) and the fills of
// fastinit and EigenRand, measured round after round in one process (interleaved, so that a
// change of the machine's load hits every row alike).
//
//   bench_rand <n> <rounds> <threads>...
// prints one line per measurement:  time <row> <threads> <round> <seconds> <units> <cpu>
// where units is what the row did (flops, bytes or elements) and cpu the calling thread's CPU
// seconds (for 1-thread rows: what the row cost when the machine is shared, its wall time minus
// the time other processes held the core); bench/bench_peak.py reads them.
#include <immintrin.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}
double cpu0 = 0;  // cpu_now() when the timed call began

// Runs body(t) on `threads` threads (t = 0 on the caller) and returns the wall time.
double on_threads(int threads, const std::function<void(int)>& body) {
  cpu0 = cpu_now();
  const double t0 = now();
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(body, t);
  body(0);
  for (auto& th : pool) th.join();
  return now() - t0;
}

// 12 independent chains of 8-lane FMAs: enough to cover the FMA latency (4-5 cycles) on both
// FMA ports. Returns the flops done.
constexpr long kFmaIters = 20000000;
volatile float sink;
void fma_loop() {
  __m256 acc[12];
  for (int k = 0; k < 12; ++k) acc[k] = _mm256_set1_ps(1.0f + 0.01f * k);
  const __m256 b = _mm256_set1_ps(0.9999999f), c = _mm256_set1_ps(1e-7f);
  for (long i = 0; i < kFmaIters; ++i)
    for (int k = 0; k < 12; ++k) acc[k] = _mm256_fmadd_ps(acc[k], b, c);
  __m256 s = acc[0];
  for (int k = 1; k < 12; ++k) s = _mm256_add_ps(s, acc[k]);
  float out[8];
  _mm256_storeu_ps(out, s);
  sink = out[0];
}
constexpr double kFmaFlops = double(kFmaIters) * 12 * 8 * 2;

// Writes of a float buffer: non-temporal (streaming) stores, and ordinary stores (what a fill
// does: the cache line is read for ownership first).
void write_stream(float* p, std::size_t n) {
  const __m256 v = _mm256_set1_ps(1.0f);
  for (std::size_t i = 0; i + 8 <= n; i += 8) _mm256_stream_ps(p + i, v);
  _mm_sfence();
}
void write_plain(float* p, std::size_t n) {
  const __m256 v = _mm256_set1_ps(2.0f);
  for (std::size_t i = 0; i + 8 <= n; i += 8) _mm256_store_ps(p + i, v);
}

void report(const char* row, int threads, int round, double seconds, double units) {
  std::printf("time %s %d %d %.9g %.9g %.9g\n", row, threads, round, seconds, units,
              cpu_now() - cpu0);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s <n> <rounds> <threads>...\n", argv[0]);
    return 2;
  }
  const std::size_t n = std::strtoull(argv[1], nullptr, 10);
  const int rounds = std::atoi(argv[2]);
  std::vector<int> threads;
  for (int i = 3; i < argc; ++i) threads.push_back(std::atoi(argv[i]));
  if (n < 64 || rounds < 1) return 2;
  float* buf = static_cast<float*>(std::aligned_alloc(64, (n * 4 + 63) / 64 * 64));
  std::memset(buf, 0, n * 4);  // fault every page in before anything is timed
  const bool eigenrand = bench::eigenrand_available();
  std::printf("eigenrand %d\n", eigenrand ? 1 : 0);
  // One untimed call of each fill (its code and its thread pool warm).
  for (const int t : threads) {
    bench::fastinit_setup(t);
    bench::fastinit_normal(buf, n);
    bench::fastinit_trunc_normal(buf, n);
    if (eigenrand) {
      bench::eigenrand_setup(t);
      bench::eigenrand_normal(buf, n);
      bench::eigenrand_trunc_normal(buf, n);
    }
  }
  for (int r = 0; r < rounds; ++r) {
    for (const int t : threads) {
      report("fma_peak", t, r, on_threads(t, [](int) { fma_loop(); }), kFmaFlops * t);
      const std::size_t per = (n / t + 7) / 8 * 8;
      auto part = [&](int k) {
        const std::size_t b = std::min(n, per * k), e = std::min(n, per * (k + 1));
        return std::make_pair(buf + b, e - b);
      };
      report("write_stream", t, r,
             on_threads(t,
                        [&](int k) {
                          const auto [p, m] = part(k);
                          write_stream(p, m);
                        }),
             4.0 * n);
      report("write_plain", t, r,
             on_threads(t,
                        [&](int k) {
                          const auto [p, m] = part(k);
                          write_plain(p, m);
                        }),
             4.0 * n);
      bench::fastinit_setup(t);
      cpu0 = cpu_now();
      double t0 = now();
      bench::fastinit_normal(buf, n);
      report("fastinit_normal", t, r, now() - t0, double(n));
      if (eigenrand) {
        bench::eigenrand_setup(t);
        cpu0 = cpu_now();
        t0 = now();
        bench::eigenrand_normal(buf, n);
        report("eigenrand_normal", t, r, now() - t0, double(n));
      }
      cpu0 = cpu_now();
      t0 = now();
      bench::fastinit_trunc_normal(buf, n);
      report("fastinit_trunc_normal", t, r, now() - t0, double(n));
      if (eigenrand) {
        cpu0 = cpu_now();
        t0 = now();
        bench::eigenrand_trunc_normal(buf, n);
        report("eigenrand_trunc_normal", t, r, now() - t0, double(n));
      }
    }
  }
  std::free(buf);
  return 0;
}
