// Values computed through fastinit's C++ API, for tests/test_consumers.py to compare, bit for
// bit, with the same computations through the Python API (same seeds, same shapes).
//
// One line per record:   <name> <kind> <count> <fnv1a64 of the bytes> <values as %a>
//   kind "fill":   a pure function of (seed, shape): must equal Python's bits with any build
//   kind "linalg": goes through Eigen's QR / GEMM: equal bits need the same SIMD code path as
//                  the Python module (FASTINIT_SIMD=portable against a portable build)
// Every consumer project in tests/consumers prints these records; so does the scikit-build one,
// as a string returned by its extension module.
#pragma once

#include <fastinit/fit.hpp>
#include <fastinit/init.hpp>
#include <fastinit/mlp.hpp>
#include <fastinit/random.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace bitcheck {

// FNV-1a, 64 bits, over the raw bytes (little-endian IEEE values on every platform we test).
inline std::uint64_t fnv1a(const void* data, std::size_t nbytes,
                           std::uint64_t h = 0xcbf29ce484222325ull) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < nbytes; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

// Records up to kFull values carry all of them (to compare with a tolerance where bits may
// differ), longer ones their first 8.
inline constexpr std::size_t kFull = 4096;

template <class T>
std::string record(const char* name, const char* kind, const T* v, std::size_t n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, " %zu %016llx", n,
                static_cast<unsigned long long>(fnv1a(v, n * sizeof(T))));
  std::string s = std::string(name) + " " + kind + buf;
  const std::size_t shown = n <= kFull ? n : 8;
  for (std::size_t i = 0; i < shown; ++i) {
    std::snprintf(buf, sizeof buf, " %a", static_cast<double>(v[i]));
    s += buf;
  }
  return s + "\n";
}

inline std::string all_records() {
  namespace fi = fastinit;
  std::string out;
  {  // Python: fi.init.kaiming_normal((16, 32), dtype=np.float32, generator=fi.Generator(123))
    fi::Generator g(123);
    fi::Matrix<float> W(16, 32);
    fi::init::kaiming_normal_(W, g);
    out += record("kaiming_normal_f32", "fill", W.data(), W.size());
  }
  {  // Python: fi.init.normal((100003,), dtype=np.float64, generator=fi.Generator(123))
    fi::Generator g(123);
    std::vector<double> v(100003);
    fi::normal_fill(v.data(), v.size(), 0.0, 1.0, g);
    out += record("normal_f64", "fill", v.data(), v.size());
  }
  {  // Python: fi.init.uniform((257, 129), -0.5, 0.5, dtype=np.float32, generator=fi.Generator(7))
    fi::Generator g(7);
    fi::Matrix<float> W(257, 129);
    fi::init::uniform_(W, g, -0.5, 0.5);
    out += record("uniform_f32", "fill", W.data(), W.size());
  }
  {  // Python: fi.init.trunc_normal((10007,), 0.0, 1.0, -2.0, 2.0, dtype=np.float64,
     // generator=fi.Generator(5))
    fi::Generator g(5);
    std::vector<double> v(10007);
    fi::init::trunc_normal_(fi::TensorView<double>{v.data(), {10007}}, g, 0.0, 1.0, -2.0, 2.0);
    out += record("trunc_normal_f64", "fill", v.data(), v.size());
  }
  {  // Python: two successive fills from one generator (the offset advances between them)
    fi::Generator g(99);
    fi::Matrix<double> A(64, 48), B(64, 48);
    fi::init::xavier_uniform_(A, g);
    fi::init::xavier_uniform_(B, g);
    out += record("xavier_uniform_f64_first", "fill", A.data(), A.size());
    out += record("xavier_uniform_f64_second", "fill", B.data(), B.size());
  }
  {  // Python: fi.init.orthogonal((32, 64), dtype=np.float32, generator=fi.Generator(11))
    fi::Generator g(11);
    fi::Matrix<float> W(32, 64);
    fi::init::orthogonal_(W, g);
    out += record("orthogonal_f32", "linalg", W.data(), W.size());
  }
  {  // Python: fi.init.orthogonal((160, 100), dtype=np.float64, generator=fi.Generator(12))
    fi::Generator g(12);
    fi::Matrix<double> W(160, 100);
    fi::init::orthogonal_(W, g);
    out += record("orthogonal_f64_blocked", "linalg", W.data(), W.size());
  }
  {  // Python: fi.MLP([8, 32, 32, 3], "relu", "softmax", "kaiming_normal", "zeros", np.float64, g),
     // X = fi.init.normal((64, 8), dtype=np.float64, generator=g), y = arange(64) % 3,
     // net.fit(X, y, epochs=3, batch_size=16, optimizer="sgd", lr=0.1, momentum=0.9, generator=g)
    fi::Generator g(2024);
    fi::Mlp<double> net({8, 32, 32, 3}, {fi::Activation::from_name("relu")}, fi::Output::softmax);
    auto& P = net.params();
    for (int l = 0; l < net.num_layers(); ++l) fi::init::kaiming_normal_(P.W(l), g);
    for (int l = 0; l < net.num_layers(); ++l) P.b(l).setZero();  // bias_init="zeros"
    fi::Matrix<double> X(64, 8);
    fi::init::normal_(X, g);
    std::vector<std::int64_t> y(64);
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<std::int64_t>(i % 3);
    fi::FitConfig cfg;
    cfg.epochs = 3;
    cfg.batch_size = 16;
    cfg.optim.kind = fastinit::OptimKind::sgd;
    cfg.optim.lr = 0.1;
    cfg.optim.momentum = 0.9;
    const fi::History h = fi::fit(net, X, fi::Target<double>{nullptr, y.data()}, cfg, g);
    out += record("mlp_fit_f64_step_loss", "linalg", h.step_loss.data(), h.step_loss.size());
    std::vector<double> params;  // W_1, b_1, W_2, ... in PyTorch's order, without padding
    for (int l = 0; l < net.num_layers(); ++l) {
      params.insert(params.end(), P.W(l).data(), P.W(l).data() + P.W(l).size());
      params.insert(params.end(), P.b(l).data(), P.b(l).data() + P.b(l).size());
    }
    out += record("mlp_fit_f64_params", "linalg", params.data(), params.size());
  }
  return out;
}

}  // namespace bitcheck
