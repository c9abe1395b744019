// fastinit/fit.hpp — the training loop: shuffled mini-batches, loss and gradients, optional
// clipping, an optimizer step; all in C++, with no allocation per step.
//
// Shape legend: X (N, D_0) the whole training set; y (N, D_L) dense targets or (N,) labels;
// each step gathers B rows (the last batch of an epoch may be smaller).
// Shuffling draws one permutation per epoch from the Generator (Fisher–Yates on 64-bit words),
// so a seed fixes the whole run; results are bit-identical for any thread count.
// A non-finite loss or gradient norm stops training and sets History::nonfinite.
//
// Accuracy (per epoch): the fraction of correct predictions, counted on each step's mini-batch
// from the logits of its forward pass, before that step's update — a running count over the
// epoch, as a PyTorch training loop that sums `(logits.argmax(1) == y)` per batch reports it
// (and Keras' `accuracy`); it costs nothing beyond the training pass. Softmax: argmax of the
// logits (first index on ties) against the label, or against the argmax of a one-hot / dense
// target row. Sigmoid (BCE): each of the N * K outputs, z >= 0 (p >= 0.5) against t >= 0.5.
// Linear (MSE) has no accuracy: NaN.
// Validation (fit's `validation`): after each completed epoch, evaluate() — loss and accuracy of
// the parameters at the end of the epoch over the whole validation set, in chunks of
// cfg.batch_size rows (the workspace training uses; the chunking is a function of the sizes
// only, so the numbers are deterministic for any thread count). It reads the network and
// writes only its caches: training is the same with and without it, bit for bit.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "clip.hpp"
#include "mlp.hpp"
#include "optim.hpp"
#include "random.hpp"

namespace fastinit {

struct FitConfig {
  std::int64_t epochs = 1;
  index_t batch_size = 32;
  bool shuffle = true;
  OptimConfig optim;
  ClipConfig clip;             // applied after each backward pass, before the step
  index_t callback_every = 0;  // steps between callbacks (0: never)

  void validate() const {
    if (epochs < 0) throw value_error(detail::cat("epochs must be >= 0, got ", epochs));
    if (batch_size < 1) throw value_error(detail::cat("batch_size must be >= 1, got ", batch_size));
    if (callback_every < 0) throw value_error("callback_every must be >= 0");
    clip.validate();
    optim.validate();
  }
};

struct History {
  std::vector<double> step_loss;        // per step, before the update
  std::vector<double> step_grad_norm;   // global L2 norm per step, before clipping
  std::vector<double> epoch_loss;       // mean step loss per epoch
  std::vector<double> accuracy;         // per epoch: running training accuracy (NaN: MSE)
  std::vector<double> val_loss;         // per epoch: validation loss (NaN: none, or cut short)
  std::vector<double> val_accuracy;     // per epoch: validation accuracy (likewise; NaN: MSE)
  std::vector<double> layer_grad_norm;  // (epochs, L): mean ||dW_l||_2 over the epoch's steps
  int num_layers = 0;
  std::int64_t epochs_done = 0;
  bool nonfinite = false;  // stopped on a NaN / inf loss or gradient
  bool stopped = false;    // stopped by the callback
};

// Correct predictions among the N rows of logits Z (N, K) for targets y, and how many were
// judged (N, or N * K for the sigmoid's independent outputs); {0, 0} for the linear output.
struct Tally {
  std::int64_t correct = 0, total = 0;
  double rate() const {
    return total ? double(correct) / double(total) : std::numeric_limits<double>::quiet_NaN();
  }
};

template <class T>
Tally count_correct(Output out, const T* Z, const Target<T>& y, index_t N, index_t K) {
  Tally t;
  if (out == Output::linear) return t;
  if (out == Output::sigmoid) {
    for (index_t i = 0; i < N * K; ++i) t.correct += (Z[i] >= T(0)) == (y.dense[i] >= T(0.5));
    t.total = N * K;
    return t;
  }
  for (index_t n = 0; n < N; ++n) {
    const T* z = Z + n * K;
    const index_t pred = std::max_element(z, z + K) - z;  // the first maximum, as NumPy's
    index_t truth = 0;
    if (y.labels) {
      truth = static_cast<index_t>(y.labels[n]);
    } else {
      const T* r = y.dense + n * K;
      truth = std::max_element(r, r + K) - r;
    }
    t.correct += pred == truth;
  }
  t.total = N;
  return t;
}

struct Evaluation {
  double loss = std::numeric_limits<double>::quiet_NaN();
  double accuracy = std::numeric_limits<double>::quiet_NaN();
};

// Loss (reduced as the training loss is) and accuracy of the current parameters over all N
// rows of (X, y), forward passes of `chunk` rows at a time (fewer for the last). Overwrites the
// network's caches, nothing else. Stops with fastinit::interrupted between chunks.
template <class T>
Evaluation evaluate(Mlp<T>& net, typename Mlp<T>::ConstInput X, const Target<T>& y, index_t chunk) {
  net.check_input(X);
  const index_t N = X.rows(), K = net.sizes().back();
  check_target(net.output(), y, N, K);
  chunk = std::max<index_t>(1, std::min(chunk, N));
  const int L = net.num_layers();
  double total = 0;
  Tally tally;
  for (index_t s = 0; s < N; s += chunk) {
    if (detail::stop_requested()) throw interrupted();
    const index_t nb = std::min(chunk, N - s);
    const Target<T> ys{y.dense ? y.dense + s * K : nullptr, y.labels ? y.labels + s : nullptr};
    // each chunk's loss is a mean over its rows (times K for MSE / BCE): weight it by its rows
    total += net.loss(X.middleRows(s, nb), ys) * double(nb);
    const Tally t = count_correct(net.output(), net.workspace().Z[L - 1].data(), ys, nb, K);
    tally.correct += t.correct;
    tally.total += t.total;
  }
  return {total / double(N), tally.rate()};
}

// Validation data for fit: X (N_v, D_0) and its targets.
template <class T>
struct Validation {
  typename Mlp<T>::ConstInput X;
  Target<T> y;
};

// callback(history, step) -> false to stop, every cfg.callback_every steps. A ScopedPoll of
// the caller (parallel.hpp) stops training too, during a forward / backward pass or after a
// step, never inside the update: either way the network holds the parameters of the last
// completed step (its caches may hold the interrupted pass).
template <class T>
History fit(Mlp<T>& net, typename Mlp<T>::ConstInput X, const Target<T>& y, const FitConfig& cfg,
            Generator& gen, const std::function<bool(const History&, std::int64_t)>& callback = {},
            const Validation<T>* validation = nullptr) {
  cfg.validate();
  net.check_input(X);
  const index_t N = X.rows(), D0 = X.cols(), K = net.sizes().back();
  check_target(net.output(), y, N, K);
  if (validation) {
    net.check_input(validation->X);
    check_target(net.output(), validation->y, validation->X.rows(), K);
  }
  const int L = net.num_layers();
  const index_t B = std::min(cfg.batch_size, N);

  Params<T> grads(net.sizes());
  Optimizer<T> opt(cfg.optim, net.params().size());
  Matrix<T> Xb(B, D0);
  Matrix<T> Yb(y.dense ? B : 0, y.dense ? K : 0);
  std::vector<std::int64_t> lb(y.labels ? B : 0);
  std::vector<index_t> perm(static_cast<std::size_t>(N));
  std::iota(perm.begin(), perm.end(), index_t{0});
  std::vector<std::uint64_t> words(N > 1 ? static_cast<std::size_t>(N - 1) : 0);
  auto tensors = grads.tensors();
  std::vector<double> norms(tensors.size());
  const auto grad_elems = static_cast<double>(grads.size());

  History h;
  h.num_layers = L;
  std::int64_t step = 0;
  for (std::int64_t ep = 0; ep < cfg.epochs; ++ep) {
    if (cfg.shuffle && N > 1) {
      random_u64(words.data(), words.size(), gen);
      for (index_t i = N - 1; i > 0; --i)
        std::swap(perm[i], perm[bounded(words[N - 1 - i], static_cast<std::uint64_t>(i + 1))]);
    }
    double ep_loss = 0;
    std::vector<double> ep_norms(L, 0.0);
    index_t ep_steps = 0;
    Tally ep_tally;
    for (index_t s = 0; s < N; s += B) {
      const index_t nb = std::min(B, N - s);
      for (index_t r = 0; r < nb; ++r) {
        const index_t src = perm[s + r];
        Xb.row(r) = X.row(src);
        if (y.dense) {
          for (index_t k = 0; k < K; ++k) Yb(r, k) = y.dense[src * K + k];
        } else {
          lb[r] = y.labels[src];
        }
      }
      Target<T> yb{y.dense ? Yb.data() : nullptr, y.labels ? lb.data() : nullptr};
      double loss = 0;
      try {
        loss = net.loss_and_grad(Xb.topRows(nb), yb, grads);
      } catch (const interrupted&) {
        h.stopped = true;
        break;
      }
      // One pass over the gradients gives the per-tensor norms, the history's global norm and,
      // for L2 clipping, the total to clip by.
      parallel_tasks(static_cast<index_t>(tensors.size()), grad_elems, [&](index_t i) {
        norms[i] = tensor_norm(tensors[i].first, tensors[i].second, 2.0);
      });
      const double gnorm = tensor_norm(norms.data(), norms.size(), 2.0);
      const Tally bt = count_correct(net.output(), net.workspace().Z[L - 1].data(), yb, nb, K);
      ep_tally.correct += bt.correct;
      ep_tally.total += bt.total;
      h.step_loss.push_back(loss);
      h.step_grad_norm.push_back(gnorm);
      for (int l = 0; l < L; ++l) ep_norms[l] += norms[2 * l];
      ep_loss += loss;
      ++ep_steps;
      ++step;
      if (!std::isfinite(loss) || !std::isfinite(gnorm)) {
        h.nonfinite = true;
        break;
      }
      {
        const SuspendedPoll whole_update;  // the update never stops half-way
        // Global L2 clipping's factor is applied by the optimizer as it reads the gradients.
        const T g_scale = clip_or_factor(cfg.clip, tensors, gnorm);
        opt.step(net.params().data(), grads.data(), grads.size(), g_scale);
      }
      if (callback && cfg.callback_every > 0 && step % cfg.callback_every == 0 &&
          !callback(h, step)) {
        h.stopped = true;
        break;
      }
      if (detail::stop_requested()) {
        h.stopped = true;
        break;
      }
    }
    h.epoch_loss.push_back(ep_steps ? ep_loss / double(ep_steps) : 0.0);
    h.accuracy.push_back(ep_tally.rate());
    for (int l = 0; l < L; ++l)
      h.layer_grad_norm.push_back(ep_steps ? ep_norms[l] / double(ep_steps) : 0.0);
    Evaluation v;  // NaN unless the epoch completed
    if (validation && !h.nonfinite && !h.stopped) {
      try {
        v = evaluate(net, validation->X, validation->y, cfg.batch_size);
      } catch (const interrupted&) {
        h.stopped = true;
      }
    }
    h.val_loss.push_back(v.loss);
    h.val_accuracy.push_back(v.accuracy);
    h.epochs_done = ep + 1;
    if (h.nonfinite || h.stopped) break;
  }
  return h;
}

}  // namespace fastinit
