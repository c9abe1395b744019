// fastinit.theory: mean-field signal propagation (filled in with theory.hpp).
#include "common.hpp"

namespace fastinit::py_glue {
void register_theory(py::module_&) {}
}  // namespace fastinit::py_glue
