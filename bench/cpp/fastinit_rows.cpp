// fastinit's fills as the Python module runs them (its thread pool, one Generator).
#include <fastinit/fill.hpp>
#include <fastinit/parallel.hpp>

#include "harness.hpp"

namespace bench {

namespace {
fastinit::Generator& gen() {
  static fastinit::Generator g(12345);
  return g;
}
}  // namespace

void fastinit_setup(int threads) { fastinit::set_num_threads(threads); }
void fastinit_normal(float* out, std::size_t n) { fastinit::normal_fill(out, n, 0.0, 1.0, gen()); }
void fastinit_trunc_normal(float* out, std::size_t n) {
  fastinit::trunc_normal_fill(out, n, 0.0, 1.0, -2.0, 2.0, gen());
}

}  // namespace bench
