// Results of the C++ engine as Python dicts: a diagnosis (per-layer statistics and the verdict),
// what LSUV did, a training history. One converter each, shared by every register file.
#pragma once

#include <fastinit/diagnostics.hpp>
#include <fastinit/experiment.hpp>
#include <fastinit/fit.hpp>
#include <fastinit/lsuv.hpp>

#include "common.hpp"

namespace fastinit::py_glue {

template <class T>
py::array_t<T> array_of(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

inline py::dict layer_dict(const LayerStats& s, int layer) {
  py::dict d;
  d["layer"] = layer;
  d["z_mean"] = s.z_mean;
  d["z_std"] = s.z_std;
  d["q"] = s.q;
  d["a_mean"] = s.a_mean;
  d["a_std"] = s.a_std;
  d["dead_frac"] = s.dead_frac;
  d["saturated_frac"] = s.saturated_frac;
  d["grad_z_norm"] = s.grad_z_norm;
  d["grad_a_norm"] = s.grad_a_norm;
  d["grad_w_norm"] = s.grad_w_norm;
  d["grad_b_norm"] = s.grad_b_norm;
  d["w_norm"] = s.w_norm;
  d["grad_w_ratio"] = s.grad_w_ratio;
  d["w_row_similarity"] = s.w_row_similarity;
  d["grad_w_row_similarity"] = s.grad_w_row_similarity;
  d["correlation"] = s.correlation;
  return d;
}

inline py::dict diagnosis_dict(const Diagnosis& dg) {
  py::dict d;
  py::list layers;
  for (std::size_t l = 0; l < dg.layers.size(); ++l)
    layers.append(layer_dict(dg.layers[l], static_cast<int>(l) + 1));
  d["layers"] = layers;
  d["loss"] = dg.loss;
  d["log_q_slope"] = dg.log_q_slope;
  d["log_grad_z_slope"] = dg.log_grad_z_slope;
  d["input_correlation"] = dg.input_correlation;
  d["verdict"] = dg.verdict;
  d["reason"] = dg.reason;
  return d;
}

inline py::list lsuv_list(const std::vector<LsuvLayer>& v) {
  py::list out;
  for (std::size_t l = 0; l < v.size(); ++l) {
    py::dict d;
    d["layer"] = static_cast<int>(l) + 1;
    d["iterations"] = v[l].iterations;
    d["initial_var"] = v[l].initial_var;
    d["final_var"] = v[l].final_var;
    d["scale"] = v[l].scale;
    out.append(d);
  }
  return out;
}

inline py::dict history_dict(const History& h) {
  py::dict d;
  d["step_loss"] = array_of(h.step_loss);
  d["step_grad_norm"] = array_of(h.step_grad_norm);
  d["epoch_loss"] = array_of(h.epoch_loss);
  d["accuracy"] = array_of(h.accuracy);
  d["val_loss"] = array_of(h.val_loss);
  d["val_accuracy"] = array_of(h.val_accuracy);
  d["layer_grad_norm"] = array_of(h.layer_grad_norm)
                             .reshape({static_cast<py::ssize_t>(h.epochs_done),
                                       static_cast<py::ssize_t>(h.num_layers)});
  d["epochs"] = h.epochs_done;
  d["nonfinite"] = h.nonfinite;
  d["stopped"] = h.stopped;
  return d;
}

// One experiment of a sweep: its diagnosis, what the scheme did and, when trained, the training
// and (data sweeps) evaluation results.
inline py::dict experiment_dict(const ExperimentResult& r) {
  py::dict d = diagnosis_dict(r.diagnosis);
  d["sigma_w"] = r.sigma_w;
  d["lsuv"] = lsuv_list(r.lsuv);
  d["train_loss"] = array_of(r.train_loss);
  d["train_nonfinite"] = r.train_nonfinite;
  d["initial_loss"] = r.initial.loss;
  d["initial_accuracy"] = r.initial.accuracy;
  d["final_train_loss"] = r.train.loss;
  d["final_train_accuracy"] = r.train.accuracy;
  d["test_loss"] = r.test.loss;
  d["test_accuracy"] = r.test.accuracy;
  d["epoch_test_accuracy"] = array_of(r.epoch_test_accuracy);
  d["steps_to_target"] = r.steps_to_target;
  d["diverged"] = r.diverged;
  return d;
}

}  // namespace fastinit::py_glue
