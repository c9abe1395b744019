// fastinit/loss.hpp — output activations with their losses, reduced as PyTorch's defaults.
//
// Shape legend: Z (N, K) logits of the last layer; P (N, K) the prediction; Y (N, K) dense
// targets or labels (N,) class indices; dZ (N, K) = dLoss/dZ.
//   linear  + MSE                     mean over all N*K elements           (nn.MSELoss)
//   sigmoid + binary cross-entropy    from logits, mean over N*K           (nn.BCEWithLogitsLoss)
//   softmax + cross-entropy           stable log-sum-exp, mean over N      (nn.CrossEntropyLoss)
// Losses accumulate in double. Each *_forward returns the loss and writes P; each *_backward
// writes dZ from P.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

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

// Loss of the logits Z (rows [0, N)) and the prediction P.
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
        P[i] = static_cast<T>(z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z)));
      }
      return total / double(N * K);
    case Output::softmax:
      for (index_t n = 0; n < N; ++n) {
        const T* z = Z + n * K;
        T* p = P + n * K;
        double m = z[0];
        for (index_t k = 1; k < K; ++k) m = std::max(m, double(z[k]));
        double s = 0;
        for (index_t k = 0; k < K; ++k) s += std::exp(double(z[k]) - m);
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

// dZ = dLoss/dZ from the prediction P.
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
