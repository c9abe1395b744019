// fastinit/optim.hpp — SGD (momentum, dampening, Nesterov, weight decay) and Adam / AdamW with
// PyTorch's update rules, over the flat parameter and gradient buffers of Params.
//
//   SGD:   g += wd p;  buf = g (first step) or mu buf + (1 - dampening) g;
//          g = nesterov ? g + mu buf : buf;  p -= lr g
//   Adam:  g += wd p (L2);  AdamW: p *= 1 - lr wd (decoupled);  then
//          m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
//          p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// Elementwise, split across threads: bit-identical for any thread count.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "errors.hpp"
#include "names.hpp"
#include "parallel.hpp"
#include "types.hpp"

namespace fastinit {

enum class OptimKind { sgd, adam, adamw };
template <>
struct enum_names<OptimKind> {
  static constexpr const char* what = "optimizer";
  static const std::vector<std::string>& names() {
    static const std::vector<std::string> n = {"sgd", "adam", "adamw"};
    return n;
  }
};

struct OptimConfig {
  OptimKind kind = OptimKind::sgd;
  double lr = 0.01;
  double momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;

  void validate() const {
    auto finite_nonneg = [](double v, const char* n) {
      if (!std::isfinite(v) || v < 0)
        throw value_error(detail::cat("optimizer: ", n, " must be a finite number >= 0, got ", v));
    };
    finite_nonneg(lr, "lr");
    finite_nonneg(momentum, "momentum");
    finite_nonneg(weight_decay, "weight_decay");
    finite_nonneg(eps, "eps");
    if (!std::isfinite(dampening)) throw value_error("optimizer: dampening must be finite");
    if (nesterov && (momentum <= 0 || dampening != 0))
      throw value_error("optimizer: Nesterov momentum requires a momentum and zero dampening");
    for (auto [b, n] : {std::pair{beta1, "betas[0]"}, std::pair{beta2, "betas[1]"}})
      if (!(b >= 0 && b < 1))
        throw value_error(detail::cat("optimizer: ", n, " must be in [0, 1), got ", b));
  }
};

// The state of an optimizer: the step count and its buffers (SGD: the momentum buffer, when
// there is momentum; Adam / AdamW: the first and second moments), each of n elements.
template <class T>
struct OptimState {
  std::int64_t steps = 0;
  std::vector<T> momentum, exp_avg, exp_avg_sq;
};

template <class T>
class Optimizer {
 public:
  Optimizer(OptimConfig cfg, std::size_t n) : cfg_(std::move(cfg)), n_(n) {
    cfg_.validate();
    if (cfg_.kind == OptimKind::sgd) {
      if (cfg_.momentum != 0) buf_ = zeros(n);
    } else {
      m_ = zeros(n);
      v_ = zeros(n);
    }
  }
  const OptimConfig& config() const { return cfg_; }
  std::size_t size() const { return n_; }

  OptimState<T> state() const {
    OptimState<T> s;
    s.steps = t_;
    auto copy = [&](const aligned_ptr<T>& p) {
      return p ? std::vector<T>(p.get(), p.get() + n_) : std::vector<T>();
    };
    s.momentum = copy(buf_);
    s.exp_avg = copy(m_);
    s.exp_avg_sq = copy(v_);
    return s;
  }
  // Restores a state taken from an optimizer of the same configuration and size.
  void set_state(const OptimState<T>& s) {
    auto load = [&](aligned_ptr<T>& p, const std::vector<T>& v, const char* what) {
      if (v.size() != (p ? n_ : 0))
        throw value_error(detail::cat("optimizer state: '", what, "' has ", v.size(),
                                      " elements, expected ", p ? n_ : 0));
      std::copy(v.begin(), v.end(), p.get());
    };
    if (s.steps < 0) throw value_error("optimizer state: steps must be >= 0");
    load(buf_, s.momentum, "momentum");
    load(m_, s.exp_avg, "exp_avg");
    load(v_, s.exp_avg_sq, "exp_avg_sq");
    t_ = s.steps;
  }
  void set_lr(double lr) {
    if (!std::isfinite(lr) || lr < 0)
      throw value_error(detail::cat("lr must be a finite number >= 0, got ", lr));
    cfg_.lr = lr;
  }
  std::int64_t steps() const { return t_; }

  // One update of p (n) from g (n). g is read only (weight decay is applied to a copy). n must
  // be the size the optimizer was built for: its buffers have exactly that many elements.
  // g_scale: the update uses g[i] * g_scale, rounded to T — exactly what scaling g by it first
  // (clip_grad_norm_'s scale_tensors) and stepping would do, without the pass over g; x * 1 is
  // x, so the default changes nothing.
  void step(T* p, const T* g, std::size_t n, T g_scale = T(1)) {
    if (n != n_)
      throw value_error(detail::cat("optimizer: built for ", n_, " parameters, stepped with ", n,
                                    " (an optimizer steps the network it was made for)"));
    ++t_;
    const T lr = T(cfg_.lr), wd = T(cfg_.weight_decay);
    if (cfg_.kind == OptimKind::sgd) {
      const T mu = T(cfg_.momentum), damp = T(1 - cfg_.dampening);
      const bool first = t_ == 1, nest = cfg_.nesterov, mom = cfg_.momentum != 0;
      T* buf = buf_.get();
      if (wd == 0 && !mom) {  // plain SGD: a loop the compiler vectorizes
        run([&](std::size_t i) { p[i] -= lr * (g[i] * g_scale); });
        return;
      }
      run([&](std::size_t i) {
        T d = g[i] * g_scale;
        if (wd != 0) d += wd * p[i];
        if (mom) {
          buf[i] = first ? d : mu * buf[i] + damp * d;
          d = nest ? d + mu * buf[i] : buf[i];
        }
        p[i] -= lr * d;
      });
      return;
    }
    const bool decoupled = cfg_.kind == OptimKind::adamw;
    const T b1 = T(cfg_.beta1), b2 = T(cfg_.beta2), eps = T(cfg_.eps);
    const double bc1 = 1 - std::pow(cfg_.beta1, double(t_)),
                 bc2 = 1 - std::pow(cfg_.beta2, double(t_));
    const T step_size = T(cfg_.lr / bc1), bc2_sqrt = T(std::sqrt(bc2));
    T* m = m_.get();
    T* v = v_.get();
    run([&](std::size_t i) {
      T d = g[i] * g_scale;
      if (decoupled) {
        p[i] *= T(1) - lr * wd;
      } else if (wd != 0) {
        d += wd * p[i];
      }
      m[i] = b1 * m[i] + (T(1) - b1) * d;
      v[i] = b2 * v[i] + (T(1) - b2) * d * d;
      p[i] -= step_size * m[i] / (std::sqrt(v[i]) / bc2_sqrt + eps);
    });
  }

 private:
  static aligned_ptr<T> zeros(std::size_t n) {
    auto p = aligned_alloc_array<T>(n);
    std::fill(p.get(), p.get() + n, T(0));
    return p;
  }
  template <class F>
  void run(F&& f) {
    parallel_for(static_cast<index_t>(n_), 1 << 15, [&](index_t b, index_t e) {
      for (index_t i = b; i < e; ++i) f(static_cast<std::size_t>(i));
    });
  }

  OptimConfig cfg_;
  std::size_t n_;
  std::int64_t t_ = 0;
  aligned_ptr<T> buf_, m_, v_;
};

}  // namespace fastinit
