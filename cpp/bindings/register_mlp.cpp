// fastinit.MLP, losses, clipping and optimizers (filled in by the MLP kernel).
#include "common.hpp"

namespace fastinit::py_glue {
void register_mlp(py::module_&) {}
}  // namespace fastinit::py_glue
