// fastinit/qr.hpp — a blocked Householder QR and its thin Q, split over fastinit's thread pool.
//
// Purpose: orthogonal_ (init.hpp) needs the thin Q of the QR of a Gaussian matrix. Eigen's
// HouseholderQR is single-threaded here (no OpenMP); this is the same algorithm (LAPACK's
// geqrf / orgqr in compact WY form, Schreiber & Van Loan 1989) with its level-3 updates split
// into tasks of parallel.hpp.
//
// Shape legend (column-major throughout):
//   A  (m, n), m >= n    in: the matrix; out: R on and above the diagonal, the Householder
//                        vectors below it (unit diagonal implied), as LAPACK and Eigen store them
//   nb                   panel width (kQrPanel); panel p covers columns [k, k + bs), k = p * nb
//   V  (m - k, bs)       the panel's vectors, unit lower trapezoidal
//   Tf (bs, bs)          upper triangular: H_k H_{k+1} ... H_{k+bs-1} = I - V Tf Vᵀ (stored
//                        with explicit zeros below the diagonal, used as a dense matrix: a
//                        triangular product costs more than it saves at these sizes)
//   h  (n)               the reflectors' coefficients: H_j = I - h_j v_j v_jᵀ
//   Q  (m, n)            the thin Q: the first n columns of H_0 H_1 ... H_{n-1}
//
// Parallel split and determinism: every update is cut into column chunks whose bounds depend
// on (m, n) only (kQrChunk columns, counted from a bound fixed by the panel), and each chunk is
// computed by one task with Eigen's single-threaded products; which thread runs a task never
// changes its arithmetic, so results are bit-identical for any thread count. During the
// factorization, the task that updates the next panel also factors it (look-ahead), so the
// level-2 panel work of step p + 1 overlaps the trailing update of step p.
//
// Cancellation: the pool polls between tasks; the long tasks of the thin Q also poll between
// panels. Between two polls a task does O(m nb kQrChunk) work, or factors one panel (m nb²):
// milliseconds unless m is in the millions (a single panel, n <= nb, is one uninterrupted call).
//
// The naive reference is Eigen's HouseholderQR + householderQ() (tests/cpp/test_core.cpp
// compares them); it also serves matrices of one panel (householder_qr_thin_q), where it is
// the same algorithm without the blocking overhead.
#pragma once

#include <Eigen/Householder>
#include <Eigen/QR>
#include <algorithm>
#include <utility>

#include "errors.hpp"
#include "parallel.hpp"
#include "types.hpp"

namespace fastinit {
namespace detail {

template <class T>
using ColMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;

// Panel width and chunk width (columns). A wider panel gives the products a longer inner
// dimension but makes the serial panel factorization longer.
inline constexpr index_t kQrPanel = 48;
inline constexpr index_t kQrChunk = 64;

// The compact WY factor of columns [k, k + bs): Tf(0:bs, k:k+bs) from the vectors in A.
template <class T>
void qr_triangular_factor(ColMatrix<T>& A, const Vector<T>& h, ColMatrix<T>& Tf, index_t k,
                          index_t bs) {
  const index_t m = A.rows();
  auto V = A.block(k, k, m - k, bs);
  auto Tb = Tf.block(0, k, bs, bs);
  Eigen::internal::make_block_householder_triangular_factor(Tb, V, h.segment(k, bs));
}

// The panel [k, k + bs) of A factored in place (level 2), with its Tf.
template <class T>
void qr_factor_panel(ColMatrix<T>& A, Vector<T>& h, ColMatrix<T>& Tf, index_t k, index_t bs) {
  const index_t m = A.rows();
  auto P = A.block(k, k, m - k, bs);
  auto hs = h.segment(k, bs);
  Vector<T> temp(bs);
  Eigen::internal::householder_qr_inplace_unblocked(P, hs, temp.data());
  qr_triangular_factor(A, h, Tf, k, bs);
}

// C := (I - V Tfᵀ Vᵀ) C = Hᵀ C for C = A(k:m, c0:c1), V dense (m - k, bs).
template <class T>
void qr_apply_transposed(ColMatrix<T>& A, const ColMatrix<T>& V, const ColMatrix<T>& Tf, index_t k,
                         index_t bs, index_t c0, index_t c1) {
  const index_t m = A.rows();
  auto C = A.block(k, c0, m - k, c1 - c0);
  const ColMatrix<T> W = V.transpose() * C;
  const ColMatrix<T> TW = Tf.block(0, k, bs, bs).transpose() * W;
  C.noalias() -= V * TW;
}

// Number of chunks of kQrChunk columns in [c0, c1).
inline index_t qr_chunks(index_t c0, index_t c1) {
  return c1 > c0 ? (c1 - c0 + kQrChunk - 1) / kQrChunk : 0;
}

// Householder QR of A (m, n), m >= n, in place, blocked: on return A holds R and the vectors
// (as Eigen's HouseholderQR stores them), h the coefficients and Tf (nb, n) the compact WY
// factor of each panel p in its columns [p nb, p nb + bs).
template <class T>
void householder_qr_blocked(ColMatrix<T>& A, Vector<T>& h, ColMatrix<T>& Tf) {
  const index_t m = A.rows(), n = A.cols();
  if (m < n) throw value_error(cat("householder_qr_blocked: needs rows >= cols, got ", m, "x", n));
  h.resize(n);
  Tf.setZero(std::min(kQrPanel, n), n);
  if (n == 0) return;
  qr_factor_panel(A, h, Tf, 0, std::min(kQrPanel, n));
  ColMatrix<T> V;
  for (index_t k = 0; k < n; k += kQrPanel) {
    const index_t bs = std::min(kQrPanel, n - k);
    const index_t next = k + bs;  // the next panel: [next, next + nbs)
    if (next >= n) break;
    const index_t nbs = std::min(kQrPanel, n - next);
    V = A.block(k, k, m - k, bs).template triangularView<Eigen::UnitLower>();
    const index_t rest = next + nbs;  // the rest of the trailing matrix, in chunks
    const index_t ntasks = 1 + qr_chunks(rest, n);
    const double work = 4.0 * double(m - k) * double(bs) * double(n - next);
    parallel_tasks(ntasks, work, [&](index_t t) {
      if (t == 0) {  // look-ahead: update the next panel, then factor it
        qr_apply_transposed(A, V, Tf, k, bs, next, rest);
        qr_factor_panel(A, h, Tf, next, nbs);
        return;
      }
      const index_t c0 = rest + (t - 1) * kQrChunk;
      qr_apply_transposed(A, V, Tf, k, bs, c0, std::min(n, c0 + kQrChunk));
    });
  }
}

// The thin Q of a factorization by householder_qr_blocked, chunk by chunk: for each chunk of
// kQrChunk columns [c0, c1) of Q, store(c0, Qc) receives Qc = Q(:, c0:c1) (m, c1 - c0). A is
// modified: its strictly upper triangle is zeroed and its diagonal set to one (the dense
// vectors); read what you need of R first. store runs in tasks, once per chunk, and must only
// write what belongs to its chunk.
template <class T, class Store>
void householder_thin_q(ColMatrix<T>& A, const ColMatrix<T>& Tf, Store&& store) {
  const index_t m = A.rows(), n = A.cols();
  A.template triangularView<Eigen::StrictlyUpper>().setZero();
  A.diagonal().setOnes();
  const index_t nchunks = qr_chunks(0, n);
  const double work = 2.0 * double(m) * double(n) * double(n) - 2.0 / 3.0 * double(n) * n * n;
  parallel_tasks(nchunks, work, [&](index_t t) {
    // The chunks on the right have the most work: they are handed out first.
    const index_t c0 = (nchunks - 1 - t) * kQrChunk, c1 = std::min(n, c0 + kQrChunk);
    const index_t w = c1 - c0;
    ColMatrix<T> Qc = ColMatrix<T>::Zero(m, w);
    for (index_t j = 0; j < w; ++j) Qc(c0 + j, j) = T(1);
    ColMatrix<T> W, TW;
    // Q = H_0 ... H_{n-1} [I; 0]: the panels from the last to the first. A panel that starts
    // at k >= c1 leaves the chunk unchanged (its vectors are zero in the chunk's nonzero rows),
    // and the chunk's columns j < k are still e_j, which the panel does not change either.
    const index_t last = (c1 - 1) / kQrPanel * kQrPanel;
    for (index_t k = last; k >= 0; k -= kQrPanel) {
      const index_t bs = std::min(kQrPanel, n - k);
      const index_t j0 = std::max(c0, k) - c0;
      auto V = A.block(k, k, m - k, bs);
      auto C = Qc.block(k, j0, m - k, w - j0);
      W.noalias() = V.transpose() * C;
      TW.noalias() = Tf.block(0, k, bs, bs) * W;
      C.noalias() -= V * TW;
      if (k > 0 && stop_requested()) throw interrupted();
    }
    store(c0, static_cast<const ColMatrix<T>&>(Qc));
  });
}

// The QR of A (m, n), m >= n, in place, and its thin Q: rdiag receives diag(R), then store(c0,
// Qc) receives the columns [c0, c0 + Qc.cols()) of Q as in householder_thin_q. Up to one panel
// (n <= kQrPanel) the blocked algorithm is the unblocked one, so the reference serves it
// directly: Eigen's HouseholderQR and householderQ() (one task; no compact WY factor to form).
template <class T, class Store>
void householder_qr_thin_q(ColMatrix<T>& A, Vector<T>& rdiag, Store&& store) {
  const index_t m = A.rows(), n = A.cols();
  if (n <= kQrPanel) {
    Eigen::HouseholderQR<Eigen::Ref<ColMatrix<T>>> qr(A);  // in place
    rdiag = A.diagonal();
    ColMatrix<T> Q = ColMatrix<T>::Identity(m, n);
    Q.applyOnTheLeft(qr.householderQ());
    store(index_t{0}, static_cast<const ColMatrix<T>&>(Q));
    return;
  }
  Vector<T> h;
  ColMatrix<T> Tf;
  householder_qr_blocked(A, h, Tf);
  rdiag = A.diagonal();
  householder_thin_q(A, Tf, std::forward<Store>(store));
}

}  // namespace detail
}  // namespace fastinit
