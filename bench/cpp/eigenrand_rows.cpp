// EigenRand's vectorized normal and truncated normal (its Mersenne Twister engine vectorized as
// Vmt19937_64), with one engine per thread and the buffer split in equal halves.
#include <thread>
#include <vector>

#include "harness.hpp"

#ifdef BENCH_HAVE_EIGENRAND
#include <Eigen/Dense>
#include <EigenRand/EigenRand>

namespace bench {

namespace {
int n_threads = 1;
std::vector<Eigen::Rand::Vmt19937_64>& engines() {
  static std::vector<Eigen::Rand::Vmt19937_64> e;
  return e;
}

template <class Fill>
void split(float* out, std::size_t n, Fill fill) {
  if (n_threads == 1) {
    fill(out, n, engines()[0]);
    return;
  }
  std::vector<std::thread> pool;
  const std::size_t per = (n / n_threads + 63) / 64 * 64;
  for (int t = 0; t < n_threads; ++t) {
    const std::size_t b = std::min(n, per * t), e = std::min(n, per * (t + 1));
    pool.emplace_back([=] { fill(out + b, e - b, engines()[t]); });
  }
  for (auto& th : pool) th.join();
}
}  // namespace

bool eigenrand_available() { return true; }
void eigenrand_setup(int threads) {
  n_threads = threads;
  for (int t = static_cast<int>(engines().size()); t < threads; ++t)
    engines().emplace_back(12345 + t);
}
void eigenrand_normal(float* out, std::size_t n) {
  split(out, n, [](float* o, std::size_t m, Eigen::Rand::Vmt19937_64& urng) {
    Eigen::Map<Eigen::ArrayXf> a(o, static_cast<Eigen::Index>(m));
    a = Eigen::Rand::normalLike(a, urng);
  });
}
void eigenrand_trunc_normal(float* out, std::size_t n) {
  split(out, n, [](float* o, std::size_t m, Eigen::Rand::Vmt19937_64& urng) {
    Eigen::Map<Eigen::ArrayXf> a(o, static_cast<Eigen::Index>(m));
    a = Eigen::Rand::truncatedNormalLike(a, urng, 0.0f, 1.0f,
                                         Eigen::Rand::Support<float>{-2.0f, 2.0f});
  });
}

}  // namespace bench

#else

namespace bench {
bool eigenrand_available() { return false; }
void eigenrand_setup(int) {}
void eigenrand_normal(float*, std::size_t) {}
void eigenrand_trunc_normal(float*, std::size_t) {}
}  // namespace bench

#endif
