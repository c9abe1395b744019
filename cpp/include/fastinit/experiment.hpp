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
//
// Data sweeps (run_experiment with a DataSplit): the network is [features] + hidden + [classes]
// (`depth` still counts the hidden layers), the diagnosis and LSUV batch is `batch` rows drawn
// without replacement from the training split, and training is `epochs` epochs of shuffled
// mini-batches of `batch_size` rows (fit.hpp, shuffled from the experiment's generator), with
// the test split evaluated after each epoch. Reported:
//   initial / train / test   loss and accuracy over the whole split (before / after training)
//   steps_to_target          optimizer steps done at the end of the first epoch whose test
//                            accuracy is >= target; -1 if none
//   diverged                 a non-finite loss or gradient, or a final training loss above
//                            diverge_factor x the initial one (4 by default, the threshold of
//                            the learning-rate range tests of fastai and PyTorch Lightning)
#pragma once

#include <algorithm>
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
  // Explicit layer sizes [D_0, ..., D_L] (at least one hidden layer), used instead of
  // width x depth (and classes) when not empty.
  std::vector<index_t> sizes;
  // Data sweeps only:
  std::int64_t epochs = 0;      // epochs of mini-batch training (>= 1 with data)
  index_t batch_size = 64;      // rows per mini-batch
  double target = 0.9;          // test accuracy that steps_to_target waits for
  double diverge_factor = 4.0;  // final / initial training loss above this: diverged

  // The network's layer sizes.
  std::vector<index_t> layer_sizes() const {
    if (!sizes.empty()) return sizes;
    std::vector<index_t> s(static_cast<std::size_t>(depth) + 1, width);
    s.push_back(classes);
    return s;
  }

  // What running it costs, in relative units: the weights' size times the passes over the data
  // (epochs on data, else the training steps plus the diagnosis). Sweeps run the longest first.
  double cost(bool on_data) const {
    const auto sz = layer_sizes();
    double w = 0;
    for (std::size_t l = 0; l + 1 < sz.size(); ++l) w += double(sz[l]) * double(sz[l + 1]);
    return w * (on_data ? double(std::max<std::int64_t>(epochs, 1)) : double(steps) + 1);
  }

  void validate() const {
    if (!sizes.empty()) {
      if (sizes.size() < 3)
        throw value_error(
            detail::cat("sizes needs at least 3 entries (inputs, a hidden layer, "
                        "outputs), got ",
                        detail::shape_str(sizes)));
      for (std::size_t i = 0; i < sizes.size(); ++i)
        if (sizes[i] < 1)
          throw value_error(detail::cat("sizes[", i, "] must be >= 1, got ", sizes[i]));
    }
    if (epochs < 0) throw value_error(detail::cat("epochs must be >= 0, got ", epochs));
    if (batch_size < 1) throw value_error(detail::cat("batch_size must be >= 1, got ", batch_size));
    if (!std::isfinite(target))
      throw value_error(detail::cat("target must be finite, got ", target));
    if (!(diverge_factor >= 1))
      throw value_error(detail::cat("diverge_factor must be >= 1, got ", diverge_factor));
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
  // Data sweeps only (NaN / empty / -1 / false otherwise):
  Evaluation initial, train, test;          // whole splits, before / after training
  std::vector<double> epoch_test_accuracy;  // after each epoch
  std::int64_t steps_to_target = -1;
  bool diverged = false;
};

// A classification data set for data sweeps: row-major views the caller keeps alive.
// X_* (n_*, features); y_* (n_*,) labels in [0, classes).
template <class T>
struct DataSplit {
  const T* X_train = nullptr;
  const std::int64_t* y_train = nullptr;
  index_t n_train = 0;
  const T* X_test = nullptr;
  const std::int64_t* y_test = nullptr;
  index_t n_test = 0;
  index_t features = 0, classes = 0;

  // Sizes, and a configuration that fits the data (input and output widths, epochs).
  void check(const ExperimentConfig& c) const {
    if (n_train < 1 || n_test < 1 || features < 1 || classes < 1)
      throw value_error("data: the training and test splits need at least one row each");
    const auto s = c.layer_sizes();
    if (s.front() != features || s.back() != classes)
      throw value_error(detail::cat("data: the network ", detail::shape_str(s), " needs ", features,
                                    " inputs and ", classes, " outputs for this data"));
    if (c.epochs < 1)
      throw value_error(detail::cat("epochs must be >= 1 for a data sweep, got ", c.epochs));
    if (c.steps != 0)
      throw value_error(
          "steps is the synthetic sweep's full-batch training; with data, use epochs");
    check_target<T>(Output::softmax, {nullptr, y_train}, n_train, classes);
    check_target<T>(Output::softmax, {nullptr, y_test}, n_test, classes);
  }
};

namespace detail {

inline void check_synthetic(const ExperimentConfig& c) {
  if (c.epochs != 0)
    throw value_error(
        "epochs is for data sweeps (training on data); the synthetic sweep uses steps");
}

// One data-sweep experiment on `net` (already sized for the data).
template <class T>
void run_on_data(const ExperimentConfig& c, Generator& g, Mlp<T>& net, const DataSplit<T>& d,
                 ExperimentResult& r) {
  using In = typename Mlp<T>::ConstInput;
  const ConstMatrixMap<T> Xtr(d.X_train, d.n_train, d.features),
      Xte(d.X_test, d.n_test, d.features);
  const Target<T> ytr{nullptr, d.y_train}, yte{nullptr, d.y_test};
  // The diagnosis / LSUV batch: rows drawn without replacement (a partial Fisher-Yates shuffle).
  const index_t nb = std::min(c.batch, d.n_train);
  std::vector<index_t> rows(static_cast<std::size_t>(d.n_train));
  std::iota(rows.begin(), rows.end(), index_t{0});
  std::vector<std::uint64_t> words(static_cast<std::size_t>(nb));
  random_u64(words.data(), words.size(), g);
  Matrix<T> Xb(nb, d.features);
  std::vector<std::int64_t> yb(static_cast<std::size_t>(nb));
  for (index_t i = 0; i < nb; ++i) {
    const auto j = i + static_cast<index_t>(bounded(words[i], std::uint64_t(d.n_train - i)));
    std::swap(rows[i], rows[j]);
    Xb.row(i) = Xtr.row(rows[i]);
    yb[i] = d.y_train[rows[i]];
  }
  SchemeReport init = init_network_(net, c.init, g, In(Xb));
  r.sigma_w = init.sigma_w;
  r.lsuv = std::move(init.lsuv);
  r.diagnosis = diagnose(net, Xb, Target<T>{nullptr, yb.data()}, g);

  r.initial = evaluate(net, In(Xtr), ytr, c.batch_size);
  FitConfig f;
  f.epochs = c.epochs;
  f.batch_size = c.batch_size;
  f.optim = c.optim;
  f.clip = c.clip;
  const Validation<T> val{In(Xte), yte};
  History h = fit(net, In(Xtr), ytr, f, g, {}, &val);
  if (h.stopped) throw interrupted();  // no callback: only a stop request ends a sweep's fit
  r.train_loss = std::move(h.step_loss);
  r.train_nonfinite = h.nonfinite;
  r.epoch_test_accuracy = h.val_accuracy;
  r.train = evaluate(net, In(Xtr), ytr, c.batch_size);
  const bool complete = !h.nonfinite && h.epochs_done == c.epochs;
  r.test = complete ? Evaluation{h.val_loss.back(), h.val_accuracy.back()}
                    : evaluate(net, In(Xte), yte, c.batch_size);
  const index_t B = std::min(c.batch_size, d.n_train);
  const std::int64_t per_epoch = (d.n_train + B - 1) / B;
  for (std::size_t e = 0; e < h.val_accuracy.size(); ++e)
    if (h.val_accuracy[e] >= c.target) {
      r.steps_to_target = static_cast<std::int64_t>(e + 1) * per_epoch;
      break;
    }
  r.diverged = h.nonfinite || !std::isfinite(r.train.loss) || !std::isfinite(r.test.loss) ||
               !std::isfinite(r.initial.loss) || r.train.loss > c.diverge_factor * r.initial.loss;
}

}  // namespace detail

// One experiment. T is the network's dtype; data: a data sweep's splits (null: synthetic).
template <class T>
ExperimentResult run_experiment(const ExperimentConfig& c, Generator& g,
                                const DataSplit<T>* data = nullptr) {
  c.validate();
  const std::vector<index_t> sizes = c.layer_sizes();
  Mlp<T> net(sizes, {c.activation}, Output::softmax);
  ExperimentResult r;
  if (data) {
    data->check(c);
    detail::run_on_data(c, g, net, *data, r);
    return r;
  }
  detail::check_synthetic(c);
  const index_t inputs = sizes.front(), classes = sizes.back();
  Matrix<T> X(c.batch, inputs);
  normal_fill(X.data(), static_cast<std::size_t>(X.size()), 0.0, 1.0, g);
  std::vector<std::uint64_t> words(static_cast<std::size_t>(c.batch));
  random_u64(words.data(), words.size(), g);
  std::vector<std::int64_t> labels(words.size());
  for (std::size_t i = 0; i < words.size(); ++i)
    labels[i] = static_cast<std::int64_t>(bounded(words[i], static_cast<std::uint64_t>(classes)));
  Target<T> y{nullptr, labels.data()};
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

// Many experiments on the thread pool; experiment i uses gens[i]; all on `data` if given.
template <class T>
std::vector<ExperimentResult> run_sweep(const std::vector<ExperimentConfig>& cs,
                                        std::vector<Generator>& gens,
                                        const DataSplit<T>* data = nullptr) {
  if (gens.size() != cs.size()) throw value_error("run_sweep: one generator per configuration");
  for (const auto& c : cs) {
    c.validate();
    if (data)
      data->check(c);
    else
      detail::check_synthetic(c);
  }
  // Longest first (threads take the next task as they finish, so the longest ones do not
  // start last). Each result depends on its own configuration and generator alone, so the
  // order changes no value.
  std::vector<double> cost(cs.size());
  for (std::size_t i = 0; i < cs.size(); ++i) cost[i] = cs[i].cost(data != nullptr);
  std::vector<std::size_t> order(cs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  std::vector<ExperimentResult> out(cs.size());
  parallel_tasks(static_cast<index_t>(cs.size()), [&](index_t t) {
    const std::size_t i = order[std::size_t(t)];
    out[i] = run_experiment<T>(cs[i], gens[i], data);
  });
  return out;
}

}  // namespace fastinit
