// Diagnostics, theory, LSUV and sweeps.
#include "common.hpp"

namespace fastinit::py_glue {
void register_experiment(py::module_&) {}
}  // namespace fastinit::py_glue
