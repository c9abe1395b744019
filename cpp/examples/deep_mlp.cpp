// deep_mlp — why initialization matters, through fastinit's C++ API alone.
//
// Builds a deep ReLU MLP (16 hidden layers of 128 units) on a synthetic 4-class problem,
// initializes it two ways — N(0, 0.01^2), the classic "small random numbers", and He et al.'s
// kaiming_normal — and for each prints the per-layer statistics of one forward / backward pass
// (activation mean and std, ||dL/dW||), then trains it for ten epochs of SGD (80 steps).
// With N(0, 0.01^2) the signal shrinks ~14x per layer and dies; with He's std = sqrt(2 / fan_in)
// it keeps its scale through every layer and the network learns (~0.9 training accuracy
// against ~0.3 for the small init, which stays at the loss of a constant prediction).
//
// Shape legend: N samples, D inputs, H hidden width, K classes, L = hidden layers + 1.
//   X (N, D)   y (N,) labels   W_l (out, in)   A_l (N, H)
// Every random number comes from one seeded fastinit::Generator: the run is reproducible, for
// any thread count, and equal to the same calls through the Python API.
//
// Usage: deep_mlp [seed]
#include <fastinit/fit.hpp>
#include <fastinit/init.hpp>
#include <fastinit/mlp.hpp>
#include <fastinit/random.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace fi = fastinit;

constexpr fi::index_t N = 512, D = 32, H = 128, K = 4;
constexpr int kHidden = 16;

struct Stats {
  double mean, std;
};

template <class M>
Stats stats(const M& a) {
  const double n = static_cast<double>(a.size());
  const double mean = a.template cast<double>().sum() / n;
  const double var = (a.template cast<double>().array() - mean).square().sum() / n;
  return {mean, std::sqrt(var)};
}

// One scheme: initialize, report one forward / backward pass layer by layer, train.
void run(const std::string& name, std::uint64_t seed, const fi::Matrix<float>& X,
         const std::vector<std::int64_t>& y, bool he) {
  std::vector<fi::index_t> sizes{D};
  for (int i = 0; i < kHidden; ++i) sizes.push_back(H);
  sizes.push_back(K);
  fi::Mlp<float> net(sizes, {fi::Activation::from_name("relu")}, fi::Output::softmax);
  fi::Generator g(seed);
  auto& P = net.params();
  for (int l = 0; l < net.num_layers(); ++l) {
    if (he) {
      fi::init::kaiming_normal_(P.W(l), g, 0.0, "fan_in", "relu");  // std = sqrt(2 / fan_in)
    } else {
      fi::init::normal_(P.W(l), g, 0.0, 0.01);
    }
    P.b(l).setZero();
  }

  const fi::Target<float> target{nullptr, y.data()};
  fi::Params<float> grads(net.sizes());
  const double loss = net.loss_and_grad(X, target, grads);
  std::printf("\ninit = %s\n", name.c_str());
  std::printf("%5s  %12s  %12s  %12s\n", "layer", "act mean", "act std", "||dL/dW||");
  auto& ws = net.workspace();
  for (int l = 0; l < net.num_layers(); ++l) {
    // Hidden layers: A_l = relu(Z_l); the output layer: its logits Z_L.
    const bool hidden = l + 1 < net.num_layers();
    const Stats s = hidden ? stats(ws.a(l)) : stats(ws.z(l));
    std::printf("%5d  %12.4g  %12.4g  %12.4g%s\n", l + 1, s.mean, s.std,
                static_cast<double>(grads.W(l).norm()), hidden ? "" : "  (logits)");
  }
  std::printf("initial loss %.4f (chance: ln %d = %.4f)\n", loss, static_cast<int>(K),
              std::log(static_cast<double>(K)));

  fi::FitConfig cfg;
  cfg.epochs = 10;
  cfg.batch_size = 64;
  cfg.optim.kind = fi::OptimKind::sgd;
  cfg.optim.lr = 0.01;
  cfg.optim.momentum = 0.9;
  const fi::History h = fi::fit(net, X, target, cfg, g);
  std::printf("SGD (lr %.2g, momentum %.1f, batch %d), %lld epochs, %zu steps; loss by epoch:\n ",
              cfg.optim.lr, cfg.optim.momentum, static_cast<int>(cfg.batch_size),
              static_cast<long long>(h.epochs_done), h.step_loss.size());
  for (double l : h.epoch_loss) std::printf(" %.4f", l);
  std::printf("\n");

  fi::Matrix<float> Pred(N, K);
  net.predict(X, Pred);
  fi::index_t correct = 0;
  for (fi::index_t n = 0; n < N; ++n) {
    fi::index_t best = 0;
    Pred.row(n).maxCoeff(&best);
    correct += best == y[static_cast<std::size_t>(n)];
  }
  std::printf("training accuracy %.3f\n", static_cast<double>(correct) / static_cast<double>(N));
}

int main(int argc, char** argv) {
  const std::uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 0;
  std::printf(
      "fastinit deep MLP: %d hidden ReLU layers of %d units, %d samples of %d features, "
      "%d classes, seed %llu, %d threads\n",
      kHidden, static_cast<int>(H), static_cast<int>(N), static_cast<int>(D), static_cast<int>(K),
      static_cast<unsigned long long>(seed), fi::get_num_threads());

  // Data: X ~ N(0, 1); the label of a row is the arg max of a random linear "teacher" T (K, D).
  fi::Generator data(seed + 1);
  fi::Matrix<float> X(N, D), T(K, D);
  fi::init::normal_(X, data);
  fi::init::normal_(T, data);
  const fi::Matrix<float> scores = X * T.transpose();
  std::vector<std::int64_t> y(static_cast<std::size_t>(N));
  for (fi::index_t n = 0; n < N; ++n) {
    fi::index_t best = 0;
    scores.row(n).maxCoeff(&best);
    y[static_cast<std::size_t>(n)] = best;
  }

  run("normal(0, 0.01)", seed, X, y, false);
  run("kaiming_normal (He, fan_in, relu)", seed, X, y, true);
  return 0;
}
