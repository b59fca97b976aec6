// When each gradient tensor is ready during backpropagation: from a profile's measured per-layer
// times where it has them for every layer, else from the layers' multiply-adds (MODELS.md
// "Overlap").
#include "dlscale/estimate.hpp"

#include <cstddef>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "dlscale/profile.hpp"

namespace dlscale {
namespace {

// The layer of each tensor: layers append their tensors in model order, and a layer's params
// are the sum of its tensors' elements, so the tensors are consumed layer by layer.
std::vector<std::size_t> layer_of_tensors(const Network& net) {
  const auto& layers = net.layers();
  const auto& tensors = net.tensors();
  std::vector<std::size_t> layer_of(tensors.size(), layers.empty() ? 0 : layers.size() - 1);
  std::size_t t = 0;
  for (std::size_t l = 0; l < layers.size() && t < tensors.size(); ++l) {
    std::int64_t owned = 0;
    while (t < tensors.size() && owned < layers[l].params) {
      owned += tensors[t].elements;
      layer_of[t++] = l;
    }
  }
  return layer_of;
}

// Tensor t is ready after the forward pass and the backward of every layer from the last down
// to its own: (forward + sum of backward[l'] for l' >= layer(t)) / (forward + all backward).
std::vector<GradTensor> readiness(const Network& net, Precision p, double forward,
                                  const std::vector<double>& backward) {
  std::vector<double> after(backward.size() + 1, 0.0);
  for (std::size_t l = backward.size(); l-- > 0;) after[l] = after[l + 1] + backward[l];
  const double total = forward + after[0];
  const auto bytes = net.tensor_bytes(p);
  const auto layer_of = layer_of_tensors(net);
  std::vector<GradTensor> out;
  out.reserve(bytes.size());
  for (std::size_t t = 0; t < bytes.size(); ++t)
    out.push_back({bytes[t], total > 0 ? (forward + after[layer_of[t]]) / total : 1.0});
  return out;
}

}  // namespace

GradReadiness grad_readiness(const Network& net, Precision p, const ProfileEntry* entry,
                             std::string_view profile) {
  if (entry == nullptr || entry->layer_times.empty()) return grad_readiness_from_macs(net, p);
  std::map<std::string, const LayerTime*, std::less<>> by_name;
  for (const auto& t : entry->layer_times) by_name[t.layer] = &t;
  double forward = 0;
  std::vector<double> backward;
  for (const auto& layer : net.layers()) {
    if (layer.kind == LayerKind::input) {  // the probes time no input layer
      backward.push_back(0);
      continue;
    }
    const auto it = by_name.find(layer.name);
    if (it == by_name.end()) {
      auto r = grad_readiness_from_macs(net, p);
      r.source = fmt::format("{}; profile {} times no layer '{}' of {}, so its layer_s lines were "
                             "not used", r.source, profile, layer.name, net.name());
      return r;
    }
    forward += it->second->forward.v;
    backward.push_back(it->second->backward.v);
  }
  GradReadiness r;
  r.tensors = readiness(net, p, forward, backward);
  r.source = fmt::format("per-layer times measured by profile {}{} (forward {:.4g} s, backward "
                         "{:.4g} s; shares of t_grad)", profile,
                         entry->layer_batch ? fmt::format(" at batch {}", *entry->layer_batch) : "",
                         forward, std::accumulate(backward.begin(), backward.end(), 0.0));
  return r;
}

GradReadiness grad_readiness_from_macs(const Network& net, Precision p) {
  // Layer l's backward work is its multiply-adds (2 of the 3 passes layer_work counts), the
  // forward pass half the backward's total: forward 1/3 of t_grad. A network without
  // multiply-adds splits the backward by parameters and has no forward share.
  const bool by_macs = net.forward_macs() > 0;
  std::vector<double> backward;
  double total = 0;
  for (const auto& layer : net.layers()) {
    backward.push_back(static_cast<double>(by_macs ? layer.macs : layer.params));
    total += backward.back();
  }
  GradReadiness r;
  r.tensors = readiness(net, p, by_macs ? total / 2 : 0.0, backward);
  r.source = by_macs ? "per-layer times from multiply-add shares (forward 1/3 of t_grad, layer "
                       "l's backward 2 macs_l / 3 macs; the profile holds no per-layer times)"
                     : "per-layer times from parameter shares (the network has no multiply-adds; "
                       "the profile holds no per-layer times)";
  return r;
}

}  // namespace dlscale
