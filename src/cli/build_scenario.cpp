#include "cli/build_scenario.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/estimate.hpp"
#include "dlscale/models/placement.hpp"
#include "dlscale/network.hpp"

namespace dlscale::cli {

namespace {

std::string profile_names(const Profile& p) {
  std::vector<std::string> names;
  for (const auto& e : p.entries) names.push_back(e.network);
  return fmt::format("{}", fmt::join(names, ", "));
}

[[noreturn]] void missing(std::string_view what, std::string_view network, const Profile& p) {
  throw ConfigError(fmt::format("{}: network '{}' has no {} (profile networks: {}); give --{}",
                                p.source, network, what, profile_names(p),
                                what == "t_grad_s" ? "t-grad" : "t-comm"));
}

// t_comm: --t-comm, else the entry's measurement (scaled by size when the precision halves
// the bytes), else the profile's tcp link applied to the weight bytes.
Seconds pick_t_comm(const ScenarioOptions& o, const ProfileEntry* e, const Profile& p,
                    const Network& net, BuiltScenario& b) {
  if (o.t_comm) return b.notes.push_back("t_comm from --t-comm"), *o.t_comm;
  const Bytes bytes = net.weight_bytes(o.comm_precision);
  if (const auto& c = b.scenario.cluster; c && c->nic) {
    b.notes.push_back(fmt::format("t_comm from the NIC: latency {} s + {} B / {} B/s",
                                  c->nic->alpha.v, bytes.v, c->nic->beta.v));
    return c->nic->time(bytes);
  }
  if (e != nullptr && e->t_comm) {
    if (o.comm_precision == Precision::fp32) {
      b.notes.push_back(fmt::format("t_comm {} s from {} ({})", e->t_comm->v, p.name,
                                    to_string(e->t_comm_origin)));
      return *e->t_comm;
    }
    const double ratio = double(bytes.v) / double(net.weight_bytes(Precision::fp32).v);
    b.notes.push_back(fmt::format("t_comm {} s (fp32, from {}) scaled by {} for {}", e->t_comm->v,
                                  p.name, ratio, to_string(o.comm_precision)));
    return ratio * *e->t_comm;
  }
  if (const auto* link = p.link()) {
    b.notes.push_back(fmt::format("t_comm from link {}: alpha {} s + {} B / beta {} B/s",
                                  link->name, link->model.alpha.v, bytes.v, link->model.beta.v));
    return link->model.time(bytes);
  }
  missing("t_comm_s", net.name(), p);
}

// A network the profile never ran: t_grad from the profile's per-class rates and the
// network's own work, at --batch-size or the batch the rates were measured at.
void estimate_from_rates(Scenario& s, const Network& net, const ScenarioOptions& o,
                         const Profile& p, BuiltScenario& b) {
  const ProfileRates& r = *p.rates;
  const std::int64_t batch = o.batch_size.value_or(r.batch);
  const GradEstimate e = estimate_t_grad(net, batch, r.classes);
  if (!e.unmeasured.empty()) {
    std::vector<std::string_view> kinds;
    for (const LayerKind k : e.unmeasured) kinds.push_back(to_string(k));
    throw ConfigError(fmt::format("{}: network '{}' is not in the profile and its {} layers have no "
                                  "rate in [rates]; give --t-grad, or calibrate a network with "
                                  "them", p.source, net.name(), fmt::join(kinds, ", ")));
  }
  s.t_grad = e.t_grad;
  s.batch_size = batch;
  s.input_notes.push_back(fmt::format("t_grad {:.6g} s estimated from the per-class rates of "
                                      "profile {} at batch {} (not measured)", e.t_grad.v, p.name,
                                      batch));
  b.notes.push_back(s.input_notes.back());
}

// Pieces of at most --split-tensors bytes; bounded so that a 1-byte bound on a 500 MB network
// cannot ask for 500 million pieces.
std::vector<std::uint64_t> split_pieces(const std::vector<std::uint64_t>& tensors,
                                        std::uint64_t max_piece, BuiltScenario& b) {
  if (max_piece == 0) return tensors;
  constexpr std::uint64_t max_pieces = 1'000'000;
  std::uint64_t pieces = 0;
  for (const auto t : tensors) pieces += (t + max_piece - 1) / max_piece;
  if (pieces > max_pieces)
    throw ConfigError(fmt::format("--split-tensors {} B: {} pieces; at most {} expected (a larger "
                                  "SIZE)", max_piece, pieces, max_pieces));
  b.notes.push_back(fmt::format("tensors cut into {} pieces of at most {} B (--split-tensors)",
                                pieces, max_piece));
  return models::split_tensors(tensors, max_piece);
}

// The profile's [cluster] with the command line's options over it, field by field. A --t-comm
// on the command line wins over the profile's NIC (explicit numbers win), said in a note.
std::optional<Cluster> cluster_of(const ScenarioOptions& o, const Profile& p, BuiltScenario& b) {
  ClusterSpec spec = p.cluster.overlay(o.cluster);
  if (o.t_comm && spec.nic && !o.cluster.nic) {
    b.notes.push_back(fmt::format("--t-comm: the NIC of {}'s [cluster] is not used", p.name));
    spec.nic.reset();
    spec.latency.reset();
  }
  if (!o.cluster.empty() && !p.cluster.empty())
    b.notes.push_back(fmt::format("cluster: {}'s [cluster] with the command line's options over it",
                                  p.name));
  return spec.resolve(p.cluster.empty() ? std::string_view("command line") : p.source,
                      p.cluster.empty());
}

// The all-reduce schemes' links from the profile's all-reduce fits (AllreduceLinks): derived
// here, once, so that ring, tree and hierarchical keep their own formulas. Explicit numbers win:
// --t-comm drops every fitted link, --nic and --intra keep theirs.
AllreduceLinks allreduce_links(const ScenarioOptions& o, const Profile& p, const Scenario& s) {
  AllreduceLinks a;
  const auto describe = [&](const ProfileCollective& c) {
    return fmt::format("{}'s all-reduce {} fit at N = {}, G = {} (alpha {:.6g} s, busbw {:.6g} "
                       "B/s; line {})", p.name, to_string(c.fit.scope), c.fit.workers,
                       c.fit.gpus_per_node, c.fit.alpha.v, c.fit.bus_bandwidth.v, c.line);
  };
  const auto* inter = p.collective(Collective::all_reduce, CollectiveScope::inter_node);
  const auto* intra = p.collective(Collective::all_reduce, CollectiveScope::intra_node);
  if (o.t_comm) {
    if (inter != nullptr || intra != nullptr)
      a.notes.push_back(fmt::format("--t-comm: {}'s collective fits are not used", p.name));
    return a;
  }
  if (inter != nullptr && o.cluster.nic) {
    a.notes.push_back(fmt::format("--nic: {} is not used", describe(*inter)));
  } else if (inter != nullptr) {
    a.inter = allreduce_link(inter->fit);
    a.inter_source = describe(*inter);
  }
  if (intra != nullptr && o.cluster.intra) {
    a.notes.push_back(fmt::format("--intra: {} is not used", describe(*intra)));
  } else if (intra != nullptr && !s.cluster) {
    a.notes.push_back(fmt::format("{} is not used: no nodes described (--gpus-per-node, or "
                                  "gpus_per_node in [cluster])", describe(*intra)));
  } else if (intra != nullptr) {
    a.intra = allreduce_link(intra->fit);
    a.intra_source = describe(*intra);
  }
  return a;
}

// D from --dataset: ceil(samples x epochs / b), b the batch the scenario's t_grad is for.
void apply_dataset(Scenario& s, const ScenarioOptions& o, std::vector<std::string>& notes) {
  if (!o.dataset) return;
  if (!s.batch_size)
    throw ConfigError(fmt::format("scenario '{}': --dataset needs the batch size b of t_grad; "
                                  "--batch-size B expected", s.network));
  const std::int64_t samples = *o.dataset * o.epochs;
  s.batches = (samples + *s.batch_size - 1) / *s.batch_size;
  notes.push_back(fmt::format("D = ceil({} samples x {} epochs / b = {}) = {} batches", *o.dataset,
                              o.epochs, *s.batch_size, s.batches));
  s.input_notes.push_back(notes.back());
}

}  // namespace

bool times_describe_scenario(const ScenarioOptions& o) {
  return o.networks.empty() && o.t_grad && (o.t_comm || (o.cluster.nic && o.weight_bytes));
}

Scenario scenario_from_times(const ScenarioOptions& opts, std::string label) {
  Scenario s;
  s.network = std::move(label);
  s.t_grad = *opts.t_grad;
  s.batches = opts.batches;
  s.cluster = opts.cluster.resolve("command line", true);
  if (opts.overlap.policy != OverlapPolicy::none)
    throw ConfigError(fmt::format("--overlap {}: needs the network's gradient tensors; --network "
                                  "NAME expected (with --t-grad and --t-comm alone: --overlap "
                                  "none, estimate.py's model)", to_string(opts.overlap.policy)));
  if (opts.weight_bytes) s.weight_bytes = *opts.weight_bytes;
  s.t_comm = opts.t_comm ? *opts.t_comm : s.cluster->nic->time(s.weight_bytes);
  s.batch_size = opts.batch_size;
  std::vector<std::string> notes;
  apply_dataset(s, opts, notes);
  return s;
}

std::string times_label(const ScenarioOptions& o) {
  if (o.t_comm) return fmt::format("t_grad={:g}s/t_comm={:g}s", o.t_grad->v, o.t_comm->v);
  return fmt::format("t_grad={:g}s/bytes={}", o.t_grad->v, o.weight_bytes->v);
}

std::vector<std::string> networks_to_run(const ScenarioOptions& opts, const Profile& profile) {
  if (!opts.networks.empty()) {
    // The same network twice would print, plot and search every row twice under one name.
    for (auto it = opts.networks.begin(); it != opts.networks.end(); ++it)
      if (std::find(opts.networks.begin(), it, *it) != it)
        throw ConfigError(fmt::format("--network '{}': given twice; each network once expected", *it));
    return opts.networks;
  }
  std::vector<std::string> names;
  for (const auto& e : profile.entries) names.push_back(e.network);
  return names;
}

// A network named by a profile section, or given `param` overrides there: a failure names the
// profile's section first, since the network file is not where the mistake is.
Network load_from_profile(std::string_view network, const DataSource& data,
                          const NetworkParams& params, const ProfileEntry* entry,
                          const Profile& profile) {
  try {
    return load_network(network, data, params);
  } catch (const ConfigError& e) {
    if (entry == nullptr || entry->line == 0) throw;
    throw ConfigError(fmt::format("{}:{}: [network {}]: {}", profile.source, entry->line,
                                  entry->network, e.what()));
  }
}

BuiltScenario build_scenario(std::string_view network, const ScenarioOptions& opts,
                             const Profile& profile, const DataSource& data) {
  const ProfileEntry* entry = profile.find(network);
  NetworkParams params;
  if (entry != nullptr) params.values = entry->params;
  for (const auto& [k, v] : opts.params.values) params.values[k] = v;
  const Network net = load_from_profile(network, data, params, entry, profile);
  if (entry == nullptr) entry = profile.find(net.name());  // loaded from a file path

  BuiltScenario b;
  Scenario& s = b.scenario;
  s.network = net.name();
  s.batches = opts.batches;
  s.cluster = cluster_of(opts, profile, b);
  s.weight_bytes = net.weight_bytes(opts.comm_precision);
  s.tensor_bytes = split_pieces(net.tensor_bytes(opts.comm_precision), opts.split_bytes, b);
  s.overlap = opts.overlap;
  auto readiness = grad_readiness(net, opts.comm_precision, entry, profile.name);
  s.grad_tensors = std::move(readiness.tensors);
  s.grad_timing_source = std::move(readiness.source);
  if (opts.precision != Precision::fp32)
    b.notes.push_back(fmt::format("compute precision {}: gradients are exchanged in {} "
                                  "(--comm-precision)", to_string(opts.precision),
                                  to_string(opts.comm_precision)));
  // A --t-comm on the command line wins for every scheme: the profile's link fit would
  // otherwise still drive ring, tree and hierarchical while the servers used --t-comm.
  if (const auto* link = profile.link(); link != nullptr && !opts.t_comm) s.link = link->model;
  if (opts.t_grad) {
    s.t_grad = *opts.t_grad;
    s.batch_size = opts.batch_size;
    b.notes.push_back("t_grad from --t-grad");
  } else if (entry != nullptr) {
    const auto& g = entry->grad_at(opts.batch_size);
    s.t_grad = g.t_grad;
    s.batch_size = g.batch;
    for (const auto& sample : entry->t_grad)
      if (sample.batch) s.t_grad_by_batch[*sample.batch] = sample.t_grad;
    b.notes.push_back(fmt::format("t_grad {} s from {} ({})", g.t_grad.v, profile.name,
                                  to_string(g.origin)));
  } else if (profile.rates) {
    estimate_from_rates(s, net, opts, profile, b);
  } else {
    missing("t_grad_s", net.name(), profile);
  }
  s.t_comm = pick_t_comm(opts, entry, profile, net, b);
  s.allreduce = allreduce_links(opts, profile, s);
  apply_dataset(s, opts, b.notes);
  return b;
}

}  // namespace dlscale::cli
