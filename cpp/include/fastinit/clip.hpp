// fastinit/clip.hpp — gradient clipping over a list of tensors (pointer, count).
//
// clang-format off
//   clip_grad_norm_  PyTorch's torch.nn.utils.clip_grad_norm_: total = p-norm of the per-tensor
//                    p-norms (p = inf: max |g|); every tensor *= min(max_norm / (total + 1e-6), 1).
//                    A non-finite total throws when error_if_nonfinite, else propagates (NaN
//                    stays NaN, as in PyTorch). Returns the total before clipping.
//   clip_grad_value_ PyTorch's clip_grad_value_: every element clamped to [-v, v] as
//                    torch.clamp does it (min(max(g, -v), v): a negative v sets every element
//                    to v); NaN stays NaN.
//   clip_by_norm_    per tensor (the classic rule): if ||g||_2 > threshold,
//                    g *= threshold / ||g||_2.
//   ClipConfig       one of the three (or none) with its threshold: what fit and a sweep apply
//                    after each backward pass.
// clang-format on
// Norms accumulate in double, so float32 gradients near 1e19 do not overflow to inf.
#pragma once

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "errors.hpp"
#include "names.hpp"
#include "parallel.hpp"
#include "types.hpp"

namespace fastinit {

template <class T>
using TensorList = std::vector<std::pair<T*, std::size_t>>;

// p-norm of one tensor, accumulated in double (p > 0 or inf).
template <class T>
double tensor_norm(const T* g, std::size_t n, double p) {
  if (std::isinf(p)) {
    double m = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double a = std::fabs(double(g[i]));
      if (std::isnan(a)) return a;
      m = std::max(m, a);
    }
    return m;
  }
  double s = 0;
  if (p == 2.0) {
    // Eight running sums in a fixed order: vectorizes, and gives the same bits at any SIMD width.
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
      for (int k = 0; k < 8; ++k) acc[k] += double(g[i + k]) * double(g[i + k]);
    for (; i < n; ++i) s += double(g[i]) * double(g[i]);
    for (int k = 0; k < 8; ++k) s += acc[k];
    return std::sqrt(s);
  }
  if (p == 1.0) {
    for (std::size_t i = 0; i < n; ++i) s += std::fabs(double(g[i]));
    return s;
  }
  for (std::size_t i = 0; i < n; ++i) s += std::pow(std::fabs(double(g[i])), p);
  return std::pow(s, 1.0 / p);
}

inline void check_norm_type(double p) {
  if (std::isnan(p) || !(p > 0))
    throw value_error(detail::cat("norm_type must be > 0 or inf, got ", p));
}

// Total p-norm of several tensors (PyTorch: the norm of the per-tensor norms).
template <class T>
double total_norm(const TensorList<T>& ts, double p) {
  check_norm_type(p);
  std::vector<double> norms(ts.size());
  double work = 0;
  for (const auto& t : ts) work += double(t.second);
  parallel_tasks(static_cast<index_t>(ts.size()), work,
                 [&](index_t i) { norms[i] = tensor_norm(ts[i].first, ts[i].second, p); });
  return tensor_norm(norms.data(), norms.size(), p);
}

// The factor clip_grad_norm_ scales every gradient by, for a total norm `total`: formed in
// double from the double total (a float32 total could overflow), then rounded to T; 1 when the
// total is within max_norm, NaN when it is NaN.
template <class T>
T clip_coefficient(double max_norm, double total) {
  const double coef = max_norm / (total + 1e-6);
  return static_cast<T>(std::min(coef, 1.0));  // NaN stays NaN (std::min returns its first)
}

// g *= c for every tensor (nothing to do for c = 1: x * 1 is x).
template <class T>
void scale_tensors(const TensorList<T>& ts, T c) {
  if (c == T(1)) return;
  for (auto& [g, n] : ts) {
    T* gg = g;
    parallel_for(static_cast<index_t>(n), 1 << 16, [&](index_t b, index_t e) {
      for (index_t i = b; i < e; ++i) gg[i] *= c;
    });
  }
}

// The same, with the total norm already known (fit computes it once per step).
template <class T>
double clip_grad_norm_given_total_(const TensorList<T>& ts, double max_norm, double norm_type,
                                   bool error_if_nonfinite, double total);

template <class T>
double clip_grad_norm_(const TensorList<T>& ts, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false) {
  if (std::isnan(max_norm) || max_norm < 0)
    throw value_error(detail::cat("max_norm must be >= 0, got ", max_norm));
  return clip_grad_norm_given_total_(ts, max_norm, norm_type, error_if_nonfinite,
                                     total_norm(ts, norm_type));
}

template <class T>
double clip_grad_norm_given_total_(const TensorList<T>& ts, double max_norm, double norm_type,
                                   bool error_if_nonfinite, double total) {
  if (!std::isfinite(total) && error_if_nonfinite)
    throw nonfinite_error(detail::cat(
        "The total norm of order ", norm_type,
        " for gradients is non-finite, so it cannot be "
        "clipped. To disable this error and scale the gradients by the non-finite norm anyway, "
        "set error_if_nonfinite=False"));
  scale_tensors(ts, clip_coefficient<T>(max_norm, total));
  return total;
}

template <class T>
void clip_grad_value_(const TensorList<T>& ts, double clip_value) {
  if (std::isnan(clip_value)) throw value_error("clip_value must not be NaN");
  const T hi = static_cast<T>(clip_value), lo = -hi;
  for (auto& [g, n] : ts)
    for (std::size_t i = 0; i < n; ++i) {
      T x = g[i];
      if (x < lo) x = lo;  // NaN fails both comparisons and stays NaN
      if (x > hi) x = hi;
      g[i] = x;
    }
}

// Returns the per-tensor norms before clipping.
template <class T>
std::vector<double> clip_by_norm_(const TensorList<T>& ts, double threshold) {
  if (std::isnan(threshold) || threshold < 0)
    throw value_error(detail::cat("threshold must be >= 0, got ", threshold));
  std::vector<double> norms(ts.size());
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const double nrm = tensor_norm(ts[i].first, ts[i].second, 2.0);
    norms[i] = nrm;
    if (nrm > threshold) scale_tensors<T>({ts[i]}, static_cast<T>(threshold / nrm));
  }
  return norms;
}

enum class ClipMode { none, norm, value, per_tensor };
template <>
struct enum_names<ClipMode> {
  static constexpr const char* what = "clip mode";
  static const std::vector<std::string>& names() {
    static const std::vector<std::string> n = {"none", "norm", "value", "per_tensor"};
    return n;
  }
};

// What to clip after a backward pass: none; the global p-norm to `threshold` (norm); every
// element to [-threshold, threshold] (value); each tensor's L2 norm to `threshold` (per_tensor).
struct ClipConfig {
  ClipMode mode = ClipMode::none;
  double threshold = 0;    // max_norm, clip_value or the per-tensor threshold, by mode
  double norm_type = 2.0;  // for mode = norm

  void validate() const {
    if (mode == ClipMode::none) return;
    if (!std::isfinite(threshold) || (mode != ClipMode::value && threshold < 0))
      throw value_error(detail::cat("clipping: the threshold of '", name_of(mode),
                                    "' must be a finite number",
                                    mode == ClipMode::value ? "" : " >= 0", ", got ", threshold));
    if (mode == ClipMode::norm) check_norm_type(norm_type);
  }
};

// Applies `c` to the gradients. l2_total is their global L2 norm when the caller already has it
// (fit computes it once per step), or a negative number.
template <class T>
void apply_clip(const ClipConfig& c, const TensorList<T>& ts, double l2_total = -1) {
  switch (c.mode) {
    case ClipMode::none: return;
    case ClipMode::norm:
      if (c.norm_type == 2.0 && l2_total >= 0)
        clip_grad_norm_given_total_(ts, c.threshold, 2.0, false, l2_total);
      else
        clip_grad_norm_(ts, c.threshold, c.norm_type);
      return;
    case ClipMode::value: clip_grad_value_(ts, c.threshold); return;
    case ClipMode::per_tensor: clip_by_norm_(ts, c.threshold); return;
  }
}

// apply_clip for a caller that multiplies the gradients as it reads them (fit's optimizer step):
// global L2 clipping is one factor on every gradient, returned instead of applied (the same
// bits, one pass fewer); every other mode is applied here and 1 returned.
template <class T>
T clip_or_factor(const ClipConfig& c, const TensorList<T>& ts, double l2_total) {
  if (c.mode == ClipMode::norm && c.norm_type == 2.0 && l2_total >= 0)
    return clip_coefficient<T>(c.threshold, l2_total);
  apply_clip(c, ts, l2_total);
  return T(1);
}

}  // namespace fastinit
