// When each gradient tensor is ready during backpropagation, from the layers' multiply-adds
// (MODELS.md "Overlap": measured per-layer times would replace these shares once profiles
// carry them).
#include "dlscale/estimate.hpp"

#include <cstddef>

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

}  // namespace

GradReadiness grad_readiness_from_macs(const Network& net, Precision p) {
  const auto& layers = net.layers();
  // Backward work of layer l and of every layer after it (suffix sums).
  const bool by_macs = net.forward_macs() > 0;
  std::vector<double> work(layers.size() + 1, 0.0);
  for (std::size_t l = layers.size(); l-- > 0;)
    work[l] = work[l + 1] + static_cast<double>(by_macs ? layers[l].macs : layers[l].params);
  const double total = work[0];
  const double forward_share = by_macs ? 1.0 / 3.0 : 0.0;

  GradReadiness r;
  r.source = by_macs ? "per-layer times from multiply-add shares (forward 1/3 of t_grad, layer "
                       "l's backward 2 macs_l / 3 macs; the profile holds no per-layer times)"
                     : "per-layer times from parameter shares (the network has no multiply-adds; "
                       "the profile holds no per-layer times)";
  const auto bytes = net.tensor_bytes(p);
  const auto layer_of = layer_of_tensors(net);
  r.tensors.reserve(bytes.size());
  for (std::size_t t = 0; t < bytes.size(); ++t) {
    // Ready once backward has run from the last layer down to and including its layer.
    const double done = total > 0 ? work[layer_of[t]] / total : 1.0;
    r.tensors.push_back({bytes[t], forward_share + (1.0 - forward_share) * done});
  }
  return r;
}

}  // namespace dlscale
