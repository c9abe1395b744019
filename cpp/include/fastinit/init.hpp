// fastinit/init.hpp — fans, gains and every initializer.
//
// Shape legend: a weight is (out, in, *kernel), C-contiguous (PyTorch's layout);
//   fan_in  = in  * prod(kernel),   fan_out = out * prod(kernel).
// Every initializer works in place on a TensorView (pointer + shape) or on any row-major Eigen
// matrix, takes the Generator explicitly, and accepts fan overrides where it uses fans.
//
// PyTorch names keep torch.nn.init's semantics (He et al. 2015, Glorot & Bengio 2010, Saxe et
// al. 2014); the Keras / JAX names keep variance scaling as Keras defines it (Klambauer et al.
// 2017 for lecun_*); zero_ is ZerO (Zhao et al. 2022), deterministic.
//
// Example (checked by tests/cpp/test_core.cpp, the same from Python):
//   fastinit::Generator g(0);
//   fastinit::Matrix<float> W(256, 784);
//   fastinit::init::kaiming_normal_(W, g);   // std = sqrt(2 / 784)
//   // W(0, 0..2) = {0.050060011f, -0.046702512f, -0.031193964f}
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "errors.hpp"
#include "qr.hpp"
#include "random.hpp"
#include "types.hpp"

namespace fastinit {

// A C-contiguous N-D array owned elsewhere.
template <class T>
struct TensorView {
  using value_type = T;
  T* data = nullptr;
  std::vector<std::int64_t> shape;

  std::size_t numel() const {
    std::size_t n = 1;
    for (auto d : shape) n *= static_cast<std::size_t>(d);
    return n;
  }
  std::size_t ndim() const { return shape.size(); }
};

// as_view: a TensorView of a TensorView, or of any row-major Eigen matrix, Map or Ref whose
// storage is contiguous (a strided block is refused rather than silently copied).
template <class T>
TensorView<T> as_view(TensorView<T> v) {
  return v;
}
template <class Derived>
auto view_of_dense(Derived& m) {
  using T = typename Derived::Scalar;
  if constexpr (Derived::ColsAtCompileTime == 1) {  // a vector: 1-D
    if (m.innerStride() != 1) throw shape_error("fastinit init: the vector must be contiguous");
    return TensorView<T>{m.data(), {static_cast<std::int64_t>(m.rows())}};
  } else {
    static_assert(Derived::IsRowMajor,
                  "fastinit initializers take row-major matrices (PyTorch's (out, in) layout)");
    if (m.outerStride() != m.cols() && m.rows() > 1)
      throw shape_error("fastinit init: the matrix must be contiguous (outer stride == cols)");
    return TensorView<T>{
        m.data(), {static_cast<std::int64_t>(m.rows()), static_cast<std::int64_t>(m.cols())}};
  }
}
template <class Derived>
auto as_view(Eigen::PlainObjectBase<Derived>& m) {
  return view_of_dense(m);
}
template <class Derived, int Options, class Stride>
auto as_view(Eigen::Map<Derived, Options, Stride>& m) {
  return view_of_dense(m);
}
template <class Derived, int Options, class Stride>
auto as_view(Eigen::Ref<Derived, Options, Stride>& m) {
  return view_of_dense(m);
}

namespace init {

struct Fans {
  double fan_in = 0, fan_out = 0;
};

// Optional overrides of the fans computed from the shape.
struct FanOverride {
  std::optional<double> fan_in, fan_out;
};

// PyTorch's _calculate_fan_in_and_fan_out, with overrides. A shape of fewer than 2 dims needs
// the overrides for the fans the initializer uses.
inline Fans compute_fans(const std::vector<std::int64_t>& shape, const FanOverride& ov = {},
                         const char* fn = "init") {
  Fans f;
  const bool have_shape_fans = shape.size() >= 2;
  if (have_shape_fans) {
    double receptive = 1;
    for (std::size_t i = 2; i < shape.size(); ++i) receptive *= static_cast<double>(shape[i]);
    f.fan_in = static_cast<double>(shape[1]) * receptive;
    f.fan_out = static_cast<double>(shape[0]) * receptive;
  }
  for (auto [opt, dst, name] : {std::tuple{&ov.fan_in, &f.fan_in, "fan_in"},
                                std::tuple{&ov.fan_out, &f.fan_out, "fan_out"}}) {
    if (opt->has_value()) {
      const double v = **opt;
      if (!(v > 0) || !std::isfinite(v))
        throw value_error(detail::cat(fn, ": ", name, " must be a positive number, got ", v));
      *dst = v;
    } else if (!have_shape_fans) {
      throw value_error(
          detail::cat(fn,
                      ": fan in and fan out can not be computed for a tensor with fewer than 2 "
                      "dimensions (shape ",
                      detail::shape_str(shape), "); pass fan_in= and fan_out="));
    }
  }
  return f;
}

inline const std::vector<std::string>& gain_names() {
  static const std::vector<std::string> names = {
      "linear",           "conv1d",  "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
      "conv_transpose3d", "sigmoid", "tanh",   "relu",   "leaky_relu",       "selu"};
  return names;
}

// torch.nn.init.calculate_gain: the recommended gain for a nonlinearity.
inline double calculate_gain(const std::string& nonlinearity,
                             std::optional<double> param = std::nullopt) {
  const auto& lin = gain_names();
  if (std::find(lin.begin(), lin.begin() + 8, nonlinearity) != lin.begin() + 8) return 1.0;
  if (nonlinearity == "tanh") return 5.0 / 3.0;
  if (nonlinearity == "relu") return std::sqrt(2.0);
  if (nonlinearity == "leaky_relu") {
    const double slope = param.value_or(0.01);
    if (!std::isfinite(slope))
      throw value_error(detail::cat("calculate_gain: negative_slope must be finite, got ", slope));
    return std::sqrt(2.0) / std::hypot(1.0, slope);  // no overflow for huge slopes
  }
  if (nonlinearity == "selu") return 3.0 / 4.0;
  detail::unknown_name("nonlinearity", nonlinearity, lin);
}

inline double fan_for_mode(const Fans& f, const std::string& mode, const char* fn,
                           bool keras_modes) {
  if (mode == "fan_in") return f.fan_in;
  if (mode == "fan_out") return f.fan_out;
  if (keras_modes) {
    if (mode == "fan_avg") return (f.fan_in + f.fan_out) / 2;
    if (mode == "fan_geo_avg") return std::sqrt(f.fan_in * f.fan_out);
    detail::unknown_name((std::string(fn) + " mode").c_str(), mode,
                         {"fan_in", "fan_out", "fan_avg", "fan_geo_avg"});
  }
  detail::unknown_name((std::string(fn) + " mode").c_str(), mode, {"fan_in", "fan_out"});
}

// ----------------------------------------------------------------------------- plain fills
template <class W>
void uniform_(W&& w_, Generator& g, double a = 0.0, double b = 1.0) {
  auto w = as_view(w_);
  uniform_fill(w.data, w.numel(), a, b, g);
}
template <class W>
void normal_(W&& w_, Generator& g, double mean = 0.0, double std = 1.0) {
  auto w = as_view(w_);
  normal_fill(w.data, w.numel(), mean, std, g);
}
template <class W>
void trunc_normal_(W&& w_, Generator& g, double mean = 0.0, double std = 1.0, double a = -2.0,
                   double b = 2.0) {
  auto w = as_view(w_);
  trunc_normal_fill(w.data, w.numel(), mean, std, a, b, g);
}
template <class W>
void constant_(W&& w_, double val) {
  auto w = as_view(w_);
  using T = typename decltype(w)::value_type;
  if (std::isnan(val)) throw value_error("constant_: val must not be NaN");
  std::fill(w.data, w.data + w.numel(), static_cast<T>(val));
}
template <class W>
void zeros_(W&& w_) {
  auto w = as_view(w_);
  constant_(w, 0.0);
}
template <class W>
void ones_(W&& w_) {
  auto w = as_view(w_);
  constant_(w, 1.0);
}

// The identity on a 2-D tensor (ones on the main diagonal of a rectangle).
template <class W>
void eye_(W&& w_) {
  auto w = as_view(w_);
  using T = typename decltype(w)::value_type;
  if (w.ndim() != 2)
    throw value_error(detail::cat("eye_: only tensors with 2 dimensions are supported, got shape ",
                                  detail::shape_str(w.shape)));
  const auto rows = w.shape[0], cols = w.shape[1];
  std::fill(w.data, w.data + w.numel(), T(0));
  for (std::int64_t i = 0; i < std::min(rows, cols); ++i) w.data[i * cols + i] = T(1);
}

// Dirac delta on a 3-, 4- or 5-D convolution weight: preserves the identity of the inputs.
template <class W>
void dirac_(W&& w_, std::int64_t groups = 1) {
  auto w = as_view(w_);
  using T = typename decltype(w)::value_type;
  const auto nd = w.ndim();
  if (nd < 3 || nd > 5)
    throw value_error(
        detail::cat("dirac_: only tensors with 3, 4, or 5 dimensions are supported, got shape ",
                    detail::shape_str(w.shape)));
  if (groups < 1) throw value_error(detail::cat("dirac_: groups must be >= 1, got ", groups));
  if (w.shape[0] % groups != 0)
    throw value_error(
        detail::cat("dirac_: dim 0 (", w.shape[0], ") must be divisible by groups (", groups, ")"));
  std::fill(w.data, w.data + w.numel(), T(0));
  const auto per = w.shape[0] / groups;
  const auto min_dim = std::min(per, w.shape[1]);
  std::vector<std::int64_t> strides(nd, 1);
  for (std::size_t i = nd - 1; i > 0; --i) strides[i - 1] = strides[i] * w.shape[i];
  std::int64_t center = 0;
  for (std::size_t i = 2; i < nd; ++i) center += (w.shape[i] / 2) * strides[i];
  if (w.numel() == 0) return;
  for (std::int64_t gi = 0; gi < groups; ++gi)
    for (std::int64_t d = 0; d < min_dim; ++d)
      w.data[(gi * per + d) * strides[0] + d * strides[1] + center] = T(1);
}

// ----------------------------------------------------------------------------- PyTorch schemes
// Glorot & Bengio: std = gain * sqrt(2 / (fan_in + fan_out)); uniform bound sqrt(3) * std.
namespace gain_check {
// A gain must be >= 0 (PyTorch's fills refuse the bounds or std a negative one gives).
inline void non_negative(const char* fn, double gain) {
  if (gain < 0)
    throw value_error(fastinit::detail::cat(fn, ": argument 'gain' must be >= 0, got ", gain));
}
// Runs the fill of an initializer; a value the dtype cannot hold is blamed on the gain.
template <class F>
void fill(const char* fn, double gain, F&& run) {
  try {
    run();
  } catch (const value_error& e) {
    throw value_error(
        fastinit::detail::cat(fn, ": argument 'gain' = ", gain, " is too large: ", e.what()));
  }
}
}  // namespace gain_check

template <class W>
void xavier_uniform_(W&& w_, Generator& g, double gain = 1.0, FanOverride ov = {}) {
  auto w = as_view(w_);
  if (w.numel() == 0) return;
  detail::check_finite("xavier_uniform_", "gain", gain);
  gain_check::non_negative("xavier_uniform_", gain);
  const Fans f = compute_fans(w.shape, ov, "xavier_uniform_");
  const double a = std::sqrt(3.0) * gain * std::sqrt(2.0 / (f.fan_in + f.fan_out));
  gain_check::fill("xavier_uniform_", gain, [&] { uniform_fill(w.data, w.numel(), -a, a, g); });
}
template <class W>
void xavier_normal_(W&& w_, Generator& g, double gain = 1.0, FanOverride ov = {}) {
  auto w = as_view(w_);
  if (w.numel() == 0) return;
  detail::check_finite("xavier_normal_", "gain", gain);
  gain_check::non_negative("xavier_normal_", gain);
  const Fans f = compute_fans(w.shape, ov, "xavier_normal_");
  const double std = gain * std::sqrt(2.0 / (f.fan_in + f.fan_out));
  gain_check::fill("xavier_normal_", gain, [&] { normal_fill(w.data, w.numel(), 0.0, std, g); });
}

// He et al.: std = gain(nonlinearity, a) / sqrt(fan), fan by mode.
inline double kaiming_std(const Fans& f, double a, const std::string& mode,
                          const std::string& nonlinearity, const char* fn) {
  const double fan = fan_for_mode(f, mode, fn, false);
  return calculate_gain(nonlinearity, a) / std::sqrt(fan);
}
template <class W>
void kaiming_uniform_(W&& w_, Generator& g, double a = 0.0, const std::string& mode = "fan_in",
                      const std::string& nonlinearity = "leaky_relu", FanOverride ov = {}) {
  auto w = as_view(w_);
  if (w.numel() == 0) return;
  detail::check_finite("kaiming_uniform_", "a", a);
  const Fans f = compute_fans(w.shape, ov, "kaiming_uniform_");
  const double bound = std::sqrt(3.0) * kaiming_std(f, a, mode, nonlinearity, "kaiming_uniform_");
  uniform_fill(w.data, w.numel(), -bound, bound, g);
}
template <class W>
void kaiming_normal_(W&& w_, Generator& g, double a = 0.0, const std::string& mode = "fan_in",
                     const std::string& nonlinearity = "leaky_relu", FanOverride ov = {}) {
  auto w = as_view(w_);
  if (w.numel() == 0) return;
  detail::check_finite("kaiming_normal_", "a", a);
  const Fans f = compute_fans(w.shape, ov, "kaiming_normal_");
  normal_fill(w.data, w.numel(), 0.0, kaiming_std(f, a, mode, nonlinearity, "kaiming_normal_"), g);
}

// Saxe et al.: a (semi-)orthogonal matrix from the Householder QR of a Gaussian matrix, with the
// columns of Q multiplied by sign(diag R) so that Q is Haar distributed. Shape (rows, *) is
// flattened to (rows, numel / rows). A (max, min) column-major is filled with N(0, 1) in storage
// order. Beyond one panel (min(rows, cols) > 48) the QR and the thin Q are blocked and split over
// the thread pool in chunks fixed by the shape (qr.hpp): the result is the same for any thread
// count.
template <class W>
void orthogonal_(W&& w_, Generator& g, double gain = 1.0) {
  auto w = as_view(w_);
  using T = typename decltype(w)::value_type;
  if (w.ndim() < 2)
    throw value_error(
        detail::cat("orthogonal_: only tensors with 2 or more dimensions are supported, got shape ",
                    detail::shape_str(w.shape)));
  detail::check_finite("orthogonal_", "gain", gain);
  if (w.numel() == 0) return;
  const index_t rows = w.shape[0];
  const index_t cols = static_cast<index_t>(w.numel()) / rows;
  const index_t m = std::max(rows, cols), n = std::min(rows, cols);
  detail::ColMatrix<T> A(m, n);
  normal_fill(A.data(), static_cast<std::size_t>(m * n), 0.0, 1.0, g);
  Vector<T> rdiag;
  MatrixMap<T> out(w.data, rows, cols);
  detail::householder_qr_thin_q(A, rdiag, [&](index_t c0, const detail::ColMatrix<T>& Qc) {
    Vector<T> s(Qc.cols());  // gain * sign(R_jj)
    for (index_t j = 0; j < Qc.cols(); ++j) {
      const T d = rdiag(c0 + j);
      s(j) = d > 0 ? T(gain) : (d < 0 ? T(-gain) : T(0));
    }
    if (rows >= cols) {
      out.middleCols(c0, Qc.cols()) = Qc * s.asDiagonal();  // W = Q
    } else {
      out.middleRows(c0, Qc.cols()) = (Qc * s.asDiagonal()).transpose();  // W = Qᵀ
    }
  });
}

// Martens: N(0, std^2) entries with a fraction `sparsity` of each column set to zero; the zero
// rows of each column are a uniformly random subset drawn from the generator.
template <class W>
void sparse_(W&& w_, Generator& g, double sparsity, double std = 0.01) {
  auto w = as_view(w_);
  using T = typename decltype(w)::value_type;
  if (w.ndim() != 2)
    throw value_error(
        detail::cat("sparse_: only tensors with 2 dimensions are supported, got shape ",
                    detail::shape_str(w.shape)));
  if (!(sparsity >= 0 && sparsity <= 1))
    throw value_error(detail::cat("sparse_: sparsity must be in [0, 1], got ", sparsity));
  const std::int64_t rows = w.shape[0], cols = w.shape[1];
  normal_fill(w.data, w.numel(), 0.0, std, g);
  const auto nzero = static_cast<std::int64_t>(std::ceil(sparsity * static_cast<double>(rows)));
  if (nzero == 0 || cols == 0) return;
  // The words are those of random_u64(cols * nzero) (column c uses words [c * nzero, (c + 1) *
  // nzero)), regenerated per column so that the extra memory is O(rows) per thread.
  const auto nwords = static_cast<std::uint64_t>(cols) * static_cast<std::uint64_t>(nzero);
  const std::uint64_t first = g.reserve((nwords + 1) / 2);
  const std::uint64_t seed = g.seed(), stream = g.stream();
  parallel_for(cols, 64, [&](index_t c0, index_t c1) {
    std::vector<std::int64_t> perm(static_cast<std::size_t>(rows));
    std::vector<std::uint64_t> wd(static_cast<std::size_t>(nzero));
    for (index_t c = c0; c < c1; ++c) {
      std::iota(perm.begin(), perm.end(), std::int64_t{0});
      detail::u64_words_at(seed, stream, first, static_cast<std::uint64_t>(c * nzero), wd.size(),
                           wd.data());
      for (std::int64_t k = 0; k < nzero; ++k) {  // partial Fisher–Yates
        const auto j =
            k + static_cast<std::int64_t>(bounded(wd[k], static_cast<std::uint64_t>(rows - k)));
        std::swap(perm[k], perm[j]);
        w.data[perm[k] * cols + c] = T(0);
      }
    }
  });
}

// ----------------------------------------------------------------------------- Keras / JAX
// 0.87962566103423978 = std of a standard normal truncated to [-2, 2].
inline constexpr double kTruncStdCorrection = 0.87962566103423978;

inline const std::vector<std::string>& distribution_names() {
  static const std::vector<std::string> n = {"truncated_normal", "untruncated_normal", "uniform"};
  return n;
}

// keras.initializers.VarianceScaling: scale / max(1, fan) is the target variance.
template <class W>
void variance_scaling_(W&& w_, Generator& g, double scale = 1.0, const std::string& mode = "fan_in",
                       const std::string& distribution = "truncated_normal", FanOverride ov = {}) {
  auto w = as_view(w_);
  if (!(scale > 0) || !std::isfinite(scale))
    throw value_error(
        detail::cat("variance_scaling_: scale must be a positive float, got ", scale));
  const auto& dn = distribution_names();
  if (std::find(dn.begin(), dn.end(), distribution) == dn.end())
    detail::unknown_name("variance_scaling_ distribution", distribution, dn);
  if (w.numel() == 0) return;
  const Fans f = compute_fans(w.shape, ov, "variance_scaling_");
  const double var = scale / std::max(1.0, fan_for_mode(f, mode, "variance_scaling_", true));
  if (distribution == "truncated_normal") {
    const double sd = std::sqrt(var) / kTruncStdCorrection;
    trunc_normal_fill(w.data, w.numel(), 0.0, sd, -2.0 * sd, 2.0 * sd, g);
  } else if (distribution == "untruncated_normal") {
    normal_fill(w.data, w.numel(), 0.0, std::sqrt(var), g);
  } else {
    const double limit = std::sqrt(3.0 * var);
    uniform_fill(w.data, w.numel(), -limit, limit, g);
  }
}
template <class W>
void glorot_uniform_(W&& w_, Generator& g, FanOverride ov = {}) {
  auto w = as_view(w_);
  variance_scaling_(w, g, 1.0, "fan_avg", "uniform", ov);
}
template <class W>
void glorot_normal_(W&& w_, Generator& g, FanOverride ov = {}) {
  auto w = as_view(w_);
  variance_scaling_(w, g, 1.0, "fan_avg", "truncated_normal", ov);
}
template <class W>
void he_uniform_(W&& w_, Generator& g, FanOverride ov = {}) {
  auto w = as_view(w_);
  variance_scaling_(w, g, 2.0, "fan_in", "uniform", ov);
}
template <class W>
void he_normal_(W&& w_, Generator& g, FanOverride ov = {}) {
  auto w = as_view(w_);
  variance_scaling_(w, g, 2.0, "fan_in", "truncated_normal", ov);
}
template <class W>
void lecun_uniform_(W&& w_, Generator& g, FanOverride ov = {}) {
  auto w = as_view(w_);
  variance_scaling_(w, g, 1.0, "fan_in", "uniform", ov);
}
template <class W>
void lecun_normal_(W&& w_, Generator& g, FanOverride ov = {}) {
  auto w = as_view(w_);
  variance_scaling_(w, g, 1.0, "fan_in", "truncated_normal", ov);
}

// ----------------------------------------------------------------------------- ZerO
// ZerO (Zhao, Schäfer & Anandkumar): W (P, Q) is the identity if P == Q, the partial identity
// if P < Q, and c * H_m[:P, :Q] if P > Q, with H_m the 2^m Sylvester Hadamard matrix,
// m = ceil(log2 P) and c = 2^(-(m-1)/2). Deterministic: no generator.
template <class W>
void zero_(W&& w_) {
  auto w = as_view(w_);
  using T = typename decltype(w)::value_type;
  if (w.ndim() != 2)
    throw value_error(detail::cat("zero_: only tensors with 2 dimensions are supported, got shape ",
                                  detail::shape_str(w.shape)));
  const std::int64_t P = w.shape[0], Q = w.shape[1];
  if (P <= Q) {
    eye_(w);
    return;
  }
  int m = 0;
  while ((std::int64_t{1} << m) < P) ++m;
  const T c = static_cast<T>(std::pow(2.0, -(m - 1) / 2.0));
  for (std::int64_t i = 0; i < P; ++i)
    for (std::int64_t j = 0; j < Q; ++j)
      w.data[i * Q + j] =
          (__builtin_popcountll(static_cast<unsigned long long>(i & j)) & 1) ? -c : c;
}

}  // namespace init
}  // namespace fastinit
