// 16-bit (float16 / bfloat16) in-place targets: the Python layer hands their storage over as a
// uint16 NumPy view of the same memory (fastinit.init.as_half_target), and the bindings write
// the bit patterns. Checked like every in-place target: never a silent copy.
#pragma once

#include <cstdint>
#include <fastinit/fill.hpp>
#include <fastinit/init.hpp>
#include <vector>

#include "common.hpp"

namespace fastinit::py_glue {

// The uint16 view of a 16-bit target: C-contiguous, writeable, aligned.
inline std::uint16_t* half_bits(py::array& a, const char* arg) {
  if (!has_dtype<std::uint16_t>(a))
    throw dtype_error(detail::cat("argument '", arg, "': expected the uint16 view of a float16 / ",
                                  "bfloat16 array, got ", dtype_name(a)));
  if (!(a.flags() & py::array::c_style))
    throw value_error(detail::cat("argument '", arg, "': expected a C-contiguous array"));
  if (!a.writeable())
    throw value_error(detail::cat("argument '", arg, "': the array is read-only"));
  if (!(a.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_))
    throw value_error(detail::cat("argument '", arg, "': the array's data is not aligned"));
  return static_cast<std::uint16_t*>(a.mutable_data());
}

inline Half half_format(bool bfloat16) { return bfloat16 ? Half::bfloat16 : Half::float16; }

// A 16-bit target as a TensorView of its element type (float16_bits / bfloat16_bits): the
// initializers of the uniform and normal families then compute their parameters as for float32
// and fill it batch by batch, rounding in cache (fill.hpp), with no float32 copy of the output.
template <class F>
void with_half_view(py::handle obj, bool bfloat16, F&& f) {
  py::array a = as_ndarray(obj, "tensor");
  std::uint16_t* p = half_bits(a, "tensor");
  std::vector<std::int64_t> shape(a.shape(), a.shape() + a.ndim());
  interruptible([&] {
    py::gil_scoped_release nogil;
    if (bfloat16)
      f(TensorView<bfloat16_bits>{reinterpret_cast<bfloat16_bits*>(p), shape});
    else
      f(TensorView<float16_bits>{reinterpret_cast<float16_bits*>(p), shape});
  });
}

}  // namespace fastinit::py_glue
