// The MLP's kernels against their plain-loop references (mlp.hpp, namespace naive), for float and
// double, on shapes that include batch 1 and width 1 and one large enough to be cut into row
// panels; and the activations' one definition: the MLP's kernels (in double) against phi / dphi.
// Prints the max difference of every comparison.
#include <fastinit/activation.hpp>
#include <fastinit/mlp.hpp>
#include <fastinit/random.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "check.hpp"

namespace fi = fastinit;

namespace {

struct Shape {
  fi::index_t N, in, out;
};

// max |a - b| / max(1, max |b|): the error relative to the size of the result.
template <class T>
double rel_diff(const std::vector<T>& a, const std::vector<T>& b) {
  double worst = 0, scale = 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::fabs(double(a[i]) - double(b[i])));
    scale = std::max(scale, std::fabs(double(b[i])));
  }
  return worst / scale;
}

template <class T>
std::vector<T> randn(std::size_t n, fi::Generator& g) {
  std::vector<T> v(n);
  fi::normal_fill(v.data(), n, 0.0, 1.0, g);
  return v;
}

template <class T>
void test_linear(const Shape& s, double tol, const char* type) {
  fi::Generator g(static_cast<std::uint64_t>(s.N * 1000 + s.in * 10 + s.out));
  const auto N = static_cast<std::size_t>(s.N), in = static_cast<std::size_t>(s.in),
             out = static_cast<std::size_t>(s.out);
  std::vector<T> A = randn<T>(N * in, g), W = randn<T>(out * in, g), b = randn<T>(out, g),
                 dZ = randn<T>(N * out, g), Zprev = randn<T>(N * in, g);
  fi::StridedConstMap<T> A_prev(A.data(), s.N, s.in, Eigen::OuterStride<>(s.in));
  fi::MatrixMap<T> Wm(W.data(), s.out, s.in);
  fi::VectorMap<T> bm(b.data(), s.out);

  // Forward: Z = A_prev W^T + b.
  std::vector<T> Z(N * out), Z_ref(N * out), unused(N * out);
  fi::linear_forward<T>(A_prev, Wm, bm, Z.data(), unused.data(), nullptr);
  fi::naive::linear_forward(A.data(), W.data(), b.data(), Z_ref.data(), s.N, s.in, s.out);
  const double ef = rel_diff(Z, Z_ref);

  // Backward with an identity layer below: dZ_prev = dA_prev.
  std::vector<T> dW(out * in), db(out), dA(N * in), dZp(N * in);
  std::vector<T> dW_ref(out * in), db_ref(out), dA_ref(N * in);
  const fi::Activation identity{fi::Act::identity};
  const fi::PrevLayer<T> prev{identity, Zprev.data(), dA.data(), dZp.data()};
  fi::linear_backward<T>(fi::ConstMatrixMap<T>(dZ.data(), s.N, s.out), A_prev, Wm,
                         fi::MatrixMap<T>(dW.data(), s.out, s.in),
                         fi::VectorMap<T>(db.data(), s.out), &prev);
  fi::naive::linear_backward(dZ.data(), A.data(), W.data(), dW_ref.data(), db_ref.data(),
                             dA_ref.data(), s.N, s.in, s.out);
  const double ew = rel_diff(dW, dW_ref), eb = rel_diff(db, db_ref), ea = rel_diff(dA, dA_ref);
  std::printf(
      "linear %-6s N=%-3td in=%-3td out=%-3td max rel diff: Z %.2g  dW %.2g  db %.2g  dA %.2g\n",
      type, s.N, s.in, s.out, ef, ew, eb, ea);
  CHECK(ef <= tol && ew <= tol && eb <= tol && ea <= tol);
  CHECK(dZp == dA);
}

// The MLP's activation kernels in double against the theory's phi / dphi: the same definition.
void test_activations_one_definition() {
  fi::Generator g(5);
  const std::size_t n = 1001;
  std::vector<double> Z = randn<double>(n, g);
  for (auto& z : Z) z *= 4;
  for (const auto& name : fi::Activation::names()) {
    const fi::Activation a = fi::Activation::from_name(name);
    std::vector<double> A(n), dZ(n), ones(n, 1.0);
    fi::activation_forward(a, Z.data(), A.data(), static_cast<fi::index_t>(n));
    fi::activation_backward(a, Z.data(), A.data(), ones.data(), dZ.data(),
                            static_cast<fi::index_t>(n));
    double ef = 0, eb = 0;
    for (std::size_t i = 0; i < n; ++i) {
      ef = std::max(ef, std::fabs(A[i] - fi::phi(a, Z[i])));
      eb = std::max(eb, std::fabs(dZ[i] - fi::dphi(a, Z[i])));
    }
    std::printf("activation %-10s max |MLP - theory|: f %.2g  f' %.2g\n", name.c_str(), ef, eb);
    // The same expression element for element, except softplus (two roundings of one function)
    // and the derivatives elu / selu take from the cached A (alpha expm1(z) + alpha).
    CHECK(ef <= (a.kind == fi::Act::softplus ? 1e-15 : 0.0));
    const bool from_cache = a.kind == fi::Act::elu || a.kind == fi::Act::selu;
    CHECK(eb <= (from_cache ? 1e-15 : 0.0));
  }
}

}  // namespace

void run_kernel_tests() {
  const Shape shapes[] = {{1, 1, 1},   {1, 7, 5},    {5, 1, 3},     {4, 6, 1},
                          {33, 17, 9}, {64, 65, 63}, {256, 128, 96}};
  for (const auto& s : shapes) {
    test_linear<float>(s, 1e-5, "float");
    test_linear<double>(s, 1e-13, "double");
  }
  test_activations_one_definition();
}
