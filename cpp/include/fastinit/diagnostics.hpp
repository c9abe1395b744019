// fastinit/diagnostics.hpp — per-layer statistics of one forward and backward pass, and a
// verdict on the initialization.
//
// Shape legend: per layer l = 1..L, Z_l and A_l (N, D_l), dZ_l = dL/dZ_l, dA_l = dL/dA_l,
// W_l (D_l, D_{l-1}) and its gradient dW_l. Statistics are accumulated in double.
//
// Per layer: mean, std and second moment q = mean(z^2) of Z_l; mean and std of A_l; the
// fraction of dead units (ReLU: zero for the whole batch) and of saturated activations
// (|tanh| > 0.99, sigmoid outside [0.01, 0.99]); ||dZ_l||, ||dA_l||, ||dW_l||, ||db_l||,
// ||dW_l|| / ||W_l||; the mean |cosine| between rows of W_l and of dW_l (1: the units are copies).
// For the output layer the "activation" statistics are those of the logits Z_L.
// Two-input correlation (Schoenholz et al. 2017's c^l): the batch's rows are paired (0, 1),
// (2, 3), ... (a last odd row is left out); per pair c = <z_a, z_b> / sqrt(<z_a, z_a><z_b, z_b>)
// over the D_l units of Z_l (uncentred, as the mean-field q_ab / sqrt(q_aa q_bb)), averaged over
// the pairs; pairs with a zero or non-finite norm are skipped; NaN without any pair. The same on
// the input X gives input_correlation, where the c-map's prediction starts.
// Slopes: least-squares slope of log q_l over the hidden layers, and of log ||dZ_l|| from the
// output back to the input (negative: the gradient shrinks on its way down).
// Optionally (DiagnoseOptions) the singular values of the input-output Jacobian of the first
// jacobian_points rows (jacobian.hpp).
//
// clang-format off
// Verdict (first that applies):
//   nonfinite  a NaN / inf in the loss, activations or gradients
//   symmetric  rows of a hidden W_l (l >= 2) alike: mean |cos| > 0.999 (all-zero rows count)
//   exploding  activation std (last / first hidden) or ||dZ|| (input side / output side) > e^3
//   vanishing  either ratio < e^-3
//   dead       > 50 % of a ReLU layer's units are zero for every input
//   saturated  > 50 % of a tanh / sigmoid layer's activations saturate
//   healthy    otherwise
// (N(0, 1) weights with tanh both saturate and explode the gradient: the gradient wins.)
// clang-format on
// Why e^3 (about 20.1): mean-field theory (Schoenholz et al. 2017) has a squared signal change by
// e^(-l / xi) over l layers, and finds networks trainable only while their depth L stays below
// about 6 xi. Measured over the network, L > 6 xi is exactly |log(ratio^2)| > 6, i.e. a ratio of
// norms or stds outside [e^-3, e^3], whatever the depth: a 29x drop over 10 layers (Xavier with
// ReLU) is vanishing, a 2x drop over 50 layers is not. The same bound applies to growth (the
// chaotic phase, where xi < 0: Kaiming's tanh gain 5/3 grows ||dZ|| about 90x over 50 layers).
// ||dW_l|| alone can stay flat while activations and dZ both vanish; the verdict uses both.
#pragma once

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "jacobian.hpp"
#include "mlp.hpp"
#include "parallel.hpp"
#include "random.hpp"

namespace fastinit {

struct LayerStats {
  double z_mean = 0, z_std = 0, q = 0, a_mean = 0, a_std = 0;
  double dead_frac = 0, saturated_frac = 0;
  double grad_z_norm = 0, grad_a_norm = std::numeric_limits<double>::quiet_NaN();
  double grad_w_norm = 0, grad_b_norm = 0, w_norm = 0, grad_w_ratio = 0;
  double w_row_similarity = 0, grad_w_row_similarity = 0;
  double correlation = std::numeric_limits<double>::quiet_NaN();  // mean c over row pairs of Z_l
};

// What diagnose measures beyond the per-layer table.
struct DiagnoseOptions {
  bool jacobian = false;  // singular values of J (jacobian.hpp)
  JacobianKind jacobian_kind = JacobianKind::output;
  index_t jacobian_points = 32;  // the first rows of X (fewer when X has fewer)
};

// The verdict's bound on a ratio of norms or stds over the network: e^3 (see the top).
inline constexpr double kVerdictLogRatio = 3.0;

struct Diagnosis {
  std::vector<LayerStats> layers;
  double loss = std::numeric_limits<double>::quiet_NaN();  // NaN without targets
  double log_q_slope = std::numeric_limits<double>::quiet_NaN();
  double log_grad_z_slope = std::numeric_limits<double>::quiet_NaN();
  double input_correlation = std::numeric_limits<double>::quiet_NaN();  // the same c on X
  Matrix<double> jacobian_singular_values;  // (points, min(D_0, D_out)); empty unless asked
  std::string verdict, reason;
};

inline const std::vector<std::string>& verdict_names() {
  static const std::vector<std::string> v = {"healthy", "vanishing", "exploding", "saturated",
                                             "dead",    "symmetric", "nonfinite"};
  return v;
}

namespace diag_detail {

// The rows row_similarity compares: 496 pairs estimate a mean |cos| to a few per cent (about
// 0.05 for independent rows of width 256) and find copies as surely as more would.
inline constexpr index_t kSimilarityRows = 32;

// Mean |cos| between distinct rows among the first kSimilarityRows (1 when every row is zero),
// from the Gram matrix of the normalized rows, in W's own precision (a float network's cosines
// carry float rounding, ~1e-7, far below the 0.999 of the symmetric verdict): its lower
// triangle by one rank update (SYRK), summed in double.
template <class M>
double row_similarity(const M& W) {
  using S = typename M::Scalar;
  const index_t n = std::min<index_t>(W.rows(), kSimilarityRows);
  using RowMat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using ColMat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
  RowMat R = W.topRows(n);
  Eigen::Matrix<S, Eigen::Dynamic, 1> norms = R.rowwise().norm();
  if (n == 0 || norms.maxCoeff() == 0) return 1.0;
  if (n < 2) return 0.0;
  for (index_t i = 0; i < n; ++i)
    if (norms[i] > 0) R.row(i) /= norms[i];
  ColMat G = ColMat::Zero(n, n);
  G.template selfadjointView<Eigen::Lower>().rankUpdate(R);
  double off = 0;
  for (index_t j = 0; j < n; ++j)
    for (index_t i = j + 1; i < n; ++i) off += std::fabs(double(G(i, j)));
  return 2 * off / (double(n) * double(n - 1));  // pairs with a zero row count as 0
}

inline double log_slope(const std::vector<double>& v) {
  std::vector<double> x, y;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (std::isfinite(v[i]) && v[i] > 0) {
      x.push_back(double(i));
      y.push_back(std::log(v[i]));
    }
  if (x.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
  mx /= double(x.size());
  my /= double(y.size());
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx);
  return sxy / sxx;
}

// Partial sums in kLanes interleaved lanes (element i goes to lane i % kLanes), combined
// pairwise at the end: the order depends on n alone, so the bits are the same for any thread
// count, build or SIMD width, and the lanes' independent dependency chains overlap (and
// vectorize) instead of one add waiting for the last.
inline constexpr index_t kLanes = 8;
using Lanes = double[kLanes];

inline double lane_total(const Lanes& v) {
  return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
}

// Calls body(i, lane) for i in [0, n), lane = i % kLanes, lanes innermost.
template <class Body>
inline void for_lanes(index_t n, Body&& body) {
  const index_t full = n - n % kLanes;
  for (index_t i = 0; i < full; i += kLanes)
    for (index_t j = 0; j < kLanes; ++j) body(i + j, j);
  for (index_t j = 0; j < n - full; ++j) body(full + j, j);
}

template <class T>
double sum_squares(const T* x, index_t n) {
  Lanes s = {};
  for_lanes(n, [&](index_t i, index_t j) { s[j] += double(x[i]) * double(x[i]); });
  return lane_total(s);
}

// Mean cosine between the rows (2k, 2k+1) of an (N, D) row-major block with row stride ld; NaN
// without a pair.
template <class T>
double pair_correlation(const T* Z, index_t N, index_t D, index_t ld) {
  double sum = 0;
  index_t count = 0;
  for (index_t r = 0; r + 1 < N; r += 2) {
    const T* a = Z + r * ld;
    const T* b = a + ld;
    Lanes ab = {}, aa = {}, bb = {};
    for_lanes(D, [&](index_t i, index_t j) {
      const double x = a[i], y = b[i];
      ab[j] += x * y, aa[j] += x * x, bb[j] += y * y;
    });
    const double den = std::sqrt(lane_total(aa)) * std::sqrt(lane_total(bb));
    const double num = lane_total(ab);
    if (!(den > 0) || !std::isfinite(den) || !std::isfinite(num)) continue;
    sum += num / den;
    ++count;
  }
  return count ? sum / double(count) : std::numeric_limits<double>::quiet_NaN();
}

// x with 3 significant digits: 35779.23 -> "3.58e+04", 0.03125 -> "0.0312", 20.09 -> "20.1".
inline std::string sig3(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

template <class M>
double frob(const M& m) {
  return std::sqrt(sum_squares(m.data(), m.size()));
}

// Sums over the n elements of a layer's Z, A, dZ (and dA when not null) in one pass, in lanes;
// the count of elements of A for which saturated(a) holds.
struct LayerSums {
  double z = 0, zz = 0, a = 0, aa = 0, dz = 0, da = 0;
  index_t saturated = 0;
};

template <bool kWithDA, class T, class Sat>
LayerSums layer_sums_impl(const T* Z, const T* A, const T* dZ, const T* dA, index_t n,
                          Sat saturated) {
  Lanes z = {}, zz = {}, a = {}, aa = {}, dz = {}, da = {};
  index_t sat = 0;
  for_lanes(n, [&](index_t i, index_t j) {
    const double zi = Z[i], ai = A[i], gi = dZ[i];
    z[j] += zi, zz[j] += zi * zi, a[j] += ai, aa[j] += ai * ai, dz[j] += gi * gi;
    if constexpr (kWithDA) da[j] += double(dA[i]) * double(dA[i]);
    sat += saturated(A[i]);
  });
  LayerSums s;
  s.z = lane_total(z), s.zz = lane_total(zz), s.a = lane_total(a), s.aa = lane_total(aa);
  s.dz = lane_total(dz), s.da = lane_total(da), s.saturated = sat;
  return s;
}

template <class T, class Sat>
LayerSums layer_sums(const T* Z, const T* A, const T* dZ, const T* dA, index_t n, Sat saturated) {
  return dA ? layer_sums_impl<true>(Z, A, dZ, dA, n, saturated)
            : layer_sums_impl<false>(Z, A, dZ, dA, n, saturated);
}

}  // namespace diag_detail

inline void judge(Diagnosis& d, const std::vector<Activation>& acts) {
  using std::isfinite;
  const auto& L = d.layers;
  const std::size_t H = L.size() - 1;  // hidden layers
  bool finite = true;
  for (std::size_t l = 0; l < L.size(); ++l) {
    const auto& s = L[l];
    for (double v :
         {s.z_mean, s.z_std, s.q, s.a_mean, s.a_std, s.grad_z_norm, s.grad_w_norm, s.grad_b_norm})
      finite = finite && isfinite(v);
    if (l < H) finite = finite && isfinite(s.grad_a_norm);
  }
  auto set = [&](const char* v, std::string r) {
    d.verdict = v;
    d.reason = std::move(r);
  };
  if (!finite) return set("nonfinite", "Some activations or gradients are NaN or infinite.");
  for (std::size_t l = 1; l < H; ++l)
    if (L[l].w_row_similarity > 0.999)
      return set("symmetric", detail::cat("The rows of W_", l + 1,
                                          " are alike: its hidden units compute the same function "
                                          "and receive the same gradient."));
  const double a_ratio = H >= 1 ? (L[0].a_std > 0 ? L[H - 1].a_std / L[0].a_std : 0.0) : 1.0;
  const double g_out = L.back().grad_z_norm, g_in = L.front().grad_z_norm;
  const double g_ratio = g_out > 0 ? g_in / g_out : 0.0;
  const double hi = std::exp(kVerdictLogRatio), lo = 1 / hi;
  using diag_detail::sig3;
  auto layers = [](std::size_t n) { return detail::cat(n, n == 1 ? " layer)" : " layers)"); };
  const std::string a_span = " from the first to the last hidden layer (" + layers(H);
  const std::string g_span = " from the output back to the first layer (" + layers(L.size());
  const std::string rule = "; beyond a factor of e^3 = 20.1 the depth exceeds 6 depth scales.";
  if (a_ratio > hi)
    return set("exploding", detail::cat("The activation std grows by a factor of ", sig3(a_ratio),
                                        a_span, rule));
  if (g_ratio > hi)
    return set("exploding",
               detail::cat("||dL/dZ|| grows by a factor of ", sig3(g_ratio), g_span, rule));
  if (a_ratio < lo)
    return set("vanishing", detail::cat("The activation std shrinks by a factor of ",
                                        a_ratio > 0 ? sig3(1 / a_ratio) : std::string("inf (to 0)"),
                                        a_span, rule));
  if (g_ratio < lo)
    return set("vanishing", detail::cat("||dL/dZ|| shrinks by a factor of ",
                                        g_ratio > 0 ? sig3(1 / g_ratio) : std::string("inf (to 0)"),
                                        g_span, rule));
  for (std::size_t l = 0; l < H; ++l) {
    if (L[l].dead_frac > 0.5)
      return set("dead", detail::cat(int(100 * L[l].dead_frac), "% of layer ", l + 1,
                                     "'s units are zero for every input."));
    if (L[l].saturated_frac > 0.5)
      return set("saturated", detail::cat(int(100 * L[l].saturated_frac), "% of layer ", l + 1,
                                          "'s activations saturate (", acts[l].name(), ")."));
  }
  set("healthy",
      "Activations and gradients keep their scale across the depth (within a factor of e^3 = "
      "20.1).");
}

// One forward and backward pass and its statistics. With targets (y.dense or y.labels set) the
// backward pass starts from the loss; without, from a standard-normal upstream gradient dZ_L
// drawn from gen.
template <class T>
Diagnosis diagnose(Mlp<T>& net, typename Mlp<T>::ConstInput X, const Target<T>& y, Generator& gen,
                   const DiagnoseOptions& opts = {}) {
  if (opts.jacobian && opts.jacobian_points < 1)
    throw value_error(
        detail::cat("argument 'jacobian_points': must be >= 1, got ", opts.jacobian_points));
  if (opts.jacobian && opts.jacobian_kind == JacobianKind::hidden && net.num_layers() < 2)
    throw value_error(
        "argument 'jacobian': 'hidden' (dA_{L-1}/dx) needs a hidden layer; this network has none");
  Params<T> grads(net.sizes());
  Diagnosis d;
  const bool has_y = y.dense || y.labels;
  const int L = net.num_layers();
  const index_t N = X.rows(), K = net.sizes().back();
  d.layers.resize(L);
  auto& ws = net.workspace();
  // Each layer's statistics are taken as soon as the backward pass has finished it, while its
  // arrays are still in cache. Three tasks of about equal cost per layer (the element sums of
  // Z, A, dZ, dA; W's row similarity, norm and the pre-activations' pair correlation; dW's row
  // similarity and the gradient norms), each writing its own fields: a layer's values never
  // depend on the thread count.
  auto layer_stats = [&](int l) {
    LayerStats& s = d.layers[l];
    const bool hidden = l < L - 1;
    const index_t D = net.sizes()[l + 1], n = N * D;
    const T* Z = ws.Z[l].data();
    parallel_tasks(3, [&](index_t task) {
      if (task == 1) {
        s.w_row_similarity = diag_detail::row_similarity(net.params().W(l));
        s.w_norm = diag_detail::frob(net.params().W(l));
        s.correlation = diag_detail::pair_correlation(Z, N, D, D);
        return;
      }
      if (task == 2) {
        s.grad_w_row_similarity = diag_detail::row_similarity(grads.W(l));
        s.grad_w_norm = diag_detail::frob(grads.W(l));
        s.grad_b_norm = diag_detail::frob(grads.b(l));
        return;
      }
      const T* A = hidden ? ws.A[l].data() : Z;
      const T* dZ = ws.dZ[l].data();
      const T* dA = hidden ? ws.dA[l].data() : nullptr;
      const Act kind = hidden ? net.activations()[l].kind : Act::identity;
      diag_detail::LayerSums m;
      if (kind == Act::tanh)
        m = diag_detail::layer_sums(Z, A, dZ, dA, n, [](T a) { return std::fabs(a) > T(0.99); });
      else if (kind == Act::sigmoid)
        m = diag_detail::layer_sums(Z, A, dZ, dA, n,
                                    [](T a) { return a < T(0.01) || a > T(0.99); });
      else
        m = diag_detail::layer_sums(Z, A, dZ, dA, n, [](T) { return false; });
      s.z_mean = m.z / double(n);
      s.q = m.zz / double(n);
      s.z_std = std::sqrt(std::max(0.0, s.q - s.z_mean * s.z_mean));
      s.a_mean = m.a / double(n);
      s.a_std = std::sqrt(std::max(0.0, m.aa / double(n) - s.a_mean * s.a_mean));
      if (!std::isfinite(m.zz)) s.z_std = s.q = m.zz;
      if (!std::isfinite(m.aa)) s.a_std = m.aa;
      if (hidden) {
        if (kind == Act::relu) {
          index_t dead = 0;
          for (index_t j = 0; j < D; ++j) {
            bool all_zero = true;
            for (index_t r = 0; r < N && all_zero; ++r) all_zero = A[r * D + j] == T(0);
            dead += all_zero;
          }
          s.dead_frac = double(dead) / double(D);
        } else if (kind == Act::tanh || kind == Act::sigmoid) {
          s.saturated_frac = double(m.saturated) / double(n);
        }
        s.grad_a_norm = std::sqrt(m.da);
      }
      s.grad_z_norm = std::sqrt(m.dz);
    });
    s.grad_w_ratio =
        s.w_norm > 0 ? s.grad_w_norm / s.w_norm : std::numeric_limits<double>::infinity();
  };
  if (has_y) {
    d.loss = net.loss_and_grad(X, y, grads, layer_stats);
  } else {
    net.forward(X);
    normal_fill(ws.dZ[L - 1].data(), static_cast<std::size_t>(N * K), 0.0, 1.0, gen);
    net.backward_from_dz(X, grads, layer_stats);
  }
  d.input_correlation = diag_detail::pair_correlation(X.data(), N, X.cols(), X.outerStride());
  if (opts.jacobian) {
    d.jacobian_singular_values = jacobian_singular_values(
        net, std::min<index_t>(opts.jacobian_points, N), opts.jacobian_kind);
  }
  std::vector<double> q, g;
  for (int l = 0; l < std::max(L - 1, 1); ++l) q.push_back(d.layers[l].q);
  for (int l = L - 1; l >= 0; --l) g.push_back(d.layers[l].grad_z_norm);
  d.log_q_slope = diag_detail::log_slope(q);
  d.log_grad_z_slope = diag_detail::log_slope(g);
  if (has_y && !std::isfinite(d.loss)) {
    d.verdict = "nonfinite";
    d.reason = "The loss is NaN or infinite.";
    return d;
  }
  judge(d, net.activations());
  return d;
}

}  // namespace fastinit
