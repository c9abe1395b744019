// fuzz/fuzz_core.cpp — one fuzz target for the C++ entry points of fastinit's core.
//
// The first byte picks an area; the rest of the input is read as a stream of small integers,
// shapes, names and doubles (a double is either raw bits or one of the edge values below: NaN,
// ±inf, subnormals, ±0, 1e38, FLT_MAX, DBL_MAX, ...). Each area calls the core the way the Python
// bindings would and then checks what came back:
//   * a call either returns or throws fastinit's documented exceptions (std::invalid_argument:
//     value_error / shape_error / nonfinite_error / dtype_error, and std::bad_alloc: size_error);
//     any other exception is a finding;
//   * what it returns is right: fills stay inside their interval, are finite when the parameters
//     say they must be, are bit-identical for 1 and 2 threads and do not depend on the chunking;
//     the generator's offset advances by exactly the blocks used; allocation sizes that overflow
//     are refused before any allocation;
//   * ASan / UBSan (compiled in) catch memory errors and undefined behaviour, libFuzzer's
//     -timeout catches hangs.
//
// Build and run with clang (libFuzzer): fuzz/build.sh (see fuzz/README.md). Built with
// -DFASTINIT_FUZZ_STANDALONE it gets a main() that replays files and folders given on the command
// line (any compiler: this is how the corpus and the regressions run as a test with g++).
#include <fastinit/clip.hpp>
#include <fastinit/diagnostics.hpp>
#include <fastinit/errors.hpp>
#include <fastinit/experiment.hpp>
#include <fastinit/fit.hpp>
#include <fastinit/init.hpp>
#include <fastinit/lsuv.hpp>
#include <fastinit/mlp.hpp>
#include <fastinit/optim.hpp>
#include <fastinit/parallel.hpp>
#include <fastinit/random.hpp>
#include <fastinit/theory.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace fi = fastinit;

namespace {

[[noreturn]] void finding(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "fuzz_core: FINDING: %s %s\n", what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}
// A double in full (std::to_string prints 6 decimals: 1e-300 as 0.000000).
std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
#define FUZZ_CHECK(cond, msg)                          \
  do {                                                 \
    if (!(cond)) finding("check failed: " #cond, msg); \
  } while (0)

// ------------------------------------------------------------------------------ input reader
class Input {
 public:
  Input(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  bool empty() const { return i_ >= n_; }
  std::uint8_t u8() { return i_ < n_ ? d_[i_++] : 0; }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) v |= std::uint32_t{u8()} << (8 * k);
    return v;
  }
  // (Every read is its own statement: the order in which function arguments are evaluated is
  // unspecified, and an input must mean the same with every compiler.)
  std::uint64_t u64() {
    const std::uint64_t lo = u32();
    const std::uint64_t hi = u32();
    return lo | (hi << 32);
  }
  bool flag() { return u8() & 1; }
  // An integer in [lo, hi].
  std::int64_t range(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    std::uint64_t v;
    if (span > 0xFFFF) {
      v = u32();
    } else {
      const std::uint64_t lo = u8();
      const std::uint64_t hi = u8();
      v = lo | (hi << 8);
    }
    return lo + static_cast<std::int64_t>(span ? v % span : v);
  }
  // A double: mostly edge values and small "reasonable" numbers, sometimes raw bits.
  double f64() {
    static const double edge[] = {0.0,
                                  -0.0,
                                  1.0,
                                  -1.0,
                                  0.5,
                                  2.0,
                                  -2.0,
                                  1e-3,
                                  0.01,
                                  0.1,
                                  3.0,
                                  10.0,
                                  1e38,
                                  -1e38,
                                  3.4e38,
                                  1e39,
                                  1e300,
                                  -1e300,
                                  std::numeric_limits<double>::quiet_NaN(),
                                  std::numeric_limits<double>::infinity(),
                                  -std::numeric_limits<double>::infinity(),
                                  std::numeric_limits<double>::denorm_min(),
                                  -std::numeric_limits<double>::denorm_min(),
                                  std::numeric_limits<double>::min(),
                                  double(std::numeric_limits<float>::denorm_min()),
                                  double(FLT_MAX),
                                  DBL_MAX,
                                  -DBL_MAX,
                                  1e-300,
                                  40.0,
                                  1000.0};
    const std::uint8_t sel = u8();
    if (sel < 128) return edge[sel % (sizeof edge / sizeof edge[0])];
    if (sel < 224) return static_cast<double>(static_cast<std::int8_t>(u8())) / 16.0;
    double d;
    const std::uint64_t b = u64();
    std::memcpy(&d, &b, 8);
    return d;
  }
  std::string name(const std::vector<std::string>& valid) {
    const std::uint8_t sel = u8();
    if (sel < 240 && !valid.empty()) return valid[sel % valid.size()];
    std::string s;
    const int len = u8() % 12;
    for (int k = 0; k < len; ++k) s.push_back(static_cast<char>(u8()));
    return s;
  }
  // An enum through its names (a random, usually invalid, name now and then: value_error).
  template <class E>
  E named() {
    return fi::from_name<E>(name(fi::enum_names<E>::names()));
  }

 private:
  const std::uint8_t* d_;
  std::size_t n_, i_ = 0;
};

// ------------------------------------------------------------------------------ helpers
template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

// Runs f with 1 thread and with 2, and returns whether both runs produced the same result.
struct Threads {
  explicit Threads(int n) : saved(fi::get_num_threads()) { fi::set_num_threads(n); }
  ~Threads() { fi::set_num_threads(saved); }
  int saved;
};

// A shape of ndim in [0, 5] with dims in [0, 9] (sometimes one large dim), numel <= cap.
std::vector<std::int64_t> small_shape(Input& in, std::size_t cap) {
  const int nd = static_cast<int>(in.range(0, 5));
  std::vector<std::int64_t> s;
  s.reserve(static_cast<std::size_t>(nd));
  std::size_t numel = 1;
  for (int k = 0; k < nd; ++k) {
    std::int64_t d = in.range(0, 9);
    if (in.u8() == 0xFF) d = in.range(0, 20000);
    if (d != 0 && numel * static_cast<std::size_t>(d) > cap) d = 1;
    numel *= static_cast<std::size_t>(d);
    s.push_back(d);
  }
  return s;
}

std::size_t numel_of(const std::vector<std::int64_t>& s) {
  std::size_t n = 1;
  for (auto d : s) n *= static_cast<std::size_t>(d);
  return n;
}

// Set FUZZ_SKIP_TRUNC=1 to leave trunc_normal_ out while its known far-tail finding is open, so
// that the fuzzer spends its time elsewhere.
bool skip_trunc() {
  static const bool skip = std::getenv("FUZZ_SKIP_TRUNC") != nullptr;
  return skip;
}

// ------------------------------------------------------------------------------ areas
// 0: the plain fills, with their postconditions.
template <class T>
void area_fills(Input& in) {
  const int kind = in.u8() % 4;
  if (kind == 2 && skip_trunc()) return;
  std::size_t n = static_cast<std::size_t>(in.range(0, 300));
  if (in.u8() == 0xFF) n = static_cast<std::size_t>(in.range(0, 80000));  // reaches the pool
  const double p0 = in.f64();
  const double p1 = in.f64();
  const double p2 = in.f64();
  const double p3 = in.f64();
  const std::uint64_t seed = in.u64();
  const std::uint64_t stream = in.u64();
  std::uint64_t offset = in.u64();
  if (in.u8() < 200) offset %= 1000;  // mostly far from the end of the stream
  fi::Generator g1(seed, stream, offset), g2(seed, stream, offset);
  std::vector<T> a(n), b(n);
  bool ok = true;
  try {
    Threads t(1);
    switch (kind) {
      case 0: fi::uniform_fill(a.data(), n, p0, p1, g1); break;
      case 1: fi::normal_fill(a.data(), n, p0, p1, g1); break;
      case 2: fi::trunc_normal_fill(a.data(), n, p0, p1, p2, p3, g1); break;
      default:
        fi::random_u64(reinterpret_cast<std::uint64_t*>(a.data()), n * sizeof(T) / 8, g1);
        break;
    }
  } catch (const std::invalid_argument&) {
    ok = false;
  }
  // The same call with 2 threads and split in two halves: the same bits (or the same refusal).
  bool ok2 = true;
  try {
    Threads t(2);
    switch (kind) {
      case 0: fi::uniform_fill(b.data(), n, p0, p1, g2); break;
      case 1: fi::normal_fill(b.data(), n, p0, p1, g2); break;
      case 2: fi::trunc_normal_fill(b.data(), n, p0, p1, p2, p3, g2); break;
      default:
        fi::random_u64(reinterpret_cast<std::uint64_t*>(b.data()), n * sizeof(T) / 8, g2);
        break;
    }
  } catch (const std::invalid_argument&) {
    ok2 = false;
  }
  FUZZ_CHECK(ok == ok2, "a fill was refused with one thread count and not the other");
  if (!ok) {
    FUZZ_CHECK(g1.offset() == offset || n == 0 || kind == 3, "a refused fill moved the generator");
    return;
  }
  FUZZ_CHECK(same_bits(a, b), "a fill differs between 1 and 2 threads");
  const std::size_t epb = kind == 0   ? (sizeof(T) == 4 ? 4 : 2)
                          : kind == 1 ? (sizeof(T) == 4 ? 4 : 2)
                                      : 2;
  const std::size_t count = kind == 3 ? n * sizeof(T) / 8 : n;
  const std::uint64_t blocks = (count + epb - 1) / epb;
  FUZZ_CHECK(g1.offset() == offset + blocks, "the offset did not advance by the blocks used");
  for (std::size_t i = 0; i < n && kind != 3; ++i) {
    const double v = static_cast<double>(a[i]);
    if (kind == 0) {
      // U[a, b): inside [a, b] in T (rounding may reach b) whenever [a, b] is representable in T.
      const double lo = p0, hi = p1;
      if (std::fabs(lo) <= double(std::numeric_limits<T>::max()) &&
          std::fabs(hi) <= double(std::numeric_limits<T>::max())) {
        FUZZ_CHECK(std::isfinite(v),
                   "uniform_ with bounds representable in the dtype gave a non-finite value: a=" +
                       num(lo) + " b=" + num(hi));
        FUZZ_CHECK(v >= double(static_cast<T>(lo)) && v <= double(static_cast<T>(hi)),
                   "uniform_ left [a, b]");
      }
    } else if (kind == 1) {
      // Box–Muller radius <= 8.5: |x - mean| <= 8.5 std (+ rounding); finite when that fits in T.
      const double bound = std::fabs(p0) + 8.6 * p1;
      if (bound < 0.5 * double(std::numeric_limits<T>::max()))
        FUZZ_CHECK(std::isfinite(v), "normal_ gave a non-finite value for finite mean/std");
    } else if (kind == 2) {
      // Never outside [a, b], never NaN, never infinite (clamped into T's finite range).
      FUZZ_CHECK(std::isfinite(v), "trunc_normal_ gave a non-finite value: v=" + num(v) +
                                       " mean=" + num(p0) + " std=" + num(p1) + " a=" + num(p2) +
                                       " b=" + num(p3));
      FUZZ_CHECK(v >= p2 && v <= p3,
                 "trunc_normal_ outside [a, b]: v=" + num(v) + " a=" + num(p2) + " b=" + num(p3));
    }
  }
}

// 1: every initializer on an N-D buffer with fuzzed shape, parameters, names and fan overrides.
template <class T>
void area_init(Input& in) {
  const auto shape = small_shape(in, 1 << 14);
  const std::size_t n = numel_of(shape);
  std::vector<T> buf(n + 1);
  const T canary = static_cast<T>(-12345.0);
  buf[n] = canary;  // nothing may write past the end
  fi::TensorView<T> w{buf.data(), shape};
  const std::uint64_t seed = in.u64();
  const std::uint64_t stream = in.u64();
  const std::uint64_t offset = in.u64() % 4096;
  fi::Generator g(seed, stream, offset);
  fi::init::FanOverride ov;
  if (in.flag()) ov.fan_in = in.f64();
  if (in.flag()) ov.fan_out = in.f64();
  const std::vector<std::string> modes = {"fan_in", "fan_out", "fan_avg", "fan_geo_avg"};
  const auto& gains = fi::init::gain_names();
  const auto& dists = fi::init::distribution_names();
  const int which = in.u8() % 24;
  const double x0 = in.f64();
  const double x1 = in.f64();
  const double x2 = in.f64();
  const double x3 = in.f64();
  const std::int64_t groups = in.range(-2, 6);
  const std::string mode = in.name(modes);
  const std::string nonlinearity = in.name(gains);
  const std::string dist = in.name(dists);
  const bool with_param = in.flag();
  if (which == 2 && skip_trunc()) return;
  bool returned = false;
  try {
    namespace I = fi::init;
    switch (which) {
      case 0: I::uniform_(w, g, x0, x1); break;
      case 1: I::normal_(w, g, x0, x1); break;
      case 2: I::trunc_normal_(w, g, x0, x1, x2, x3); break;
      case 3: I::constant_(w, x0); break;
      case 4: I::ones_(w); break;
      case 5: I::zeros_(w); break;
      case 6: I::eye_(w); break;
      case 7: I::dirac_(w, groups); break;
      case 8: I::xavier_uniform_(w, g, x0, ov); break;
      case 9: I::xavier_normal_(w, g, x0, ov); break;
      case 10: I::kaiming_uniform_(w, g, x0, mode, nonlinearity, ov); break;
      case 11: I::kaiming_normal_(w, g, x0, mode, nonlinearity, ov); break;
      case 12: I::orthogonal_(w, g, x0); break;
      case 13: I::sparse_(w, g, x0, x1); break;
      case 14: I::variance_scaling_(w, g, x0, mode, dist, ov); break;
      case 15: I::glorot_uniform_(w, g, ov); break;
      case 16: I::glorot_normal_(w, g, ov); break;
      case 17: I::he_uniform_(w, g, ov); break;
      case 18: I::he_normal_(w, g, ov); break;
      case 19: I::lecun_uniform_(w, g, ov); break;
      case 20: I::lecun_normal_(w, g, ov); break;
      case 21: I::zero_(w); break;
      case 22: {
        const auto f = I::compute_fans(shape, ov, "fuzz");
        FUZZ_CHECK(f.fan_in >= 0 && f.fan_out >= 0, "negative fan");
        break;
      }
      default: {
        std::optional<double> p;
        if (with_param) p = x0;
        const double gain = I::calculate_gain(nonlinearity, p);
        FUZZ_CHECK(std::isfinite(gain) && gain > 0, "calculate_gain gave " + std::to_string(gain));
        break;
      }
    }
    returned = true;
  } catch (const std::invalid_argument&) {
  } catch (const std::bad_alloc&) {
  }
  FUZZ_CHECK(std::memcmp(&buf[n], &canary, sizeof(T)) == 0,
             "an initializer wrote past the end of the tensor");
  if (!returned || which >= 22) return;
  // Finite parameters and a finite std/bound: every value is finite.
  const bool finite_params = std::isfinite(x0) && std::isfinite(x1) && std::fabs(x0) < 1e30 &&
                             std::fabs(x1) < 1e30 && (!ov.fan_in || *ov.fan_in >= 1e-30) &&
                             (!ov.fan_out || *ov.fan_out >= 1e-30);
  const bool check_finite = which == 2 || which == 4 || which == 5 || which == 6 || which == 7 ||
                            which >= 15 || (finite_params && which != 3);
  if (check_finite)
    for (std::size_t i = 0; i < n; ++i)
      FUZZ_CHECK(std::isfinite(static_cast<double>(buf[i])),
                 "initializer " + std::to_string(which) + " returned a non-finite value at " +
                     std::to_string(i));
}

// 2: sizes, allocation and the generator's bookkeeping near the end of the stream.
void area_sizes(Input& in) {
  std::vector<std::int64_t> shape;
  const int nd = static_cast<int>(in.range(0, 6));
  for (int k = 0; k < nd; ++k) {
    const std::uint64_t bits = in.u64();
    const auto shift = in.range(0, 63);
    shape.push_back(static_cast<std::int64_t>(bits >> shift));
  }
  const std::size_t elem = in.flag() ? 4 : 8;
  try {
    const std::size_t bytes = fi::detail::checked_bytes(shape, elem);
    // Exact product check with 128-bit arithmetic.
    unsigned __int128 exact = elem;
    bool zero = false;
    for (auto d : shape) {
      FUZZ_CHECK(d >= 0, "checked_bytes accepted a negative size");
      if (d == 0) zero = true;
      if (!zero) exact *= static_cast<unsigned __int128>(d);
      if (exact > (static_cast<unsigned __int128>(1) << 64))
        exact = static_cast<unsigned __int128>(1) << 64;
    }
    if (zero) exact = 0;
    FUZZ_CHECK(exact == bytes, "checked_bytes returned a wrapped byte count");
    if (bytes <= (1u << 20)) {
      auto p = fi::aligned_alloc_array<unsigned char>(bytes);
      FUZZ_CHECK(reinterpret_cast<std::uintptr_t>(p.get()) % fi::alignment == 0,
                 "misaligned allocation");
      if (bytes) std::memset(p.get(), 0, bytes);
    }
  } catch (const std::invalid_argument&) {
  } catch (const std::bad_alloc&) {
  }
  // aligned_alloc_array must refuse element counts whose byte count overflows, before allocating.
  const std::uint64_t count = std::numeric_limits<std::uint64_t>::max() >> in.range(0, 3);
  try {
    auto p = fi::aligned_alloc_array<double>(count);
    finding("aligned_alloc_array accepted an overflowing count");
  } catch (const std::bad_alloc&) {
  }
  // The generator: reserve near the end of the stream.
  const std::uint64_t off = std::numeric_limits<std::uint64_t>::max() - in.range(0, 300);
  const std::uint64_t seed = in.u64();
  const std::uint64_t stream = in.u64();
  fi::Generator g(seed, stream, off);
  for (int k = 0; k < 4; ++k) {
    const std::uint64_t want = static_cast<std::uint64_t>(in.range(0, 200));
    const std::uint64_t before = g.offset();
    try {
      const std::uint64_t first = g.reserve(want);
      FUZZ_CHECK(first == before, "reserve did not start at the offset");
      FUZZ_CHECK(want == 0 || want - 1 <= std::numeric_limits<std::uint64_t>::max() - first,
                 "reserve handed out blocks past the end of the stream");
    } catch (const std::invalid_argument&) {
      FUZZ_CHECK(g.offset() == before, "a refused reserve moved the offset");
    }
  }
  const auto kids = g.spawn(static_cast<std::size_t>(in.range(0, 4)));
  for (const auto& k : kids)
    FUZZ_CHECK(k.stream() != g.stream(), "a child shares its parent's stream");
}

// An MLP of fuzzed sizes, activations and output.
template <class T>
struct Net {
  std::vector<fi::index_t> sizes;
  std::vector<fi::Activation> acts;
  fi::Output out = fi::Output::linear;
};

fi::Activation fuzz_activation(Input& in) {
  fi::Activation a = fi::Activation::from_name(in.name(fi::Activation::names()));
  if (in.flag()) a.negative_slope = in.f64();
  if (in.flag()) a.alpha = in.f64();
  if (in.flag()) a.beta = in.f64();
  if (in.flag()) a.threshold = in.f64();
  if (in.flag()) a.min_val = in.f64();
  if (in.flag()) a.max_val = in.f64();
  return a;
}

// 3: the MLP: construction, forward, loss, backward, clipping, optimizers, fit, LSUV, diagnose.
template <class T>
void area_mlp(Input& in) {
  const int nsizes = static_cast<int>(in.range(1, 5));
  std::vector<fi::index_t> sizes;
  for (int k = 0; k < nsizes; ++k) sizes.push_back(in.range(in.u8() == 0 ? -1 : 1, 9));
  std::vector<fi::Activation> acts;
  const int nacts = static_cast<int>(in.range(0, 4));
  for (int k = 0; k < nacts; ++k) {
    try {
      acts.push_back(fuzz_activation(in));
    } catch (const std::invalid_argument&) {
    }
  }
  const auto out = static_cast<fi::Output>(in.u8() % 3);
  std::unique_ptr<fi::Mlp<T>> net;
  try {
    net = std::make_unique<fi::Mlp<T>>(sizes, acts, out);
  } catch (const std::invalid_argument&) {
    return;
  } catch (const std::bad_alloc&) {
    return;
  }
  fi::Generator g(in.u64());
  auto& P = net->params();
  for (int l = 0; l < net->num_layers(); ++l) {
    fi::init::normal_(P.W(l), g, 0.0, in.flag() ? in.f64() : 0.5);
    if (in.flag())
      fi::normal_fill(P.b(l).data(), static_cast<std::size_t>(P.b(l).size()), 0.0, 0.1, g);
  }
  const fi::index_t D0 = sizes.front(), K = sizes.back();
  const fi::index_t N = in.range(1, 12);
  fi::Matrix<T> X(N, D0);
  for (fi::index_t i = 0; i < X.size(); ++i)
    X.data()[i] = static_cast<T>(in.flag() ? in.f64() : 0.5 * (i % 7) - 1);
  std::vector<std::int64_t> labels(N);
  fi::Matrix<T> Yd(N, K);
  fi::Target<T> y;
  if (in.flag()) {
    for (auto& l : labels)
      l = in.u8() < 250 ? in.range(0, K - 1) : static_cast<std::int64_t>(in.u64());
    y.labels = labels.data();
  } else {
    for (fi::index_t i = 0; i < Yd.size(); ++i)
      Yd.data()[i] = static_cast<T>(in.flag() ? in.f64() : (i % 2));
    y.dense = Yd.data();
  }
  fi::Params<T> grads(sizes);
  try {
    switch (in.u8() % 10) {
      case 0: {
        fi::Matrix<T> Pm(N, K);
        net->predict(X, Pm);
        // Finite logits give probabilities in [0, 1] (a float32 GEMM may overflow to inf on huge
        // but finite inputs: that is arithmetic, not a bug of the output layer).
        const auto Z = net->workspace().z(net->num_layers() - 1);
        if (Z.allFinite() && out != fi::Output::linear)
          for (fi::index_t i = 0; i < Pm.size(); ++i) {
            const double v = static_cast<double>(Pm.data()[i]);
            FUZZ_CHECK(v >= 0 && v <= 1, "a probability outside [0, 1] for finite logits");
          }
        break;
      }
      case 1: (void)net->loss(X, y); break;
      case 2: {
        const double loss = net->loss_and_grad(X, y, grads);
        (void)loss;
        break;
      }
      case 3: {
        (void)net->loss_and_grad(X, y, grads);
        auto ts = grads.tensors();
        const double p = in.f64();
        const double c = in.f64();
        switch (in.u8() % 4) {
          case 0: (void)fi::clip_grad_norm_(ts, c, p, in.flag()); break;
          case 1: fi::clip_grad_value_(ts, c); break;
          case 2: {
            const auto norms = fi::clip_by_norm_(ts, c);
            FUZZ_CHECK(norms.size() == ts.size(), "clip_by_norm_ returned the wrong count");
            break;
          }
          default: (void)fi::total_norm(ts, p); break;
        }
        break;
      }
      case 4: {
        fi::OptimConfig c;
        c.kind = in.named<fi::OptimKind>();
        c.lr = in.f64();
        c.momentum = in.flag() ? in.f64() : 0.0;
        c.dampening = in.flag() ? in.f64() : 0.0;
        c.weight_decay = in.flag() ? in.f64() : 0.0;
        c.nesterov = in.flag();
        c.beta1 = in.flag() ? in.f64() : 0.9;
        c.beta2 = in.flag() ? in.f64() : 0.999;
        c.eps = in.flag() ? in.f64() : 1e-8;
        fi::Optimizer<T> opt(c, P.size());
        (void)net->loss_and_grad(X, y, grads);
        for (int s = 0; s < 3; ++s) opt.step(P.data(), grads.data(), grads.size());
        break;
      }
      case 5: {
        fi::FitConfig f;
        f.epochs = static_cast<int>(in.range(-1, 3));
        f.batch_size = in.range(-1, 5);
        f.shuffle = in.flag();
        f.optim.kind = in.named<fi::OptimKind>();
        f.optim.lr = in.flag() ? in.f64() : 0.1;
        f.clip.mode = in.named<fi::ClipMode>();
        f.clip.threshold = in.f64();
        f.clip.norm_type = in.f64();
        const fi::History h = fi::fit(*net, X, y, f, g);
        FUZZ_CHECK(
            h.layer_grad_norm.size() == static_cast<std::size_t>(h.epochs_done) * net->num_layers(),
            "fit's history has the wrong shape");
        break;
      }
      case 6: {
        const double tol = in.f64();
        const int max_iter = static_cast<int>(in.range(-1, 6));
        const bool ortho = in.flag();
        const auto r = fi::lsuv_(*net, X, g, tol, max_iter, ortho);
        FUZZ_CHECK(static_cast<int>(r.size()) == net->num_layers(), "lsuv_ result size");
        break;
      }
      default: {
        fi::Target<T> none;
        const auto d = fi::diagnose(*net, X, in.flag() ? y : none, g);
        FUZZ_CHECK(static_cast<int>(d.layers.size()) == net->num_layers(), "diagnose layer count");
        break;
      }
    }
  } catch (const std::invalid_argument&) {
  } catch (const std::bad_alloc&) {
  }
}

// 4: mean-field theory (the iterative solvers must terminate: libFuzzer's -timeout).
void area_theory(Input& in) {
  // One thread: libFuzzer's comparison tracing makes two threads contend on its tables (13x
  // slower), which turns the heavy quadratures of extreme inputs (q ~ 1e75: ~60 graded panels per
  // knot) into timeouts. The parallel quadrature's thread independence is tested by the suite
  // (test_theory_correlation.py), under the sanitizers too.
  const Threads one(1);
  fi::Activation a;
  try {
    a = fuzz_activation(in);
  } catch (const std::invalid_argument&) {
    return;
  }
  namespace th = fi::theory;
  const double x0 = in.f64();
  const double x1 = in.f64();
  const double x2 = in.f64();
  try {
    switch (in.u8() % 10) {
      case 0: (void)th::q_map(a, x0, x1, x2); break;
      case 1: (void)th::q_map_slope(a, x0, x1); break;
      case 2: (void)th::chi(a, x0, x1); break;
      case 3: (void)th::q_star(a, x0, x1, x2); break;
      case 4: (void)th::depth_scales(a, x0, x1, x2); break;
      case 5: (void)th::critical_sigma_w(a, x0, x1); break;
      case 6: (void)th::predict(a, x0, x1, x2, in.range(-1, 40)); break;
      case 7: (void)th::c_map(a, x0, x1, x2, in.f64()); break;
      case 8:
        (void)th::jacobian_moments(
            a, x0, x1, in.range(-1, 40),
            in.flag() ? th::JacobianWeights::orthogonal : th::JacobianWeights::gaussian,
            in.flag() ? std::optional<double>(x2) : std::nullopt);
        break;
      default: {
        std::vector<double> sw = {x0, 1.0}, sb = {x1};
        (void)th::phase_diagram(a, sw, sb, x2);
        break;
      }
    }
  } catch (const std::invalid_argument&) {
  }
}

// 5: one small experiment (scheme x activation x optional training).
template <class T>
void area_experiment(Input& in) {
  fi::ExperimentConfig c;
  c.init.scheme = in.named<fi::Scheme>();
  c.init.std = in.f64();
  try {
    c.activation = fuzz_activation(in);
  } catch (const std::invalid_argument&) {
  }
  c.depth = static_cast<int>(in.range(-1, 3));
  c.width = in.range(0, 6);
  c.classes = in.range(0, 4);
  c.batch = in.range(0, 6);
  c.init.sigma_w = in.f64();
  c.init.sigma_b = in.f64();
  c.steps = static_cast<int>(in.range(-1, 2));
  c.optim.lr = in.flag() ? in.f64() : 0.01;
  c.clip.mode = in.named<fi::ClipMode>();
  c.clip.threshold = in.f64();
  fi::Generator g(in.u64());
  try {
    (void)fi::run_experiment<T>(c, g);
  } catch (const std::invalid_argument&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool once = [] {
    fi::set_num_threads(2);
    return true;
  }();
  (void)once;
  Input in(data, size);
  const std::uint8_t area = in.u8();
  const bool dbl = area & 0x80;
  try {
    switch (area % 6) {
      case 0: dbl ? area_fills<double>(in) : area_fills<float>(in); break;
      case 1: dbl ? area_init<double>(in) : area_init<float>(in); break;
      case 2: area_sizes(in); break;
      case 3: dbl ? area_mlp<double>(in) : area_mlp<float>(in); break;
      case 4: area_theory(in); break;
      default: dbl ? area_experiment<double>(in) : area_experiment<float>(in); break;
    }
  } catch (const std::invalid_argument&) {
    // the documented ValueError / TypeError family
  } catch (const std::bad_alloc&) {
    // MemoryError
  } catch (const std::exception& e) {
    finding("undocumented exception type", e.what());
  }
  return 0;
}

#ifdef FASTINIT_FUZZ_STANDALONE
// Replays files (and the files inside folders) given on the command line.
#include <dirent.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

static int replay(const std::string& path, int& count) {
  struct stat st{};
  if (stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "fuzz_core: cannot read %s\n", path.c_str());
    return 1;
  }
  if (S_ISDIR(st.st_mode)) {
    std::vector<std::string> names;
    if (DIR* d = opendir(path.c_str())) {
      while (dirent* e = readdir(d))
        if (e->d_name[0] != '.') names.push_back(path + "/" + e->d_name);
      closedir(d);
    }
    std::sort(names.begin(), names.end());
    int rc = 0;
    for (const auto& n : names) rc |= replay(n, count);
    return rc;
  }
  std::ifstream f(path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(f)),
                                  std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  ++count;
  return 0;
}

int main(int argc, char** argv) {
  int count = 0, rc = 0;
  for (int i = 1; i < argc; ++i) rc |= replay(argv[i], count);
  std::printf("fuzz_core: replayed %d inputs\n", count);
  return rc;
}
#endif
