// fastinit/mlp.hpp — the L-layer fully connected network: forward, loss, backward.
//
// clang-format off
// Shape legend: N batch rows; D_l width of layer l (D_0 inputs, D_L outputs);
//   W_l (D_l, D_{l-1})   b_l (D_l)   A_0 = X (N, D_0)
//   Z_l = A_{l-1} W_l^T + b_l   (N, D_l)        A_l = f_l(Z_l)   (hidden l < L)
//   P = g(Z_L)  output activation (identity / sigmoid / softmax) fused with the loss (loss.hpp)
// Backward, from dZ_L = dLoss/dZ_L:
//   dW_l = dZ_l^T A_{l-1}   (D_l, D_{l-1})     db_l = sum_n dZ_l[n]   (D_l)
//   dA_{l-1} = dZ_l W_l     (N, D_{l-1})       dZ_{l-1} = dA_{l-1} * f'(Z_{l-1})   (hidden)
// clang-format on
//
// Kernels: linear_forward (Z = A_prev W^T + b, then A = f(Z)) beside linear_backward (dW, db,
// dA_prev, then dZ_prev = dA_prev * f'(Z_prev)); namespace naive holds plain-loop references of
// both (tests/cpp holds the two equal). The activations are activation.hpp's; the output layer
// is loss.hpp's.
//
// Storage: all parameters in one contiguous 64-byte-aligned buffer (Params), each W_l and b_l
// starting on a 64-byte boundary; gradients use the same layout, so clipping and optimizers run
// over flat buffers. The per-layer caches Z_l, A_l, dA_l, dZ_l stay in the Workspace after a
// pass, for the diagnostics to read.
//
// Parallel split: every GEMM is cut into row panels whose size depends only on the problem's
// dimensions, never on the thread count, so results are bit-identical for any thread count
// (for_row_panels below).
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

// Rows per panel: a function of the GEMM's dimensions only (never of the thread count). 32 rows,
// doubled up to 128 while at least 4 panels remain (256 rows: 64, 512 rows: 128): each panel is
// a GEMM that packs the whole other operand again, so larger panels repack it less often
// (width 512, batch 256: 84 GFLOP/s at 32 rows, 93 at 64, 99 at 128 on one core here).
inline index_t panel_rows(index_t rows, index_t inner, index_t cols) {
  const double flops = 2.0 * double(rows) * double(inner) * double(cols);
  if (flops < 4.0e6 || rows < 64) return std::max<index_t>(rows, 1);  // too small to split
  index_t per = 32;
  while (per < 128 && rows >= 8 * per) per *= 2;
  return per;
}

// A run of row panels: `rows` rows cut every `per` rows (the last panel may be shorter).
struct Panels {
  index_t rows = 0, per = 1;
  index_t count() const { return (rows + per - 1) / per; }
};

// Calls body(part, r0, nr) for every panel [r0, r0 + nr) of parts[0] (part 0) and parts[1]
// (part 1), all in one parallel region of about `work` multiply-adds.
//
// Why the split is what it is: Eigen's GEMM picks its cache blocking from the dimensions it is
// handed, and the blocking sets the order in which each output element is summed, so the bits
// of a product depend on how it is cut. The cut is made by panel_rows from the shapes alone and
// each panel is one task, so any thread count (and any scheduling) computes the same panels and
// the same bits. At least 4 panels balance two to four threads; products under ~4 MFLOP are not
// cut (a hand-off costs more).
// Running the dW panels and the dA panels of a layer in one region keeps every thread busy when
// one of the two parts is small.
template <class Body>
void for_row_panels(Panels p0, Panels p1, double work, Body&& body) {
  const index_t t0 = p0.count(), t1 = p1.count();
  parallel_tasks(t0 + t1, work, [&](index_t t) {
    if (t < t0) {
      const index_t r0 = t * p0.per;
      body(0, r0, std::min(p0.per, p0.rows - r0));
    } else {
      const index_t r0 = (t - t0) * p1.per;
      body(1, r0, std::min(p1.per, p1.rows - r0));
    }
  });
}

}  // namespace gemm

// A_prev may be the caller's X, with rows `stride` elements apart.
template <class T>
using StridedConstMap = Eigen::Map<const Matrix<T>, 0, Eigen::OuterStride<>>;

// ------------------------------------------------------------------------------ linear layer
// Forward:  A_prev (N, D_in)  W (D_out, D_in)  b (D_out)  ->  Z, A (N, D_out)
//   Z = A_prev W^T + b;  A = f(Z) for a hidden layer (act), untouched for the output layer (null)
// On each panel of N rows, the GEMM, the bias and the activation run while the panel is in cache.
template <class T>
void linear_forward(const StridedConstMap<T>& A_prev, const MatrixMap<T>& W, const VectorMap<T>& b,
                    T* Z, T* A, const Activation* act) {
  const index_t N = A_prev.rows(), in = W.cols(), out = W.rows();
  const gemm::Panels rows{N, gemm::panel_rows(N, in, out)};
  auto panel = [&](int, index_t r0, index_t nr) {
    MatrixMap<T> Zp(Z + r0 * out, nr, out);  // (nr, D_out)
    Zp.noalias() = A_prev.middleRows(r0, nr) * W.transpose();
    Zp.rowwise() += b.transpose();
    if (act) activation_forward(*act, Zp.data(), A + r0 * out, nr * out);
  };
  gemm::for_row_panels(rows, {}, double(N) * double(in) * double(out), panel);
}

// Backward:  dZ (N, D_out)  A_prev (N, D_in)  W (D_out, D_in)  ->
//   dW (D_out, D_in) = dZ^T A_prev      db (D_out) = sum_n dZ[n]
//   dA_prev (N, D_in) = dZ W            dZ_prev = dA_prev * f'(Z_prev)   (when prev is given)
// prev: the hidden layer below (its activation and its caches; A_prev is then that layer's
// dense cache A), or null for the first layer (A_prev = X: no dA_prev is needed).
template <class T>
struct PrevLayer {
  const Activation& act;
  const T* Z;  // Z_prev (N, D_in)
  T* dA;       // dA_prev (N, D_in)
  T* dZ;       // dZ_prev (N, D_in)
};

template <class T>
void linear_backward(const ConstMatrixMap<T>& dZ, const StridedConstMap<T>& A_prev,
                     const MatrixMap<T>& W, MatrixMap<T> dW, VectorMap<T> db,
                     const PrevLayer<T>* prev) {
  const index_t N = dZ.rows(), out = W.rows(), in = W.cols();
  const gemm::Panels w_rows{out, gemm::panel_rows(out, N, in)};  // part 0: rows of dW and db
  const gemm::Panels a_rows = prev ? gemm::Panels{N, gemm::panel_rows(N, out, in)}
                                   : gemm::Panels{};  // part 1: rows of dA_prev
  const double work = double(N) * double(in) * double(out) * (prev ? 2 : 1);
  gemm::for_row_panels(w_rows, a_rows, work, [&](int part, index_t r0, index_t nr) {
    if (part == 0) {
      dW.middleRows(r0, nr).noalias() = dZ.middleCols(r0, nr).transpose() * A_prev;
      auto dbp = db.segment(r0, nr);
      dbp.setZero();
      for (index_t n = 0; n < N; ++n) dbp += dZ.row(n).segment(r0, nr).transpose();
    } else {
      MatrixMap<T> dA(prev->dA + r0 * in, nr, in);  // (nr, D_in)
      dA.noalias() = dZ.middleRows(r0, nr) * W;
      activation_backward(prev->act, prev->Z + r0 * in, A_prev.data() + r0 * in, dA.data(),
                          prev->dZ + r0 * in, nr * in);
    }
  });
}

// Plain-loop references of the two kernels (sums in double), for tests: the fast path must
// agree with them to rounding. Same arguments as above, dense row-major buffers.
namespace naive {

// Z (N, D_out) = A_prev (N, D_in) W^T (D_in, D_out) + b (D_out)
template <class T>
void linear_forward(const T* A_prev, const T* W, const T* b, T* Z, index_t N, index_t in,
                    index_t out) {
  for (index_t n = 0; n < N; ++n)
    for (index_t o = 0; o < out; ++o) {
      double acc = b[o];
      for (index_t i = 0; i < in; ++i) acc += double(A_prev[n * in + i]) * double(W[o * in + i]);
      Z[n * out + o] = static_cast<T>(acc);
    }
}

// dW (D_out, D_in) = dZ^T A_prev;  db (D_out) = sum_n dZ[n];  dA_prev (N, D_in) = dZ W
template <class T>
void linear_backward(const T* dZ, const T* A_prev, const T* W, T* dW, T* db, T* dA_prev, index_t N,
                     index_t in, index_t out) {
  for (index_t o = 0; o < out; ++o) {
    double sb = 0;
    for (index_t n = 0; n < N; ++n) sb += dZ[n * out + o];
    db[o] = static_cast<T>(sb);
    for (index_t i = 0; i < in; ++i) {
      double acc = 0;
      for (index_t n = 0; n < N; ++n) acc += double(dZ[n * out + o]) * double(A_prev[n * in + i]);
      dW[o * in + i] = static_cast<T>(acc);
    }
  }
  for (index_t n = 0; n < N; ++n)
    for (index_t i = 0; i < in; ++i) {
      double acc = 0;
      for (index_t o = 0; o < out; ++o) acc += double(dZ[n * out + o]) * double(W[o * in + i]);
      dA_prev[n * in + i] = static_cast<T>(acc);
    }
}

}  // namespace naive

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

// backward_from_dz's default per-layer hook: nothing.
struct NoLayerHook {
  void operator()(int) const {}
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
      const bool hidden = l < L - 1;
      linear_forward<T>(layer_input(X, l), params_.W(l), params_.b(l), ws_.Z[l].data(),
                        ws_.A[l].data(), hidden ? &hidden_[l] : nullptr);
    }
  }

  // P = output activation of the last forward's logits, into P (N, D_L).
  void predict(ConstMatrixRef<T> X, MatrixRef<T> P) {
    forward(X);
    const int L = num_layers();
    const index_t N = X.rows(), K = sizes().back();
    if (P.rows() != N || P.cols() != K) throw shape_error("predict: P has the wrong shape");
    output_forward(output_, ws_.Z[L - 1].data(), ws_.A[L - 1].data(), N, K);
    P = ws_.a(L - 1);  // the output layer's cache holds P, as after loss()
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
  // on_layer(l) as in backward_from_dz.
  template <class OnLayer = NoLayerHook>
  double loss_and_grad(ConstMatrixRef<T> X, const Target<T>& y, Params<T>& grads,
                       OnLayer&& on_layer = {}) {
    const double l = loss(X, y);
    const int L = num_layers();
    loss_backward(output_, ws_.Z[L - 1].data(), ws_.A[L - 1].data(), y, ws_.dZ[L - 1].data(),
                  X.rows(), sizes().back());
    backward_from_dz(X, grads, on_layer);
    return l;
  }

  // Backward from dZ_L already in the workspace (used with a custom upstream gradient too).
  // on_layer(l) runs as soon as layer l's values are final (its Z, A, dZ, dA in the workspace,
  // its dW and db in grads), from the output down, while they are still in cache.
  template <class OnLayer = NoLayerHook>
  void backward_from_dz(ConstMatrixRef<T> X, Params<T>& grads, OnLayer&& on_layer = {}) {
    check_grads(grads);
    const int L = num_layers();
    const index_t N = ws_.N;
    ws_.has_grads = true;
    for (int l = L - 1; l >= 0; --l) {
      ConstMatrixMap<T> dZ(ws_.dZ[l].data(), N, sizes()[l + 1]);
      if (l > 0) {
        const PrevLayer<T> prev{hidden_[l - 1], ws_.Z[l - 1].data(), ws_.dA[l - 1].data(),
                                ws_.dZ[l - 1].data()};
        linear_backward<T>(dZ, layer_input(X, l), params_.W(l), grads.W(l), grads.b(l), &prev);
      } else {
        linear_backward<T>(dZ, layer_input(X, l), params_.W(l), grads.W(l), grads.b(l), nullptr);
      }
      on_layer(l);
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
  // A_{l}: X for layer 0 (with its row stride), else the cache A of the layer below; rows [0, N).
  StridedConstMap<T> layer_input(const ConstMatrixRef<T>& X, int l) {
    if (l == 0) return {X.data(), X.rows(), X.cols(), Eigen::OuterStride<>(X.outerStride())};
    return {ws_.A[l - 1].data(), ws_.N, sizes()[l], Eigen::OuterStride<>(sizes()[l])};
  }

  Params<T> params_;
  std::vector<Activation> hidden_;
  Output output_;
  Workspace<T> ws_;
  mutable std::mutex mu_;
};

}  // namespace fastinit
