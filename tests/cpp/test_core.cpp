// C++ unit tests of fastinit's core: the Philox known answers, generator semantics, fills that
// are independent of the thread count, initializer formulas, and the MLP's gradients against
// central finite differences. Prints "N passed, N failed" and exits non-zero on a failure.
#include <fastinit/clip.hpp>
#include <fastinit/fit.hpp>
#include <fastinit/init.hpp>
#include <fastinit/mlp.hpp>
#include <fastinit/qr.hpp>
#include <fastinit/random.hpp>

#include "check.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fi = fastinit;

static void test_philox_known_answers() {
  using A4 = std::array<std::uint32_t, 4>;
  using A2 = std::array<std::uint32_t, 2>;
  CHECK((fi::philox::philox4x32_10(A4{0, 0, 0, 0}, A2{0, 0}) ==
         A4{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  CHECK((fi::philox::philox4x32_10(A4{~0u, ~0u, ~0u, ~0u}, A2{~0u, ~0u}) ==
         A4{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  CHECK((fi::philox::philox4x32_10(A4{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                                   A2{0xa4093822, 0x299f31d0}) ==
         A4{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
  // The batched engine behind every fill gives the same words.
  fi::Generator g(0x299f31d0a4093822ull, 0x0370734413198a2eull, 0x85a308d3243f6a88ull);
  std::uint32_t w[4];
  fi::random_bits(w, 4, g);
  CHECK(w[0] == 0xd16cfe09 && w[1] == 0x94fdcceb && w[2] == 0x5001e420 && w[3] == 0x24126ea1);
  CHECK(g.offset() == 0x85a308d3243f6a89ull);
}

template <class T>
static std::vector<T> fill_with(int threads, std::size_t n,
                                const std::function<void(T*, std::size_t, fi::Generator&)>& f) {
  fi::set_num_threads(threads);
  fi::Generator g(7, 3);
  std::vector<T> v(n);
  f(v.data(), n, g);
  return v;
}

static void test_thread_independence() {
  const std::size_t n = 1'000'003;
  auto normal = [](float* p, std::size_t n, fi::Generator& g) {
    fi::normal_fill(p, n, 0.0, 1.0, g);
  };
  auto trunc = [](double* p, std::size_t n, fi::Generator& g) {
    fi::trunc_normal_fill(p, n, 0.0, 1.0, -2.0, 2.0, g);
  };
  CHECK(fill_with<float>(1, n, normal) == fill_with<float>(2, n, normal));
  CHECK(fill_with<float>(1, n, normal) == fill_with<float>(3, n, normal));
  CHECK(fill_with<double>(1, n, trunc) == fill_with<double>(2, n, trunc));
  fi::set_num_threads(2);
}

// The seeded examples printed in the headers (random.hpp, init.hpp).
static void test_header_examples() {
  fastinit::Generator g(42);
  float w[4];
  fastinit::normal_fill(w, 4, 0.0, 1.0, g);
  CHECK(g.offset() == 1);
  CHECK(w[0] == -0.97018981f && w[1] == 0.19401890f && w[2] == -1.23562086f && w[3] == 1.92392683f);
  fastinit::Generator g0(0);
  fastinit::Matrix<float> W(256, 784);
  fastinit::init::kaiming_normal_(W, g0);
  CHECK(W(0, 0) == 0.050060011f && W(0, 1) == -0.046702512f && W(0, 2) == -0.031193964f);
  // Vectors, e.g. a bias of a network, take the plain fills too.
  fastinit::Params<double> P({3, 4});
  fastinit::init::normal_(P.b(0), g0, 0.0, 0.1);
  CHECK(P.b(0).norm() > 0);
}

static void test_generator() {
  fi::Generator g(1);
  std::vector<float> a(10), b(10);
  fi::normal_fill(a.data(), a.size(), 0.0, 1.0, g);
  CHECK(g.offset() == 3);  // 10 floats at 4 per block
  fi::normal_fill(b.data(), b.size(), 0.0, 1.0, g);
  CHECK(a != b);
  // Element i depends only on (seed, stream, offset + i / 4): a shifted fill lines up.
  fi::Generator h(1, 0, 1);
  std::vector<float> c(6);
  fi::normal_fill(c.data(), c.size(), 0.0, 1.0, h);
  for (int i = 0; i < 6; ++i) CHECK(c[i] == a[i + 4]);
  auto kids = g.spawn(2);
  CHECK(kids[0].stream() != kids[1].stream());
  CHECK(kids[0].seed() == 1);
  auto again = fi::Generator(1).spawn(2);
  CHECK(again[0].stream() == kids[0].stream());
  CHECK_THROWS(fi::normal_fill(a.data(), 1, 0.0, -1.0, g), fi::value_error);

  // Any window of random_u64's words can be regenerated on its own (sparse_ relies on this).
  fi::Generator u(9, 3, 1000);
  std::vector<std::uint64_t> all(1000);
  fi::random_u64(all.data(), all.size(), u);
  for (std::uint64_t w0 : {0, 1, 2, 15, 127, 128, 129, 300, 999})
    for (std::size_t n : {1, 2, 16, 17, 128, 129, 500}) {
      if (w0 + n > all.size()) continue;
      std::vector<std::uint64_t> part(n);
      fi::detail::u64_words_at(9, 3, 1000, w0, n, part.data());
      CHECK(std::equal(part.begin(), part.end(), all.begin() + static_cast<std::ptrdiff_t>(w0)));
    }
}

static void test_trunc_normal_bounds() {
  fi::Generator g(5);
  std::vector<float> v(200000);
  fi::trunc_normal_fill(v.data(), v.size(), 0.0, 1.0, 10.0, 10.5, g);
  bool inside = true;
  double mean = 0;
  for (float x : v) {
    inside = inside && x >= 10.0f && x <= 10.5f;
    mean += x;
  }
  mean /= double(v.size());
  CHECK(inside);
  // Mean of N(0,1) truncated to [10, 10.5]: 10.0952687 (scipy.stats.truncnorm.mean); the
  // standard error of 2e5 samples is about 2e-4.
  CHECK(std::fabs(mean - 10.0952687) < 1e-3);
}

static void test_init_formulas() {
  fi::Generator g(0);
  fi::Matrix<double> W(400, 300);
  fi::init::kaiming_normal_(W, g);
  const double sd = std::sqrt(W.array().square().mean());
  CHECK(std::fabs(sd - std::sqrt(2.0 / 300)) < 0.01 * std::sqrt(2.0 / 300));
  auto f = fi::init::compute_fans({8, 4, 3, 3});
  CHECK(f.fan_in == 36 && f.fan_out == 72);
  CHECK(std::fabs(fi::init::calculate_gain("leaky_relu") - std::sqrt(2.0 / (1 + 1e-4))) < 1e-15);
  CHECK_THROWS(fi::init::calculate_gain("swish"), fi::value_error);
  fi::Matrix<double> Q(64, 32);
  fi::init::orthogonal_(Q, g);
  CHECK((Q.transpose() * Q - fi::Matrix<double>::Identity(32, 32)).cwiseAbs().maxCoeff() < 1e-13);
  fi::Matrix<float> Z(8, 3);
  fi::init::zero_(Z);  // P > Q: m = 3, c = 2^-1
  CHECK(Z(0, 0) == 0.5f && Z(1, 1) == -0.5f && Z(3, 2) == -0.5f);
}

// The blocked, threaded QR (qr.hpp) against its naive reference, Eigen's HouseholderQR: the same
// reflectors (R agrees to rounding, signs included) and the same thin Q; orthogonal_ gives the
// same bits on 1, 2 and 3 threads.
static void test_blocked_qr() {
  for (auto [m, n] : {std::pair<int, int>{300, 300}, {500, 130}, {97, 53}, {9, 1}}) {
    fi::detail::ColMatrix<double> A(m, n);
    fi::Generator g(5);
    fi::normal_fill(A.data(), static_cast<std::size_t>(A.size()), 0.0, 1.0, g);
    const fi::detail::ColMatrix<double> A0 = A;
    Eigen::HouseholderQR<fi::detail::ColMatrix<double>> ref(A0);
    fi::Vector<double> h;
    fi::detail::ColMatrix<double> Tf;
    fi::set_num_threads(2);
    fi::detail::householder_qr_blocked(A, h, Tf);
    const fi::detail::ColMatrix<double> R = A.topRows(n).triangularView<Eigen::Upper>();
    const fi::detail::ColMatrix<double> Rref =
        ref.matrixQR().topRows(n).triangularView<Eigen::Upper>();
    CHECK((R - Rref).cwiseAbs().maxCoeff() <
          1e-12 * std::sqrt(double(m)) * Rref.cwiseAbs().maxCoeff());
    fi::detail::ColMatrix<double> Qref = fi::detail::ColMatrix<double>::Identity(m, n);
    Qref.applyOnTheLeft(ref.householderQ());
    fi::detail::ColMatrix<double> Q(m, n);
    fi::detail::householder_thin_q(A, Tf,
                                   [&](fi::index_t c0, const fi::detail::ColMatrix<double>& Qc) {
                                     Q.middleCols(c0, Qc.cols()) = Qc;
                                   });
    CHECK((Q - Qref).cwiseAbs().maxCoeff() < 1e-11);
    CHECK((Q * R - A0).cwiseAbs().maxCoeff() < 1e-12 * A0.cwiseAbs().maxCoeff() * n);
  }
  std::vector<fi::Matrix<float>> W(3, fi::Matrix<float>(700, 600));
  for (int t = 1; t <= 3; ++t) {
    fi::set_num_threads(t);
    fi::Generator g(9);
    fi::init::orthogonal_(W[t - 1], g);
  }
  CHECK((W[0].array() == W[1].array()).all() && (W[0].array() == W[2].array()).all());
  fi::set_num_threads(2);
}

// Central finite differences of the loss against backward, in double.
static void test_mlp_gradients() {
  for (auto out : {fi::Output::linear, fi::Output::sigmoid, fi::Output::softmax}) {
    fi::Mlp<double> net({5, 7, 6, 3}, {fi::Activation::from_name("tanh")}, out);
    fi::Generator g(3);
    for (int l = 0; l < net.num_layers(); ++l) {
      fi::init::xavier_normal_(net.params().W(l), g);
      fi::normal_fill(net.params().b(l).data(), net.params().b(l).size(), 0.0, 0.1, g);
    }
    fi::Matrix<double> X(4, 5), Y(4, 3);
    fi::normal_fill(X.data(), X.size(), 0.0, 1.0, g);
    fi::uniform_fill(Y.data(), Y.size(), 0.0, 1.0, g);
    std::vector<std::int64_t> labels = {0, 2, 1, 2};
    fi::Target<double> y = out == fi::Output::softmax ? fi::Target<double>{nullptr, labels.data()}
                                                      : fi::Target<double>{Y.data(), nullptr};
    fi::Params<double> grads(net.sizes());
    net.loss_and_grad(X, y, grads);
    double worst = 0;
    double* p = net.params().data();
    for (std::size_t i = 0; i < net.params().size(); ++i) {
      const double keep = p[i], h = 1e-6;
      p[i] = keep + h;
      const double up = net.loss(X, y);
      p[i] = keep - h;
      const double dn = net.loss(X, y);
      p[i] = keep;
      worst = std::max(worst, std::fabs((up - dn) / (2 * h) - grads.data()[i]));
    }
    std::printf("mlp output %d: max |finite difference - backward| = %.3g\n", int(out), worst);
    CHECK(worst < 1e-8);
  }
}

static void test_clip() {
  std::vector<float> g = {3.0f, 4.0f};
  fi::TensorList<float> ts = {{g.data(), g.size()}};
  const double total = fi::clip_grad_norm_(ts, 1.0);
  CHECK(total == 5.0);
  CHECK(g[0] == 0.59999988f && g[1] == 0.79999984f);  // PyTorch's coefficient semantics
  std::vector<float> big = {1e19f, 1e19f};
  CHECK(std::isfinite(fi::total_norm<float>({{big.data(), 2}}, 2.0)));
}

static void test_fit_learns() {
  // XOR-like data, a small tanh network, SGD with momentum: the loss must drop.
  fi::Mlp<double> net({2, 16, 1}, {fi::Activation::from_name("tanh")}, fi::Output::sigmoid);
  fi::Generator g(11);
  for (int l = 0; l < net.num_layers(); ++l) fi::init::xavier_normal_(net.params().W(l), g);
  fi::Matrix<double> X(4, 2);
  X << 0, 0, 0, 1, 1, 0, 1, 1;
  std::vector<double> y = {0, 1, 1, 0};
  fi::FitConfig cfg;
  cfg.epochs = 400;
  cfg.batch_size = 4;
  cfg.optim.lr = 0.5;
  cfg.optim.momentum = 0.9;
  auto h = fi::fit(net, X, fi::Target<double>{y.data(), nullptr}, cfg, g);
  CHECK(h.epochs_done == 400 && !h.nonfinite);
  CHECK(h.epoch_loss.back() < 0.1 * h.epoch_loss.front());
}

// The pool over many short regions back to back (late workers skip a closed region): every
// task of every region runs exactly once, whatever the task count, the thread cap and the
// errors some regions throw, at 2, 3 and 5 threads (on a 2-core machine the first watches for
// work between regions and the others sleep at once).
static void test_pool_many_short_regions() {
  for (int threads : {2, 3, 5}) {
    fi::set_num_threads(threads);
    std::vector<std::atomic<int>> hits(16);
    bool exact = true, errors_seen = true;
    for (int r = 0; r < 20000; ++r) {
      const fi::index_t n = 1 + r % 16;
      for (auto& h : hits) h.store(0);
      const fi::ScopedThreadLimit cap(1 + r % threads);
      const bool throws = r % 97 == 0;
      try {
        fi::parallel_tasks(n, [&](fi::index_t t) {
          hits[std::size_t(t)].fetch_add(1);
          if (throws && t == n - 1) throw std::runtime_error("task error");
        });
        if (throws) errors_seen = false;
      } catch (const std::runtime_error&) {
        if (!throws) errors_seen = false;
        continue;  // a cancelled region may leave tasks unrun
      }
      for (fi::index_t t = 0; t < 16; ++t) exact = exact && hits[std::size_t(t)] == (t < n);
    }
    CHECK(exact);
    CHECK(errors_seen);
  }
  fi::set_num_threads(1);
}

int main() {
  test_philox_known_answers();
  test_header_examples();
  test_generator();
  test_thread_independence();
  test_trunc_normal_bounds();
  test_init_formulas();
  test_blocked_qr();
  test_mlp_gradients();
  test_clip();
  test_fit_learns();
  test_pool_many_short_regions();
  run_kernel_tests();
  std::printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
