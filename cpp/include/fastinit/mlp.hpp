// fastinit/mlp.hpp — the L-layer fully connected network: forward, loss, backward.
//
// Shape legend: N batch rows; D_l width of layer l (D_0 inputs, D_L outputs);
//   W_l (D_l, D_{l-1})   b_l (D_l)   A_0 = X (N, D_0)
//   Z_l = A_{l-1} W_l^T + b_l   (N, D_l)        A_l = f_l(Z_l)   (hidden l < L)
//   P = g(Z_L)  output activation (identity / sigmoid / softmax) fused with the loss
// Backward, from dZ_L = dLoss/dZ_L:
//   dW_l = dZ_l^T A_{l-1}   db_l = sum_n dZ_l[n]   dA_{l-1} = dZ_l W_l   dZ_{l-1} = dA_{l-1} *
//   f'(Z_{l-1})
//
// Storage: all parameters in one contiguous 64-byte-aligned buffer (Params), each W_l and b_l
// starting on a 64-byte boundary; gradients use the same layout, so clipping and optimizers run
// over flat buffers. The per-layer caches Z_l, A_l, dA_l, dZ_l stay in the Workspace after a
// pass, for the diagnostics to read.
//
// Parallel split: every GEMM is cut into row panels whose size depends only on the problem's
// dimensions, never on the thread count, so results are bit-identical for any thread count.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <memory>
#include <mutex>
#include <vector>

#include "activation.hpp"
#include "errors.hpp"
#include "loss.hpp"
#include "parallel.hpp"
#include "types.hpp"

namespace fastinit {

// A flat, aligned buffer holding W_1, b_1, ..., W_L, b_L.
template <class T>
class Params {
 public:
  Params() = default;
  explicit Params(const std::vector<index_t>& sizes) : sizes_(sizes) {
    const std::size_t align = alignment / sizeof(T);
    auto up = [&](std::size_t n) { return (n + align - 1) / align * align; };
    // Every count stays below max / 4 / sizeof(T), so neither the padding, nor the byte count,
    // nor the gradient and optimizer buffers of the same size can overflow.
    const std::size_t limit = std::numeric_limits<std::size_t>::max() / 4 / sizeof(T);
    std::size_t off = 0;
    auto advance = [&](std::size_t n, std::size_t l) {
      if (n > limit - off)
        throw size_error(detail::cat("the parameters up to layer ", l, " (sizes ",
                                     detail::shape_str(sizes), ") are too large"));
      off = up(off + n);
    };
    for (std::size_t l = 1; l < sizes.size(); ++l) {
      const auto out = static_cast<std::size_t>(sizes[l]),
                 in = static_cast<std::size_t>(sizes[l - 1]);
      if (in != 0 && out > limit / in)
        throw size_error(detail::cat("layer ", l, " of shape (", out, ", ", in, ") is too large"));
      w_off_.push_back(off);
      advance(out * in, l);
      b_off_.push_back(off);
      advance(out, l);
    }
    size_ = off;
    data_ = aligned_alloc_array<T>(size_);
    std::fill(data_.get(), data_.get() + size_, T(0));
  }
  Params(const Params& o) : Params(o.sizes_) { std::copy(o.data(), o.data() + size_, data_.get()); }
  Params& operator=(const Params& o) {
    if (this != &o) {
      if (o.sizes_ != sizes_) *this = Params(o.sizes_);
      std::copy(o.data(), o.data() + size_, data_.get());
    }
    return *this;
  }
  Params(Params&&) noexcept = default;
  Params& operator=(Params&&) noexcept = default;

  int num_layers() const { return static_cast<int>(w_off_.size()); }
  const std::vector<index_t>& sizes() const { return sizes_; }
  std::size_t size() const { return size_; }  // including padding (always zero)
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }

  // Layer l in [0, L): W_{l+1} in the legend's numbering.
  MatrixMap<T> W(int l) { return {data_.get() + w_off_[l], sizes_[l + 1], sizes_[l]}; }
  ConstMatrixMap<T> W(int l) const { return {data_.get() + w_off_[l], sizes_[l + 1], sizes_[l]}; }
  VectorMap<T> b(int l) { return {data_.get() + b_off_[l], sizes_[l + 1]}; }
  ConstVectorMap<T> b(int l) const { return {data_.get() + b_off_[l], sizes_[l + 1]}; }

  // Every tensor in order W_1, b_1, W_2, ... as (pointer, count).
  std::vector<std::pair<T*, std::size_t>> tensors() {
    std::vector<std::pair<T*, std::size_t>> t;
    for (int l = 0; l < num_layers(); ++l) {
      t.emplace_back(data_.get() + w_off_[l], static_cast<std::size_t>(sizes_[l + 1] * sizes_[l]));
      t.emplace_back(data_.get() + b_off_[l], static_cast<std::size_t>(sizes_[l + 1]));
    }
    return t;
  }
  void set_zero() { std::fill(data_.get(), data_.get() + size_, T(0)); }

 private:
  std::vector<index_t> sizes_;
  std::vector<std::size_t> w_off_, b_off_;
  std::size_t size_ = 0;
  aligned_ptr<T> data_;
};

namespace gemm {

// Rows per panel: a function of the GEMM's dimensions only (never of the thread count).
inline index_t panel_rows(index_t rows, index_t inner, index_t cols) {
  const double flops = 2.0 * double(rows) * double(inner) * double(cols);
  if (flops < 4.0e6 || rows < 64) return std::max<index_t>(rows, 1);  // too small to split
  return 32;
}

}  // namespace gemm

// Per-batch buffers: Z_l, A_l (l = 1..L), dZ_l, dA_l (l = 1..L-1). Grown, never shrunk.
template <class T>
struct Workspace {
  index_t N = 0, capacity = 0;
  bool has_grads = false;               // dZ, dA belong to the last forward pass
  std::vector<Matrix<T>> Z, A, dZ, dA;  // index l-1 for layer l

  void ensure(const std::vector<index_t>& sizes, index_t n) {
    const int L = static_cast<int>(sizes.size()) - 1;
    if (n > capacity || static_cast<int>(Z.size()) != L) {
      Z.assign(L, {});
      A.assign(L, {});
      dZ.assign(L, {});
      dA.assign(L, {});
      for (int l = 0; l < L; ++l) {
        Z[l].resize(n, sizes[l + 1]);
        A[l].resize(n, sizes[l + 1]);
        dZ[l].resize(n, sizes[l + 1]);
        dA[l].resize(n, sizes[l + 1]);
      }
      capacity = n;
    }
    N = n;
  }
  // Views of the first N rows.
  auto z(int l) { return Z[l].topRows(N); }
  auto a(int l) { return A[l].topRows(N); }
  auto dz(int l) { return dZ[l].topRows(N); }
  auto da(int l) { return dA[l].topRows(N); }
};

template <class T>
class Mlp {
 public:
  using ConstInput = ConstMatrixRef<T>;
  // sizes: [D_0, ..., D_L] (L >= 1, every D_l >= 1); hidden: one activation per hidden layer
  // (L - 1 of them), or a single one for all.
  Mlp(std::vector<index_t> sizes, std::vector<Activation> hidden, Output output) : output_(output) {
    if (sizes.size() < 2)
      throw value_error(detail::cat(
          "layer_sizes needs at least 2 entries (inputs and outputs), got ", sizes.size()));
    for (std::size_t i = 0; i < sizes.size(); ++i)
      if (sizes[i] < 1)
        throw value_error(detail::cat("layer_sizes[", i, "] must be >= 1, got ", sizes[i]));
    const std::size_t L = sizes.size() - 1;
    if (hidden.size() == 1 && L - 1 != 1) hidden.assign(L - 1, hidden[0]);
    if (hidden.empty() && L > 1) hidden.assign(L - 1, Activation{});
    if (hidden.size() != L - 1)
      throw value_error(detail::cat("expected ", L - 1, " hidden activations for ", L,
                                    " layers, got ", hidden.size()));
    for (auto& a : hidden) a.validate();
    params_ = Params<T>(sizes);
    hidden_ = std::move(hidden);
  }

  int num_layers() const { return params_.num_layers(); }
  const std::vector<index_t>& sizes() const { return params_.sizes(); }
  const std::vector<Activation>& activations() const { return hidden_; }
  Output output() const { return output_; }
  Params<T>& params() { return params_; }
  const Params<T>& params() const { return params_; }
  Workspace<T>& workspace() { return ws_; }
  const Workspace<T>& workspace() const { return ws_; }
  // A network's passes share its workspace: callers on several threads take this lock around a
  // pass (the Python bindings do, after releasing the GIL).
  std::mutex& mutex() const { return mu_; }

  // Forward pass over X (N, D_0) through layers [0, upto) (default: all); leaves Z_l, A_l in
  // the workspace (for the last layer A holds nothing until loss() writes P into it).
  void forward(ConstMatrixRef<T> X, int upto = -1) {
    check_input(X);
    const index_t N = X.rows();
    ws_.ensure(sizes(), N);
    const int L = num_layers();
    const int stop = upto < 0 ? L : std::min(upto, L);
    ws_.has_grads = false;
    for (int l = 0; l < stop; ++l) {
      const index_t out = sizes()[l + 1], in = sizes()[l];
      auto Wl = params_.W(l);
      auto bl = params_.b(l);
      T* Zp = ws_.Z[l].data();
      T* Ap = ws_.A[l].data();
      const T* Ain = l == 0 ? X.data() : ws_.A[l - 1].data();
      const index_t in_stride = l == 0 ? X.outerStride() : in;
      const bool hidden = l < L - 1;
      const Activation act = hidden ? hidden_[l] : Activation{Act::identity};
      const index_t rows = gemm::panel_rows(N, in, out);
      const index_t tasks = (N + rows - 1) / rows;
      parallel_tasks(tasks, double(N) * double(in) * double(out), [&](index_t t) {
        const index_t r0 = t * rows, nr = std::min(rows, N - r0);
        Eigen::Map<const Matrix<T>, 0, Eigen::OuterStride<>> Ablk(Ain + r0 * in_stride, nr, in,
                                                                  Eigen::OuterStride<>(in_stride));
        MatrixMap<T> Zblk(Zp + r0 * out, nr, out);
        Zblk.noalias() = Ablk * Wl.transpose();
        Zblk.rowwise() += bl.transpose();
        if (hidden) activation_forward(act, Zp + r0 * out, Ap + r0 * out, nr * out);
      });
    }
  }

  // P = output activation of the last forward's logits, into P (N, D_L).
  void predict(ConstMatrixRef<T> X, MatrixRef<T> P) {
    forward(X);
    const int L = num_layers();
    const index_t N = X.rows(), K = sizes().back();
    if (P.rows() != N || P.cols() != K) throw shape_error("predict: P has the wrong shape");
    const T* Z = ws_.Z[L - 1].data();
    switch (output_) {
      case Output::linear: P = ws_.z(L - 1); break;
      case Output::sigmoid:
        for (index_t n = 0; n < N; ++n)
          for (index_t k = 0; k < K; ++k) P(n, k) = act_detail::sigmoid(Z[n * K + k]);
        break;
      case Output::softmax:
        for (index_t n = 0; n < N; ++n) {
          T m = Z[n * K];
          for (index_t k = 1; k < K; ++k) m = std::max(m, Z[n * K + k]);
          double s = 0;
          for (index_t k = 0; k < K; ++k) s += std::exp(double(Z[n * K + k] - m));
          for (index_t k = 0; k < K; ++k)
            P(n, k) = static_cast<T>(std::exp(double(Z[n * K + k] - m)) / s);
        }
        break;
    }
    ws_.a(L - 1) = P;  // the output layer's cache holds P, as after loss()
  }

  // Loss of the current parameters on (X, y); leaves the forward caches (A_L holds P).
  double loss(ConstMatrixRef<T> X, const Target<T>& y) {
    forward(X);
    const int L = num_layers();
    const index_t N = X.rows(), K = sizes().back();
    check_target(output_, y, N, K);
    return loss_forward(output_, ws_.Z[L - 1].data(), ws_.A[L - 1].data(), y, N, K);
  }

  // Forward + backward: returns the loss and writes dLoss/dparams into grads (same layout).
  double loss_and_grad(ConstMatrixRef<T> X, const Target<T>& y, Params<T>& grads) {
    const double l = loss(X, y);
    const int L = num_layers();
    loss_backward(output_, ws_.Z[L - 1].data(), ws_.A[L - 1].data(), y, ws_.dZ[L - 1].data(),
                  X.rows(), sizes().back());
    backward_from_dz(X, grads);
    return l;
  }

  // Backward from dZ_L already in the workspace (used with a custom upstream gradient too).
  void backward_from_dz(ConstMatrixRef<T> X, Params<T>& grads) {
    check_grads(grads);
    const int L = num_layers();
    const index_t N = ws_.N;
    ws_.has_grads = true;
    for (int l = L - 1; l >= 0; --l) {
      const index_t out = sizes()[l + 1], in = sizes()[l];
      const T* dZp = ws_.dZ[l].data();
      const T* Ain = l == 0 ? X.data() : ws_.A[l - 1].data();
      const index_t in_stride = l == 0 ? X.outerStride() : in;
      Eigen::Map<const Matrix<T>, 0, Eigen::OuterStride<>> Aprev(Ain, N, in,
                                                                 Eigen::OuterStride<>(in_stride));
      ConstMatrixMap<T> dZl(dZp, N, out);
      auto dW = grads.W(l);
      auto db = grads.b(l);
      auto Wl = params_.W(l);
      // Tasks [0, tw): panels of dW rows (and db); tasks [tw, tw + ta): panels of dA_{l-1} rows.
      const index_t wrows = gemm::panel_rows(out, N, in);
      const index_t tw = (out + wrows - 1) / wrows;
      const bool need_da = l > 0;
      const index_t arows = gemm::panel_rows(N, out, in);
      const index_t ta = need_da ? (N + arows - 1) / arows : 0;
      const Activation act = need_da ? hidden_[l - 1] : Activation{};
      parallel_tasks(
          tw + ta, double(N) * double(in) * double(out) * (need_da ? 2 : 1), [&](index_t t) {
            if (t < tw) {
              const index_t r0 = t * wrows, nr = std::min(wrows, out - r0);
              dW.middleRows(r0, nr).noalias() = dZl.middleCols(r0, nr).transpose() * Aprev;
              auto dbb = db.segment(r0, nr);
              dbb.setZero();
              for (index_t n = 0; n < N; ++n) dbb += dZl.row(n).segment(r0, nr).transpose();
            } else {
              const index_t r0 = (t - tw) * arows, nr = std::min(arows, N - r0);
              MatrixMap<T> dA(ws_.dA[l - 1].data() + r0 * in, nr, in);
              dA.noalias() = dZl.middleRows(r0, nr) * Wl;
              activation_backward(act, ws_.Z[l - 1].data() + r0 * in, ws_.A[l - 1].data() + r0 * in,
                                  dA.data(), ws_.dZ[l - 1].data() + r0 * in, nr * in);
            }
          });
    }
  }

  void check_input(const ConstMatrixRef<T>& X) const {
    if (X.cols() != sizes()[0])
      throw shape_error(detail::cat("X must have shape (N, ", sizes()[0], "), got (", X.rows(),
                                    ", ", X.cols(), ")"));
    if (X.rows() < 1) throw shape_error("X must have at least one row");
  }
  void check_grads(const Params<T>& g) const {
    if (g.sizes() != sizes())
      throw shape_error("grads were made for a network of other layer sizes");
  }

 private:
  Params<T> params_;
  std::vector<Activation> hidden_;
  Output output_;
  Workspace<T> ws_;
  mutable std::mutex mu_;
};

}  // namespace fastinit
