// fastinit/loss.hpp — the output layer: output activations with their losses, reduced as
// PyTorch's defaults. The one owner of the output layer (mlp.hpp calls it).
//
// clang-format off
// Shape legend: Z (N, K) logits of the last layer; P (N, K) the prediction; Y (N, K) dense
// targets or labels (N,) class indices; dZ (N, K) = dLoss/dZ.
//   linear  + MSE                     mean over all N*K elements           (nn.MSELoss)
//   sigmoid + binary cross-entropy    from logits, mean over N*K           (nn.BCEWithLogitsLoss)
//   softmax + cross-entropy           stable log-sum-exp, mean over N      (nn.CrossEntropyLoss)
//   output_forward   P = g(Z)                      the prediction alone (Mlp::predict)
//   loss_forward     loss(Z, Y), P                 the loss, and P for the backward pass
//   loss_backward    dZ = dLoss/dZ from P
// clang-format on
// Losses accumulate in double. The sigmoid is activation.hpp's logistic (in T for the prediction,
// in double for the loss); softmax_shift holds the row max and the sum of exponentials of both.
// The prediction normalizes by the sum (P = e / s) and the loss works in log space
// (P = exp(z - lse)): they may differ in the last bit, as they always have.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "activation.hpp"
#include "errors.hpp"
#include "types.hpp"

namespace fastinit {

enum class Output { linear, sigmoid, softmax };

inline const std::vector<std::string>& output_names() {
  static const std::vector<std::string> n = {"linear", "sigmoid", "softmax"};
  return n;
}
inline Output output_from_name(const std::string& s) {
  const auto& n = output_names();
  for (std::size_t i = 0; i < n.size(); ++i)
    if (n[i] == s) return static_cast<Output>(i);
  detail::unknown_name("output", s, n);
}

// Targets: dense (N, K) values, or (for softmax) N class indices.
template <class T>
struct Target {
  const T* dense = nullptr;              // (N, K) row-major, or null
  const std::int64_t* labels = nullptr;  // (N,), or null
};

// Validates targets for an output of width K: labels in [0, K), BCE targets in [0, 1], finite.
template <class T>
void check_target(Output out, const Target<T>& y, index_t N, index_t K) {
  if (y.labels) {
    if (out != Output::softmax)
      throw value_error(detail::cat("integer class labels need output='softmax'; output '",
                                    output_names()[static_cast<int>(out)], "' needs (N, ", K,
                                    ") targets"));
    for (index_t n = 0; n < N; ++n)
      if (y.labels[n] < 0 || y.labels[n] >= K)
        throw value_error(
            detail::cat("label ", y.labels[n], " at row ", n, " is outside [0, ", K, ")"));
    return;
  }
  for (index_t i = 0; i < N * K; ++i) {
    const T v = y.dense[i];
    if (!std::isfinite(v))
      throw value_error(detail::cat("targets must be finite; y has ", v, " at flat index ", i));
    if (out == Output::sigmoid && (v < 0 || v > 1))
      throw value_error(detail::cat("binary cross-entropy targets must lie in [0, 1]; y has ", v,
                                    " at flat index ", i));
  }
}

// Row max m of z (K) and s = sum_k exp(z_k - m) in double, the subtraction done in U (the
// prediction's in T, the loss's in double). Subtracting the max keeps every exp <= 1.
template <class U, class T>
std::pair<U, double> softmax_shift(const T* z, index_t K) {
  U m = z[0];
  for (index_t k = 1; k < K; ++k) m = std::max(m, U(z[k]));
  double s = 0;
  for (index_t k = 0; k < K; ++k) s += std::exp(double(U(z[k]) - m));
  return {m, s};
}

// P = g(Z) on rows [0, N): Z, P (N, K) row-major (P may alias Z).
template <class T>
void output_forward(Output out, const T* Z, T* P, index_t N, index_t K) {
  switch (out) {
    case Output::linear:
      if (P != Z) std::copy(Z, Z + N * K, P);
      return;
    case Output::sigmoid:
      for (index_t i = 0; i < N * K; ++i) P[i] = act_detail::sigmoid(Z[i]);
      return;
    case Output::softmax:
      for (index_t n = 0; n < N; ++n) {
        const T* z = Z + n * K;
        T* p = P + n * K;
        const auto [m, s] = softmax_shift<T>(z, K);
        for (index_t k = 0; k < K; ++k) p[k] = static_cast<T>(std::exp(double(z[k] - m)) / s);
      }
      return;
  }
}

// Loss of the logits Z (rows [0, N)) and the prediction P (both (N, K)).
template <class T>
double loss_forward(Output out, const T* Z, T* P, const Target<T>& y, index_t N, index_t K) {
  double total = 0;
  switch (out) {
    case Output::linear:
      for (index_t i = 0; i < N * K; ++i) {
        P[i] = Z[i];
        const double d = double(Z[i]) - double(y.dense[i]);
        total += d * d;
      }
      return total / double(N * K);
    case Output::sigmoid:
      for (index_t i = 0; i < N * K; ++i) {
        const double z = Z[i], t = y.dense[i];
        // max(z, 0) - z t + log(1 + exp(-|z|)): no overflow for any z
        total += std::max(z, 0.0) - z * t + std::log1p(std::exp(-std::fabs(z)));
        P[i] = static_cast<T>(act_detail::sigmoid(z));
      }
      return total / double(N * K);
    case Output::softmax:
      for (index_t n = 0; n < N; ++n) {
        const T* z = Z + n * K;
        T* p = P + n * K;
        const auto [m, s] = softmax_shift<double>(z, K);
        const double lse = m + std::log(s);
        for (index_t k = 0; k < K; ++k) p[k] = static_cast<T>(std::exp(double(z[k]) - lse));
        if (y.labels) {
          total += lse - double(z[y.labels[n]]);
        } else {
          const T* t = y.dense + n * K;
          for (index_t k = 0; k < K; ++k) total += double(t[k]) * (lse - double(z[k]));
        }
      }
      return total / double(N);
  }
  return 0;
}

// dZ = dLoss/dZ from the prediction P: P, dZ (N, K).
template <class T>
void loss_backward(Output out, const T* Z, const T* P, const Target<T>& y, T* dZ, index_t N,
                   index_t K) {
  (void)Z;
  switch (out) {
    case Output::linear: {
      const double s = 2.0 / double(N * K);
      for (index_t i = 0; i < N * K; ++i)
        dZ[i] = static_cast<T>(s * (double(P[i]) - double(y.dense[i])));
      return;
    }
    case Output::sigmoid: {
      const double s = 1.0 / double(N * K);
      for (index_t i = 0; i < N * K; ++i)
        dZ[i] = static_cast<T>(s * (double(P[i]) - double(y.dense[i])));
      return;
    }
    case Output::softmax: {
      const double s = 1.0 / double(N);
      for (index_t n = 0; n < N; ++n) {
        const T* p = P + n * K;
        T* d = dZ + n * K;
        if (y.labels) {
          for (index_t k = 0; k < K; ++k) d[k] = static_cast<T>(s * double(p[k]));
          d[y.labels[n]] = static_cast<T>(s * (double(p[y.labels[n]]) - 1.0));
        } else {
          const T* t = y.dense + n * K;
          double mass = 0;  // targets need not sum to 1: dZ = (P * sum(t) - t) / N
          for (index_t k = 0; k < K; ++k) mass += t[k];
          for (index_t k = 0; k < K; ++k)
            d[k] = static_cast<T>(s * (double(p[k]) * mass - double(t[k])));
        }
      }
      return;
    }
  }
}

}  // namespace fastinit
