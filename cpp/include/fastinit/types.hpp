// fastinit/types.hpp — the Eigen aliases used everywhere, named once.
//
// Shapes follow PyTorch: a weight is (out, in), a batch is (N, features), both row-major, so a
// NumPy C-contiguous array maps onto them without a copy. T is float or double.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

#include "errors.hpp"

namespace fastinit {

using index_t = std::ptrdiff_t;

template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <class T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;
// A writeable view of a row-major matrix with unit inner stride (any outer stride).
template <class T>
using MatrixRef = Eigen::Ref<Matrix<T>>;
template <class T>
using ConstMatrixRef = Eigen::Ref<const Matrix<T>>;
// Maps over fastinit-owned, contiguous storage.
template <class T>
using MatrixMap = Eigen::Map<Matrix<T>>;
template <class T>
using ConstMatrixMap = Eigen::Map<const Matrix<T>>;
template <class T>
using VectorMap = Eigen::Map<Vector<T>>;
template <class T>
using ConstVectorMap = Eigen::Map<const Vector<T>>;

template <class T>
inline constexpr bool is_real_v = std::is_same_v<T, float> || std::is_same_v<T, double>;

// 64-byte aligned storage: parameters, gradients and allocating initializers live in it
// (a GEMM reads 64-byte aligned panels markedly faster than 16-byte aligned ones).
inline constexpr std::size_t alignment = 64;

struct aligned_deleter {
  void operator()(void* p) const noexcept { std::free(p); }
};

template <class T>
using aligned_ptr = std::unique_ptr<T[], aligned_deleter>;

// Allocate n elements of T, 64-byte aligned; throws size_error / std::bad_alloc.
template <class T>
aligned_ptr<T> aligned_alloc_array(std::size_t n) {
  if (n > (std::numeric_limits<std::size_t>::max() - alignment) / sizeof(T))
    throw size_error(detail::cat("cannot allocate ", n, " elements: byte count overflows"));
  std::size_t bytes = n * sizeof(T);
  bytes = (bytes + alignment - 1) / alignment * alignment;
  if (bytes == 0) bytes = alignment;
  void* p = std::aligned_alloc(alignment, bytes);
  if (!p)
    throw size_error(detail::cat("cannot allocate ", n * sizeof(T), " bytes (", n, " elements)"));
  return aligned_ptr<T>(static_cast<T*>(p));
}

}  // namespace fastinit
