// fastinit.MLP's compiled half (MlpFloat32 / MlpFloat64), its gradients (GradsFloat32/64), and
// training: FitConfig and fit (mlp.hpp, fit.hpp). Inputs are checked in net_glue.hpp; the C++ runs
// with the GIL released and the network's NetLock held; the only Python calls made without the
// GIL re-acquire it (fit's callback and its Ctrl-C check).
#include <fastinit/fit.hpp>
#include <fastinit/mlp.hpp>

#include "casters.hpp"
#include "common.hpp"
#include "net_glue.hpp"
#include "results.hpp"

namespace fastinit::py_glue {

namespace {

// A zero-copy view into memory owned by `owner` (kept alive through the array's base).
template <class T>
py::array_t<T> view_into(T* data, std::vector<py::ssize_t> shape, py::handle owner) {
  return py::array_t<T>(shape, data, owner);
}

template <class T>
using Grads = Params<T>;

// Binds weight(l), bias(l) and flat(): views of the Params reached by `params(self)` (the
// network's parameters, or gradients), which keep `self` alive.
template <class T, class Cls, class Get>
void bind_views(Cls& cls, Get params) {
  cls.def(
         "weight",
         [params](py::object self, int l) {
           auto* P = params(self);
           check_layer(l, P->num_layers());
           auto W = P->W(l);
           return view_into<T>(W.data(), {W.rows(), W.cols()}, self);
         },
         py::arg("l"), "The weight (or its gradient) of layer l (out, in), a writeable view.")
      .def(
          "bias",
          [params](py::object self, int l) {
            auto* P = params(self);
            check_layer(l, P->num_layers());
            auto b = P->b(l);
            return view_into<T>(b.data(), {b.size()}, self);
          },
          py::arg("l"), "The bias (or its gradient) of layer l (out,), a writeable view.")
      .def(
          "flat",
          [params](py::object self) {
            auto* P = params(self);
            return view_into<T>(P->data(), {static_cast<py::ssize_t>(P->size())}, self);
          },
          "Every value in one writeable view, in the layout of the C++ buffer (for pickling).");
}

template <class T>
void bind_mlp(py::module_& m, const char* mlp_name, const char* grads_name) {
  py::class_<Grads<T>> grads(m, grads_name, py::module_local(),
                             "Gradients laid out like the network's parameters.");
  grads.def(py::init<const std::vector<index_t>&>(), py::arg("sizes"))
      .def_property_readonly("num_layers", &Grads<T>::num_layers)
      .def_property_readonly("sizes", &Grads<T>::sizes);
  bind_views<T>(grads, [](py::object self) { return &self.cast<Grads<T>&>(); });

  py::class_<Mlp<T>> mlp(m, mlp_name, py::module_local(),
                         "The compiled network (use fastinit.MLP).");
  mlp.def(py::init<std::vector<index_t>, std::vector<Activation>, Output>(), py::arg("sizes"),
          py::arg("activations"), py::arg("output"))
      .def_property_readonly("num_layers", &Mlp<T>::num_layers)
      .def_property_readonly("sizes", &Mlp<T>::sizes)
      .def_property_readonly("activations", &Mlp<T>::activations)
      .def_property_readonly("output", &Mlp<T>::output);
  bind_views<T>(mlp, [](py::object self) { return &self.cast<Mlp<T>&>().params(); });
  mlp.def(
      "locked",
      [](const Mlp<T>& net, const py::function& f) {
        std::unique_ptr<NetLock> lk;
        {
          py::gil_scoped_release nogil;  // never wait for the network's lock holding the GIL
          lk = std::make_unique<NetLock>(net);
        }
        return f();
      },
      py::arg("f"), "f() under the network's lock (Python code that writes its parameters).");
  mlp.def("new_grads", [](const Mlp<T>& net) { return Grads<T>(net.sizes()); })
      .def(
          "forward",
          [](Mlp<T>& net, const py::handle& X) {
            InputMatrix<T> in(X, "X", net.sizes()[0]);
            const index_t K = net.sizes().back();
            auto P = aligned_alloc_array<T>(static_cast<std::size_t>(in.rows * K));
            {
              py::gil_scoped_release nogil;
              NetLock lk(net);
              MatrixMap<T> Pm(P.get(), in.rows, K);
              net.predict(in.map(), Pm);
            }
            return adopt(std::move(P), {in.rows, K});
          },
          py::arg("X"), "Prediction P (N, D_L) after the output activation.")
      .def(
          "loss",
          [](Mlp<T>& net, const py::handle& X, const py::handle& y) {
            InputMatrix<T> in(X, "X", net.sizes()[0]);
            TargetData<T> t(y, in.rows, net.sizes().back(), net.output());
            py::gil_scoped_release nogil;
            NetLock lk(net);
            return net.loss(in.map(), t.t);
          },
          py::arg("X"), py::arg("y"))
      .def(
          "loss_and_grad",
          [](Mlp<T>& net, const py::handle& X, const py::handle& y, Grads<T>& g) {
            InputMatrix<T> in(X, "X", net.sizes()[0]);
            TargetData<T> t(y, in.rows, net.sizes().back(), net.output());
            net.check_grads(g);
            py::gil_scoped_release nogil;
            NetLock lk(net);
            return net.loss_and_grad(in.map(), t.t, g);
          },
          py::arg("X"), py::arg("y"), py::arg("grads"))
      .def(
          "cache",
          [](const Mlp<T>& net, const std::string& kind, int l) {
            const int L = net.num_layers();
            check_layer(l, L);
            if (kind != "Z" && kind != "A" && kind != "dZ" && kind != "dA")
              detail::unknown_name("cache", kind, {"Z", "A", "dZ", "dA"});
            if ((kind == "dA") && l == L - 1)
              throw value_error("dA is cached for hidden layers only");
            aligned_ptr<T> buf;
            index_t rows = 0, cols = 0;
            {
              py::gil_scoped_release nogil;  // never wait for the network's lock holding the GIL
              NetLock lk(net);
              const auto& ws = net.workspace();
              if (ws.N == 0) throw value_error("no pass has run yet");
              if ((kind == "dZ" || kind == "dA") && !ws.has_grads)
                throw value_error(
                    "no backward pass since the last forward: call loss_and_grad first");
              const auto& M = kind == "Z"    ? ws.Z[l]
                              : kind == "A"  ? ws.A[l]
                              : kind == "dZ" ? ws.dZ[l]
                                             : ws.dA[l];
              rows = ws.N;
              cols = M.cols();
              buf = aligned_alloc_array<T>(static_cast<std::size_t>(rows * cols));
              std::copy(M.data(), M.data() + rows * cols, buf.get());
            }
            return adopt(std::move(buf), {rows, cols});
          },
          py::arg("kind"), py::arg("l"),
          "A copy of a per-layer cache of the last pass (layer l is 0-based).")
      .def(
          "fit",
          [](Mlp<T>& net, const py::handle& X, const py::handle& y, const FitConfig& cfg,
             const py::object& generator, const py::object& callback, const py::object& X_val,
             const py::object& y_val) {
            InputMatrix<T> in(X, "X", net.sizes()[0]);
            TargetData<T> t(y, in.rows, net.sizes().back(), net.output());
            if (X_val.is_none() != y_val.is_none())
              throw value_error("validation_data: give both X and y, or neither");
            // Validation data goes through the same checks (and conversion) as X and y.
            std::unique_ptr<InputMatrix<T>> vin;
            std::unique_ptr<TargetData<T>> vt;
            std::unique_ptr<Validation<T>> val;
            if (!X_val.is_none()) {
              vin = std::make_unique<InputMatrix<T>>(X_val, "validation_data[0]", net.sizes()[0]);
              vt = std::make_unique<TargetData<T>>(y_val, vin->rows, net.sizes().back(),
                                                   net.output(), "validation_data[1]");
              val = std::make_unique<Validation<T>>(Validation<T>{vin->map(), vt->t});
            }
            FitConfig c = cfg;
            if (callback.is_none()) c.callback_every = 0;
            c.validate();
            auto gen = get_generator(generator);
            std::function<bool(const History&, std::int64_t)> cb;
            std::exception_ptr cb_error;
            if (!callback.is_none()) {
              cb = [&](const History& h, std::int64_t step) {
                py::gil_scoped_acquire gil;  // briefly, for the Python callback
                try {
                  py::object r = callback(step, h.step_loss.back(), h.step_grad_norm.back());
                  return r.is_none() || r.cast<bool>();
                } catch (...) {
                  cb_error = std::current_exception();
                  return false;
                }
              };
            }
            History h = interruptible([&] {
              py::gil_scoped_release nogil;
              NetLock lk(net);
              return fit(net, in.map(), t.t, c, *gen, cb, val.get());
            });
            if (cb_error) std::rethrow_exception(cb_error);
            return history_dict(h);
          },
          py::arg("X"), py::arg("y"), py::arg("config"), py::arg("generator") = py::none(),
          py::arg("callback") = py::none(), py::arg("X_val") = py::none(),
          py::arg("y_val") = py::none(),
          "Train in C++ (validation on (X_val, y_val) after each epoch); callback(step, loss, "
          "grad_norm) -> False stops; Ctrl-C stops too.");
}

}  // namespace

void register_mlp(py::module_& m) {
  py::class_<FitConfig> cfg(m, "FitConfig", py::module_local(),
                            "How fit trains: epochs, batches, the optimizer and the clipping.");
  cfg.def(py::init([](std::int64_t epochs, index_t batch_size, bool shuffle, OptimConfig optim,
                      ClipConfig clip, index_t callback_every) {
            FitConfig c;
            c.epochs = epochs;
            c.batch_size = batch_size;
            c.shuffle = shuffle;
            c.optim = std::move(optim);
            c.clip = clip;
            c.callback_every = callback_every;
            c.validate();
            return c;
          }),
          py::kw_only(), py::arg("epochs") = 1, py::arg("batch_size") = 32,
          py::arg("shuffle") = true, py::arg("optim") = OptimConfig{},
          py::arg("clip") = ClipConfig{}, py::arg("callback_every") = 100)
      .def_readonly("epochs", &FitConfig::epochs)
      .def_readonly("batch_size", &FitConfig::batch_size)
      .def_readonly("shuffle", &FitConfig::shuffle)
      .def_readonly("optim", &FitConfig::optim)
      .def_readonly("clip", &FitConfig::clip)
      .def_readonly("callback_every", &FitConfig::callback_every);
  config_methods(cfg, "FitConfig",
                 {"epochs", "batch_size", "shuffle", "optim", "clip", "callback_every"});
  bind_mlp<float>(m, "MlpFloat32", "GradsFloat32");
  bind_mlp<double>(m, "MlpFloat64", "GradsFloat64");
  m.def("activation_names", [] { return Activation::names(); });
  m.def(
      "activation", [](const Activation& a) { return a; }, py::arg("spec"),
      "An activation spec checked and normalized to (name, {parameter: value}).");
  m.def("output_names", [] { return output_names(); });
}

}  // namespace fastinit::py_glue
