// fastinit/fit.hpp — the training loop: shuffled mini-batches, loss and gradients, optional
// clipping, an optimizer step; all in C++, with no allocation per step.
//
// Shape legend: X (N, D_0) the whole training set; y (N, D_L) dense targets or (N,) labels;
// each step gathers B rows (the last batch of an epoch may be smaller).
// Shuffling draws one permutation per epoch from the Generator (Fisher–Yates on 64-bit words),
// so a seed fixes the whole run; results are bit-identical for any thread count.
// A non-finite loss or gradient norm stops training and sets History::nonfinite.
#pragma once

#include <functional>
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
  std::vector<double> layer_grad_norm;  // (epochs, L): mean ||dW_l||_2 over the epoch's steps
  int num_layers = 0;
  std::int64_t epochs_done = 0;
  bool nonfinite = false;  // stopped on a NaN / inf loss or gradient
  bool stopped = false;    // stopped by the callback
};

// callback(history, step) -> false to stop, every cfg.callback_every steps. A ScopedPoll of
// the caller (parallel.hpp) stops training too, during a forward / backward pass or after a
// step, never inside the update: either way the network holds the parameters of the last
// completed step (its caches may hold the interrupted pass).
template <class T>
History fit(Mlp<T>& net, typename Mlp<T>::ConstInput X, const Target<T>& y, const FitConfig& cfg,
            Generator& gen,
            const std::function<bool(const History&, std::int64_t)>& callback = {}) {
  cfg.validate();
  net.check_input(X);
  const index_t N = X.rows(), D0 = X.cols(), K = net.sizes().back();
  check_target(net.output(), y, N, K);
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
        apply_clip(cfg.clip, tensors, gnorm);
        opt.step(net.params().data(), grads.data(), grads.size());
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
    for (int l = 0; l < L; ++l)
      h.layer_grad_norm.push_back(ep_steps ? ep_norms[l] / double(ep_steps) : 0.0);
    h.epochs_done = ep + 1;
    if (h.nonfinite || h.stopped) break;
  }
  return h;
}

}  // namespace fastinit
