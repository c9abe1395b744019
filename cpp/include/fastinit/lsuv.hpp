// fastinit/lsuv.hpp — layer-sequential unit-variance initialization (Mishkin & Matas, "All you
// need is a good init", ICLR 2016).
//
// Orthogonal pre-initialization of every W_l (optional), then layer by layer from the input:
// forward the batch X (N, D_0) up to layer l and rescale W_l (and b_l) by 1 / std(Z_l) until
// |Var(Z_l) - 1| < tol or max_iter rescalings were made.
#pragma once

#include <cmath>
#include <vector>

#include "init.hpp"
#include "mlp.hpp"

namespace fastinit {

struct LsuvLayer {
  int iterations = 0;
  double initial_var = 0, final_var = 0, scale = 1;  // scale: product of the rescalings
};

template <class T>
std::vector<LsuvLayer> lsuv_(Mlp<T>& net, typename Mlp<T>::ConstInput X, Generator& gen,
                             double tol = 0.1, int max_iter = 10, bool orthogonal_init = true) {
  if (!(tol > 0) || !std::isfinite(tol))
    throw value_error(detail::cat("lsuv_: tol must be > 0, got ", tol));
  if (max_iter < 1) throw value_error(detail::cat("lsuv_: max_iter must be >= 1, got ", max_iter));
  const int L = net.num_layers();
  if (orthogonal_init)
    for (int l = 0; l < L; ++l) init::orthogonal_(net.params().W(l), gen);
  std::vector<LsuvLayer> out(L);
  auto variance = [&](int l) {
    net.forward(X, l + 1);
    const auto Z = net.workspace().z(l);
    double s = 0, ss = 0;
    const double n = double(Z.size());
    for (index_t i = 0; i < Z.rows(); ++i)
      for (index_t j = 0; j < Z.cols(); ++j) s += Z(i, j), ss += double(Z(i, j)) * Z(i, j);
    return ss / n - (s / n) * (s / n);
  };
  for (int l = 0; l < L; ++l) {
    double var = variance(l);
    out[l].initial_var = var;
    while (std::fabs(var - 1.0) >= tol && out[l].iterations < max_iter) {
      if (!(var > 0) || !std::isfinite(var)) break;  // a dead or non-finite layer cannot be scaled
      const double c = 1.0 / std::sqrt(var);
      net.params().W(l) *= static_cast<T>(c);
      net.params().b(l) *= static_cast<T>(c);
      out[l].scale *= c;
      ++out[l].iterations;
      var = variance(l);
    }
    out[l].final_var = var;
  }
  return out;
}

}  // namespace fastinit
