// t_grad of one network on the CPU, at the main batch size and the sweep's, with every timed
// pass kept as a raw sample.
#include <map>
#include <ostream>
#include <set>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "calibrate/cpu/runner.hpp"
#include "calibrate/profile/calibrate_run.hpp"
#include "dlscale/error.hpp"

namespace dlscale::calib {

GradEntry measure_grad_entry(const Network& net, const CalibrateArgs& a, int threads,
                             std::ostream& log) {
  GradEntry out;
  out.entry.network = net.name();
  std::vector<int> batches{a.batch};
  for (int b : a.batches)
    if (b != a.batch) batches.push_back(b);
  for (int b : batches) {
    fmt::print(log, "dlscale-calibrate: {} t_grad at batch {} ({} warm-up, {} timed)...\n",
               net.name(), b, a.warmup, a.repeat);
    log.flush();
    const GradMeasurement m = measure_grad(net, {b, a.warmup, a.repeat, a.backend});
    record_batch(out, b, a.batch, m,
                 fmt::format("CPU {}, threads {}, median of {} after {} warm-up (range "
                             "{:.4g}-{:.4g} s)", describe(a.backend), threads, a.repeat, a.warmup,
                             m.t_grad.min.v, m.t_grad.max.v));
  }
  return out;
}

void record_batch(GradEntry& out, int batch, int main_batch, const GradMeasurement& m,
                  std::string source) {
  ProfileEntry& e = out.entry;
  e.t_grad.push_back({batch, m.t_grad.median, Origin::measured, std::move(source)});
  for (const Seconds s : m.t_grad_samples) e.grad_samples.push_back({batch, s, Origin::measured, {}});
  if (batch != main_batch) return;
  out.classes = m.classes;
  // The per-layer medians at the main batch: when each gradient is ready (--overlap).
  for (const auto& l : m.layers) e.layer_times.push_back({l.name, l.forward, l.backward});
  e.layer_batch = batch;
}

void check_estimable(const std::vector<Network>& measured, const std::vector<Network>& estimated) {
  std::set<LayerKind> have;
  std::string names;
  for (const auto& net : measured) {
    for (const auto& l : net.layers()) have.insert(l.kind);
    names += (names.empty() ? "" : ", ") + net.name();
  }
  for (const auto& net : estimated)
    for (const auto& l : net.layers())
      if (!have.contains(l.kind))
        throw ConfigError(fmt::format("--estimate: {} has {} layers (e.g. '{}'), which none of the "
                                      "measured networks ({}) has; measure a network with them "
                                      "too", net.name(), to_string(l.kind), l.name, names));
}

ProfileRates pooled_rates(const std::vector<GradEntry>& measured, const CalibrateArgs& a, int threads) {
  // Each class over every measured network: total work / total time.
  std::map<LayerKind, std::pair<double, double>> pooled;  // work, seconds
  std::string names;
  for (const auto& m : measured) {
    names += (names.empty() ? "" : ", ") + m.entry.network;
    for (const auto& c : m.classes) {
      pooled[c.kind].first += c.work;
      pooled[c.kind].second += c.time.v;
    }
  }
  ProfileRates r;
  r.batch = a.batch;
  r.origin = Origin::measured;
  r.source = fmt::format("CPU {}, threads {}, pooled over {}", describe(a.backend), threads, names);
  for (const auto& [kind, ws] : pooled)
    if (ws.second > 0) r.classes.push_back({kind, ws.first / ws.second});
  return r;
}

ProfileEntry estimated_entry(const Network& net, const ProfileRates& rates, const ProfileLink* link) {
  ProfileEntry e;
  e.network = net.name();
  const GradEstimate est = dlscale::estimate_t_grad(net, rates.batch, rates.classes);
  GradSample g;
  g.batch = rates.batch;
  g.t_grad = est.t_grad;
  g.origin = Origin::fitted;
  g.source = fmt::format("estimated from the per-class rates ({})", rates.source);
  e.t_grad.push_back(g);
  if (link != nullptr) {
    e.t_comm = link->model.time(net.weight_bytes(Precision::fp32));
    e.t_comm_origin = Origin::fitted;
    e.t_comm_source = "alpha + bytes / beta of link tcp";
  }
  return e;
}

}  // namespace dlscale::calib
