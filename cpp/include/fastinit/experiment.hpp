// fastinit/experiment.hpp — one experiment (build -> init -> diagnose -> optionally train) and
// a parallel sweep of many.
//
// An experiment: a network [width] * depth + [classes], one hidden activation, softmax output;
// Gaussian inputs X (batch, width) ~ N(0, 1) and uniform random labels, both drawn from the
// experiment's own Generator, which also draws the weights. So an experiment's result is a pure
// function of its configuration and generator state: a sweep gives identical results for any
// thread count, any order and on any machine of the same build (a Dask worker included).
//
// The network is initialized by scheme.hpp's recipe (the same one MLP users call).
#pragma once

#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "fit.hpp"
#include "mlp.hpp"
#include "scheme.hpp"

namespace fastinit {

struct ExperimentConfig {
  SchemeConfig init;
  Activation activation;
  int depth = 10;        // number of hidden layers
  index_t width = 256;   // hidden width (and input width)
  index_t classes = 10;  // output width
  index_t batch = 128;
  std::int64_t steps = 0;  // full-batch training steps after the diagnosis
  OptimConfig optim;
  ClipConfig clip;

  void validate() const {
    if (depth < 1) throw value_error(detail::cat("depth must be >= 1, got ", depth));
    if (width < 1 || classes < 1 || batch < 1)
      throw value_error(detail::cat("width, classes and batch must be >= 1, got ", width, ", ",
                                    classes, ", ", batch));
    if (steps < 0) throw value_error(detail::cat("steps must be >= 0, got ", steps));
    init.validate();
    activation.validate();
    optim.validate();
    clip.validate();
  }
};

struct ExperimentResult {
  double sigma_w = std::nan("");  // the scheme's sigma_w (sigma, critical), else NaN
  Diagnosis diagnosis;
  std::vector<LsuvLayer> lsuv;
  std::vector<double> train_loss;  // per step (empty without training)
  bool train_nonfinite = false;
};

// One experiment. T is the network's dtype.
template <class T>
ExperimentResult run_experiment(const ExperimentConfig& c, Generator& g) {
  c.validate();
  std::vector<index_t> sizes(static_cast<std::size_t>(c.depth) + 1, c.width);
  sizes.push_back(c.classes);
  Mlp<T> net(sizes, {c.activation}, Output::softmax);
  Matrix<T> X(c.batch, c.width);
  normal_fill(X.data(), static_cast<std::size_t>(X.size()), 0.0, 1.0, g);
  std::vector<std::uint64_t> words(static_cast<std::size_t>(c.batch));
  random_u64(words.data(), words.size(), g);
  std::vector<std::int64_t> labels(words.size());
  for (std::size_t i = 0; i < words.size(); ++i)
    labels[i] = static_cast<std::int64_t>(bounded(words[i], static_cast<std::uint64_t>(c.classes)));
  Target<T> y{nullptr, labels.data()};

  ExperimentResult r;
  SchemeReport init = init_network_(net, c.init, g, typename Mlp<T>::ConstInput(X));
  r.sigma_w = init.sigma_w;
  r.lsuv = std::move(init.lsuv);
  r.diagnosis = diagnose(net, X, y, g);
  if (c.steps > 0) {
    FitConfig f;
    f.epochs = c.steps;
    f.batch_size = c.batch;
    f.shuffle = false;
    f.optim = c.optim;
    f.clip = c.clip;
    History h = fit(net, X, y, f, g);
    r.train_loss = std::move(h.step_loss);
    r.train_nonfinite = h.nonfinite;
  }
  return r;
}

// Many experiments on the thread pool; experiment i uses gens[i].
template <class T>
std::vector<ExperimentResult> run_sweep(const std::vector<ExperimentConfig>& cs,
                                        std::vector<Generator>& gens) {
  if (gens.size() != cs.size()) throw value_error("run_sweep: one generator per configuration");
  for (const auto& c : cs) c.validate();
  std::vector<ExperimentResult> out(cs.size());
  parallel_tasks(static_cast<index_t>(cs.size()),
                 [&](index_t i) { out[i] = run_experiment<T>(cs[i], gens[i]); });
  return out;
}

}  // namespace fastinit
