// fastinit/jacobian.hpp — singular values of a network's input–output Jacobian, point by point
// (Pennington, Schoenholz & Ganguli 2017: dynamical isometry is a Jacobian whose singular values
// all stay near 1).
//
// clang-format off
// Shape legend: a point x = X[n] (D_0); per hidden layer l = 1..L-1 the diagonal
//   D_l = diag(phi_l'(Z_l[n]))   (D_l, D_l), from the forward caches of the last pass;  W_l (D_l, D_{l-1}).
//   output:  J(x) = dZ_L / dx     = W_L D_{L-1} W_{L-1} ... D_1 W_1   (D_L, D_0)      before the loss
//   hidden:  J(x) = dA_{L-1} / dx =     D_{L-1} W_{L-1} ... D_1 W_1   (D_{L-1}, D_0)  Pennington's form:
//                                                                     a nonlinearity after every layer
// clang-format on
// Per point the chain is multiplied from its cheaper side: from the input (the D_0 x D_0 identity
// pushed forward, cost D_0 * sum D_l D_{l-1}) when D_0 <= D_out, else from the output (the
// D_out x D_out identity pulled back, cost D_out * sum D_l D_{l-1}). Products are in double from
// the network's weights and its cached Z (whatever T is): the Jacobian of the function the
// network computes, without the float32 roundings of a float32 backward pass, and overflow-free up
// to 1e308. Singular values: Eigen's BDCSVD of J itself (not the eigenvalues of J J^T, which would
// square the condition number), backward stable: each value is within ~1e-15 * sigma_max of the
// exact one (the tests hold it to torch autograd's Jacobian with numpy's SVD). A non-finite J
// gives a row of NaN.
//
// Parallel split: one task per point, each computed whole by one thread with single-threaded
// Eigen products, so results are bit-identical for any thread count. Cancellation is polled
// between layers (a point of a wide, deep network takes longer than a poll interval).
#pragma once

#include <Eigen/SVD>
#include <limits>
#include <string>
#include <vector>

#include "mlp.hpp"
#include "names.hpp"
#include "parallel.hpp"

namespace fastinit {

enum class JacobianKind { output, hidden };
template <>
struct enum_names<JacobianKind> {
  static constexpr const char* what = "jacobian";
  static const std::vector<std::string>& names() {
    static const std::vector<std::string> n = {"output", "hidden"};
    return n;
  }
};

namespace jac_detail {

// The Jacobian of point n (D_out, D_0) in double. Wd: the chain's weights in double, acts and Z:
// the activations and forward caches of its hidden layers; `last_diag`: end with D_{m} (hidden).
template <class T>
Eigen::MatrixXd point_jacobian(const std::vector<Eigen::MatrixXd>& Wd,
                               const std::vector<Activation>& acts, const Workspace<T>& ws,
                               index_t n, bool last_diag) {
  const std::size_t m = Wd.size();  // weights in the chain; diagonals after W_1..W_{m-1} (+ W_m)
  const std::size_t ndiag = last_diag ? m : m - 1;
  auto diag = [&](std::size_t k) {  // phi_k'(Z_k[n]) of hidden layer k (0-based)
    const index_t D = Wd[k].rows();
    Eigen::VectorXd d(D);
    const T* z = ws.Z[k].data() + n * D;
    for (index_t j = 0; j < D; ++j) d[j] = dphi(acts[k], double(z[j]));
    return d;
  };
  auto poll = [] {
    if (detail::stop_requested()) throw interrupted();
  };
  const index_t d_in = Wd.front().cols(), d_out = Wd.back().rows();
  Eigen::MatrixXd M;
  if (d_in <= d_out) {  // forward: M_k = W_k D_{k-1} M_{k-1}, M_1 = W_1
    M = Wd[0];
    for (std::size_t k = 1; k <= ndiag; ++k) {
      M = diag(k - 1).asDiagonal() * M;
      if (k < m) M = Wd[k] * M;
      poll();
    }
  } else {  // backward: R = W_m, then R = R D_k W_k down to W_1
    M = Wd[m - 1];
    if (last_diag) M = diag(m - 1).asDiagonal() * M;
    for (std::size_t k = m - 1; k-- > 0;) {
      M = M * diag(k).asDiagonal();
      M = M * Wd[k];
      poll();
    }
  }
  return M;
}

}  // namespace jac_detail

// Singular values, descending, of J(x_n) for the first `points` rows of the batch of the last
// forward pass: (points, min(D_out, D_0)). hidden needs a hidden layer.
template <class T>
Matrix<double> jacobian_singular_values(Mlp<T>& net, index_t points, JacobianKind kind) {
  const int L = net.num_layers();
  const bool hidden = kind == JacobianKind::hidden;
  if (hidden && L < 2)
    throw value_error(
        "jacobian='hidden' (dA_{L-1}/dx) needs a hidden layer; this network has none");
  const auto& ws = net.workspace();
  if (points < 0 || points > ws.N)
    throw value_error(detail::cat("jacobian points must be in [0, ", ws.N, "], got ", points));
  const int m = hidden ? L - 1 : L;
  std::vector<Eigen::MatrixXd> Wd(static_cast<std::size_t>(m));
  for (int k = 0; k < m; ++k) Wd[k] = net.params().W(k).template cast<double>();
  const index_t d_in = net.sizes()[0], d_out = net.sizes()[m];
  const index_t k = std::min(d_in, d_out);
  Matrix<double> out(points, k);
  double work = 0;  // multiply-adds per point
  for (int l = 1; l < m; ++l) work += double(net.sizes()[l + 1]) * double(net.sizes()[l]);
  work = (work + 1) * double(k) * double(points);
  parallel_tasks(points, work, [&](index_t n) {
    const Eigen::MatrixXd J =
        jac_detail::point_jacobian(Wd, net.activations(), ws, n, /*last_diag=*/hidden);
    if (!J.allFinite()) {
      out.row(n).setConstant(std::numeric_limits<double>::quiet_NaN());
      return;
    }
    Eigen::BDCSVD<Eigen::MatrixXd> svd(J);  // values only
    out.row(n) = svd.singularValues().transpose();
  });
  return out;
}

}  // namespace fastinit
