// fastinit/experiment.hpp — one experiment (build -> init -> diagnose -> optionally train) and
// a parallel sweep of many.
//
// An experiment: a network [width] * depth + [classes], one hidden activation, softmax output;
// Gaussian inputs X (batch, width) ~ N(0, 1) and uniform random labels, both drawn from the
// experiment's own Generator, which also draws the weights. So an experiment's result is a pure
// function of its configuration and generator state: a sweep gives identical results for any
// thread count, any order and on any machine of the same build (a Dask worker included).
//
// Schemes (the `init` of an experiment):
//   zeros                          W = 0 (the symmetric failure)
//   normal                         W ~ N(0, std^2), std = param (default 1: the classic failure)
//   xavier_normal / xavier_uniform Glorot & Bengio, gain 1
//   kaiming_normal / kaiming_uniform  He et al., fan_in, gain of the activation (ReLU's for
//                                  activations without a PyTorch gain)
//   lecun_normal / he_normal / glorot_normal / ... Keras variance scaling
//   orthogonal                     Saxe et al., gain of the activation
//   zero                           ZerO (deterministic Hadamard / identity)
//   lsuv                           orthogonal, then LSUV on the experiment's batch
//   sigma                          W ~ N(0, sigma_w^2 / fan_in), b ~ N(0, sigma_b^2)
// Biases are zero except for `sigma`.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "fit.hpp"
#include "init.hpp"
#include "lsuv.hpp"
#include "mlp.hpp"

namespace fastinit {

inline const std::vector<std::string>& scheme_names() {
  static const std::vector<std::string> n = {"zeros",          "normal",         "xavier_normal",
                                             "xavier_uniform", "kaiming_normal", "kaiming_uniform",
                                             "lecun_normal",   "lecun_uniform",  "he_normal",
                                             "he_uniform",     "glorot_normal",  "glorot_uniform",
                                             "orthogonal",     "zero",           "lsuv",
                                             "sigma"};
  return n;
}

struct ExperimentConfig {
  std::string init = "kaiming_normal";
  double param = 1.0;  // std for `normal`
  Activation activation;
  int depth = 10;        // number of hidden layers
  index_t width = 256;   // hidden width (and input width)
  index_t classes = 10;  // output width
  index_t batch = 128;
  double sigma_w = 1.0, sigma_b = 0.0;  // for `sigma`
  int steps = 0;                        // full-batch training steps after the diagnosis
  OptimConfig optim;
  std::string clip_mode = "none";
  double clip = 0;

  void validate() const {
    const auto& n = scheme_names();
    if (std::find(n.begin(), n.end(), init) == n.end())
      detail::unknown_name("init scheme", init, n);
    if (depth < 1) throw value_error(detail::cat("depth must be >= 1, got ", depth));
    if (width < 1 || classes < 1 || batch < 1)
      throw value_error(detail::cat("width, classes and batch must be >= 1, got ", width, ", ",
                                    classes, ", ", batch));
    if (steps < 0) throw value_error(detail::cat("steps must be >= 0, got ", steps));
    for (auto [v, name] :
         {std::pair{sigma_w, "sigma_w"}, std::pair{sigma_b, "sigma_b"}, std::pair{param, "std"}})
      if (!std::isfinite(v) || v < 0)
        throw value_error(detail::cat(name, " must be a finite number >= 0, got ", v));
    activation.validate();
    optim.validate();
  }
};

struct ExperimentResult {
  Diagnosis diagnosis;
  std::vector<LsuvLayer> lsuv;
  std::vector<double> train_loss;  // per step (empty without training)
  bool train_nonfinite = false;
};

namespace exp_detail {

// The PyTorch gain name for an activation (ReLU's for those without one).
inline std::string gain_name(const Activation& a, double& param) {
  param = 0;
  switch (a.kind) {
    case Act::identity: return "linear";
    case Act::sigmoid: return "sigmoid";
    case Act::tanh: return "tanh";
    case Act::relu: return "relu";
    case Act::leaky_relu: param = a.negative_slope; return "leaky_relu";
    case Act::selu: return "selu";
    default: return "relu";
  }
}

template <class T>
void init_weights(Mlp<T>& net, const ExperimentConfig& c, Generator& g) {
  double slope = 0;
  const std::string nl = gain_name(c.activation, slope);
  const double gain = init::calculate_gain(nl, slope);
  auto& P = net.params();
  for (int l = 0; l < net.num_layers(); ++l) {
    auto W = P.W(l);
    const std::string& s = c.init;
    if (s == "zeros")
      init::zeros_(W);
    else if (s == "normal")
      init::normal_(W, g, 0.0, c.param);
    else if (s == "xavier_normal")
      init::xavier_normal_(W, g);
    else if (s == "xavier_uniform")
      init::xavier_uniform_(W, g);
    else if (s == "kaiming_normal")
      init::kaiming_normal_(W, g, slope, "fan_in", nl == "linear" ? "linear" : nl);
    else if (s == "kaiming_uniform")
      init::kaiming_uniform_(W, g, slope, "fan_in", nl);
    else if (s == "lecun_normal")
      init::lecun_normal_(W, g);
    else if (s == "lecun_uniform")
      init::lecun_uniform_(W, g);
    else if (s == "he_normal")
      init::he_normal_(W, g);
    else if (s == "he_uniform")
      init::he_uniform_(W, g);
    else if (s == "glorot_normal")
      init::glorot_normal_(W, g);
    else if (s == "glorot_uniform")
      init::glorot_uniform_(W, g);
    else if (s == "orthogonal" || s == "lsuv")
      init::orthogonal_(W, g, s == "orthogonal" ? gain : 1.0);
    else if (s == "zero")
      init::zero_(W);
    else if (s == "sigma") {
      init::normal_(W, g, 0.0, c.sigma_w / std::sqrt(double(W.cols())));
      auto b = P.b(l);
      normal_fill(b.data(), static_cast<std::size_t>(b.size()), 0.0, c.sigma_b, g);
    }
  }
}

}  // namespace exp_detail

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
  exp_detail::init_weights(net, c, g);
  if (c.init == "lsuv") r.lsuv = lsuv_(net, X, g, 0.1, 10, /*orthogonal_init=*/false);
  r.diagnosis = diagnose(net, X, y, g);
  if (c.steps > 0) {
    FitConfig f;
    f.epochs = c.steps;
    f.batch_size = c.batch;
    f.shuffle = false;
    f.optim = c.optim;
    f.clip_mode = c.clip_mode;
    f.clip = c.clip;
    History h = fit(net, X, y, f, g);
    r.train_loss = std::move(h.step_loss);
    r.train_nonfinite = h.nonfinite;
  }
  return r;
}

// Many experiments on the thread pool; experiment i uses gens[i]. progress(done) is called
// from the calling thread's tasks as experiments finish (may be empty).
template <class T>
std::vector<ExperimentResult> run_sweep(const std::vector<ExperimentConfig>& cs,
                                        std::vector<Generator>& gens,
                                        const std::function<void(std::size_t)>& progress = {}) {
  if (gens.size() != cs.size()) throw value_error("run_sweep: one generator per configuration");
  for (const auto& c : cs) c.validate();
  std::vector<ExperimentResult> out(cs.size());
  std::atomic<std::size_t> done{0};
  parallel_tasks(static_cast<index_t>(cs.size()), [&](index_t i) {
    out[i] = run_experiment<T>(cs[i], gens[i]);
    const std::size_t d = ++done;
    if (progress) progress(d);
  });
  return out;
}

}  // namespace fastinit
