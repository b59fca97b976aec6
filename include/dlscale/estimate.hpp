#pragma once
/// t_grad of a network that was never run on a device, from the device's achieved throughput
/// per layer class (measured by calibration on other networks) and the network's own work.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dlscale/network.hpp"
#include "dlscale/scenario.hpp"
#include "dlscale/units.hpp"

namespace dlscale {

struct ProfileEntry;

/// conv and fc count multiply-adds; every other class counts output elements.
bool counts_macs(LayerKind k);

/// Work of one layer in one training iteration at `batch`, in its class's unit: conv and fc
/// 3 x macs x batch (forward, data gradient, weight gradient); others output elements x batch.
double layer_work(const Layer& l, std::int64_t batch);

/// Achieved throughput of one layer class: work units (see layer_work) per second.
struct LayerClassRate {
  LayerKind kind = LayerKind::input;
  double per_second = 0;
};

struct GradEstimate {
  Seconds t_grad;                     ///< sum over layers of work / rate
  std::vector<LayerKind> unmeasured;  ///< classes with no rate (counted as 0 s), in model order
};
/// t_grad of `net` at `batch` from `rates`; input layers cost nothing.
GradEstimate estimate_t_grad(const Network& net, std::int64_t batch,
                             std::span<const LayerClassRate> rates);

/// Per-layer timing of one training step for the overlap (MODELS.md "Overlap"), in shares of
/// t_grad: each gradient tensor of `net` (model order, bytes at `p`) with the share of t_grad
/// after which it is ready. The profile format holds no per-layer times yet, so the shares
/// follow each layer's multiply-adds, counted as layer_work does: the forward pass is 1/3 of
/// the step (one of forward, data gradient, weight gradient), layer l's backward 2 macs_l / 3M;
/// a tensor is ready once the backward has run from the last layer down to its own. A network
/// without multiply-adds splits the backward by parameters instead. `source` says which.
struct GradReadiness {
  std::vector<GradTensor> tensors;
  std::string source;
};
GradReadiness grad_readiness_from_macs(const Network& net, Precision p);
/// The same from the per-layer medians of `entry` (a profile's `layer_s` lines) when they time
/// every layer of `net` but the input: forward = their forward times' sum, layer l's backward
/// its own backward time, shares of their total. Otherwise the multiply-add shares, with the
/// reason in `source` when the profile had layer times that did not fit.
GradReadiness grad_readiness(const Network& net, Precision p, const ProfileEntry* entry,
                             std::string_view profile);

}  // namespace dlscale
