// Each measured row becomes a Scenario on a described cluster (the row's hosts, NIC rate and
// latency, as `dlscale predict --nic R --latency L --gpus-per-node G --bytes B` would build
// it) and is predicted by predict() and sim::simulate(). Nothing here computes a model.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/estimate.hpp"
#include "dlscale/models/bounds.hpp"
#include "dlscale/network.hpp"
#include "dlscale/percentile.hpp"
#include "dlscale/predict.hpp"
#include "dlscale/sim/training.hpp"
#include "dlscale/validate.hpp"

namespace dlscale {

namespace {

// The models take t_grad > 0; a bare collective (t_grad 0) is predicted with the smallest
// time they accept, 1 ns, far below any measured collective (tens of microseconds).
constexpr Seconds bare_collective_t_grad{1e-9};

// The link a row's hosts have: the profile's fitted tcp link when there is one, else the row's own.
LinkModel row_link(const MeasuredRun& m, const Profile* profile, std::vector<std::string>& notes) {
  if (profile) {
    if (const auto* link = profile->link()) {
      notes.push_back(fmt::format("link from profile {}: alpha {:.3g} s, beta {:.4g} B/s",
                                  profile->name, link->model.alpha.v, link->model.beta.v));
      return link->model;
    }
    throw ConfigError(fmt::format("{}: no [link tcp]; a profile with a fitted link expected "
                                  "(dlscale-calibrate between the hosts)", profile->source));
  }
  return {m.latency, m.link_rate};
}

Scenario row_scenario(const MeasuredRun& m, const LinkModel& link, const DataSource& data,
                      std::vector<std::string>& notes) {
  Scenario s;
  s.network = m.network.empty() ? fmt::format("{} B", m.bytes.v) : m.network;
  s.weight_bytes = m.bytes;
  if (!m.network.empty()) {
    const Network net = load_network(m.network, data);
    s.tensor_bytes = net.tensor_bytes(Precision::fp32);
    if (s.weight_bytes.v == 0) s.weight_bytes = net.weight_bytes(Precision::fp32);
  }
  s.t_grad = m.t_grad;
  if (m.t_grad.v == 0) {
    s.t_grad = bare_collective_t_grad;
    notes.push_back("bare collective: t_grad 1 ns (the models need t_grad > 0)");
  }
  s.batches = std::max<std::int64_t>(128, m.workers);  // t_iter does not depend on D
  ClusterSpec spec;
  spec.gpus_per_node = m.workers_per_host;
  spec.nic = link.beta;
  spec.latency = link.alpha;
  s.cluster = spec.resolve("measured row", false);
  s.t_comm = link.time(s.weight_bytes);
  if (m.bucket.v > 0 && !m.network.empty()) {
    // The framework's buckets, as `--overlap buckets:SIZE` builds them: DDP keeps its 1 MiB
    // first bucket (capped by SIZE) whatever bucket_cap_mb says.
    s.overlap = {OverlapPolicy::buckets, m.bucket.v, std::min<std::uint64_t>(ddp_first_bucket_bytes, m.bucket.v)};
    auto readiness = grad_readiness_from_macs(load_network(m.network, data), Precision::fp32);
    s.grad_tensors = std::move(readiness.tensors);
    s.grad_timing_source = std::move(readiness.source);
    notes.push_back(fmt::format("bucket {} B: overlapped as --overlap buckets:{}B/{}B (reverse "
                                "layer order; per-layer times from multiply-add shares)",
                                m.bucket.v, s.overlap.bucket_bytes, s.overlap.first_bucket_bytes));
  } else if (m.bucket.v > 0) {
    notes.push_back(fmt::format("bucket {} B without a network: no tensors to put in buckets, "
                                "predicted as one exchange after the whole backward pass", m.bucket.v));
  }
  return s;
}

// The same scenario with every transfer (1 + k) times as long: alpha and 1/beta scaled.
Scenario scaled_link(Scenario s, const LinkModel& link, double k) {
  ClusterSpec spec;
  spec.gpus_per_node = s.cluster->workers_per_node;
  spec.nic = BytesPerSec{link.beta.v / (1 + k)};
  spec.latency = Seconds{link.alpha.v * (1 + k)};
  s.cluster = spec.resolve("measured row", false);
  s.t_comm = Seconds{s.t_comm.v * (1 + k)};
  return s;
}

void widen(RowScore& r, Seconds t) {
  r.interval_lo = Seconds{std::min(r.interval_lo.v, t.v)};
  r.interval_hi = Seconds{std::max(r.interval_hi.v, t.v)};
}

// How much faster (lo < 0) and slower (hi > 0) than the link fit a transfer may be: the 10th and
// 90th percentiles of the profile's raw transfers against the fit at their size (the link's own
// spread), else +-its largest fit residual; each side on its own side of the fit, capped at 90 %.
struct LinkSpread {
  double lo = 0, hi = 0;
  std::string source;
};

LinkSpread link_spread(const Profile* profile) {
  const auto* link = profile ? profile->link() : nullptr;
  if (link == nullptr) return {};
  std::vector<double> ratios;
  for (const auto& t : link->samples)
    if (t.bytes.v > 0) ratios.push_back(t.seconds.v / link->model.time(t.bytes).v - 1);
  if (ratios.size() >= 2) {
    return {std::clamp(nearest_rank(ratios, 0.1), -0.9, 0.0),
            std::clamp(nearest_rank(ratios, 0.9), 0.0, 0.9),
            fmt::format("p10..p90 of {} raw transfers of profile {} against its fit",
                        ratios.size(), profile->name)};
  }
  if (!link->max_relative_residual) return {};
  const double k = std::min(*link->max_relative_residual, 0.9);
  return {-k, k, fmt::format("the largest fit residual of profile {}", profile->name)};
}

// The spread of t_grad the jitter runs use: the coefficient of variation of the profile's raw
// t_grad samples of the row's network (the calibration's own spread) when it has two or more
// at one batch size, else --jitter-cv.
double jitter_cv_for(const MeasuredRun& m, const Profile* profile, const ValidateOptions& o,
                     std::vector<std::string>& notes) {
  const ProfileEntry* e = profile && !m.network.empty() ? profile->find(m.network) : nullptr;
  if (e == nullptr || e->grad_samples.size() < 2) return o.jitter_cv;
  const auto batch = e->grad_samples.front().batch;
  std::vector<double> v;
  for (const auto& g : e->grad_samples)
    if (g.batch == batch) v.push_back(g.t_grad.v);
  if (v.size() < 2) return o.jitter_cv;
  double mean = 0, square = 0;
  for (const double x : v) mean += x / double(v.size());
  for (const double x : v) square += (x - mean) * (x - mean) / double(v.size() - 1);
  const double cv = std::min(std::sqrt(square) / mean, 10.0);  // simulate()'s limit
  notes.push_back(fmt::format("jitter cv {:.3g} from {} t_grad samples of profile {}", cv,
                              v.size(), profile->name));
  return cv;
}

// The simulated t_iter a row compares with. Asynchronous: t_train / ceil(D/N), the slowest
// worker's time per batch, which is what predict()'s async t_iter is; the simulator's
// t_iter_p50 pools every worker's batches, and workers need not keep one pace (one next to
// the largest shard of a sharded server is faster), so the pool's median can be far below it.
Seconds simulated_t_iter(const sim::SimResult& r, const Scenario& s, Mode mode, int workers) {
  if (mode != Mode::async) return r.t_iter_p50;
  return r.t_train / static_cast<double>(models::batches_per_worker(s.batches, workers));
}

void add_simulations(RowScore& r, const Scenario& s, const Profile* profile,
                     const ValidateOptions& o) {
  const auto& m = r.run;
  const auto t_iter = [&](const sim::SimResult& res) { return simulated_t_iter(res, s, m.mode, m.workers); };
  if (!sim::simulated(m.scheme, m.mode)) {
    r.notes.push_back(fmt::format("{} {}: not simulated (closed form only)", to_string(m.scheme),
                                  to_string(m.mode)));
    return;
  }
  sim::SimOptions base;
  base.iterations = o.sim_iterations;
  base.sharing = sim::Sharing::fair;
  const auto fair = sim::simulate(s, m.scheme, m.mode, m.workers, base);
  r.simulated = t_iter(fair);
  widen(r, *r.simulated);
  if (m.mode == Mode::async)
    r.notes.push_back("async: simulated t_iter = t_train / ceil(D/N) (the slowest worker's time "
                      "per batch, as predict's), not the median over every worker's batches");
  if (m.scheme == Scheme::central || m.scheme == Scheme::central_semaphore) {
    auto fifo = base;
    fifo.sharing = sim::Sharing::fifo;
    widen(r, t_iter(sim::simulate(s, m.scheme, m.mode, m.workers, fifo)));
  }
  if (m.t_grad.v == 0 || o.jitter_runs == 0) return;  // jitter varies t_grad only
  const double cv = jitter_cv_for(m, profile, o, r.notes);
  if (cv <= 0) return;
  for (int k = 1; k <= o.jitter_runs; ++k) {
    auto j = base;
    j.jitter = sim::Jitter::lognormal;
    j.cv = cv;
    j.seed = std::uint64_t(k);
    widen(r, t_iter(sim::simulate(s, m.scheme, m.mode, m.workers, j)));
  }
}

RowScore score_one(const MeasuredRun& m, const Profile* profile, const ValidateOptions& o,
                   const DataSource& data) {
  RowScore r;
  r.run = m;
  const LinkModel link = row_link(m, profile, r.notes);
  const Scenario s = row_scenario(m, link, data, r.notes);
  r.run.bytes = s.weight_bytes;  // the network's fp32 size when the row left bytes empty
  const Prediction p = predict(s, m.scheme, m.mode, m.workers);
  r.closed_form = p.t_iter.estimate;
  r.closed_best = p.t_iter.best;
  r.closed_worst = p.t_iter.worst;
  r.interval_lo = p.t_iter.best;
  r.interval_hi = p.t_iter.worst;
  if (const auto spread = link_spread(profile); spread.hi > spread.lo) {
    widen(r, predict(scaled_link(s, link, spread.lo), m.scheme, m.mode, m.workers).t_iter.best);
    widen(r, predict(scaled_link(s, link, spread.hi), m.scheme, m.mode, m.workers).t_iter.worst);
    r.notes.push_back(fmt::format("link spread {:+.1f} %..{:+.1f} %: {}", 100 * spread.lo,
                                  100 * spread.hi, spread.source));
  }
  add_simulations(r, s, profile, o);
  r.inside = m.t_iter_p50.v >= r.interval_lo.v && m.t_iter_p50.v <= r.interval_hi.v;
  return r;
}

ErrorSummary summary_of(std::string name, const std::vector<RowScore>& rows, bool simulator) {
  ErrorSummary e;
  e.predictor = std::move(name);
  std::vector<double> abs;
  double sum = 0;
  for (const auto& r : rows) {
    if (simulator && !r.simulated) continue;
    const double pct = percent_error(simulator ? *r.simulated : r.closed_form, r.run.t_iter_p50);
    abs.push_back(std::fabs(pct));
    sum += pct;
    e.inside += r.inside ? 1 : 0;
  }
  e.rows = int(abs.size());
  if (abs.empty()) return e;
  e.median_abs_pct = nearest_rank(abs, 0.5);
  e.p90_abs_pct = nearest_rank(abs, 0.9);
  e.max_abs_pct = *std::max_element(abs.begin(), abs.end());
  e.bias_pct = sum / double(abs.size());
  return e;
}

}  // namespace

std::vector<RowScore> score_runs(const std::vector<MeasuredRun>& runs, const ValidateOptions& o,
                                 const DataSource& data) {
  if (!(o.jitter_cv >= 0 && o.jitter_cv <= 10) || o.jitter_runs < 0 || o.sim_iterations < 1)
    throw ConfigError("validate: jitter cv in [0, 10], runs >= 0 and iterations >= 1 expected");
  std::vector<RowScore> rows;
  std::map<std::string, Profile> row_profiles;  // each file loaded once
  for (const auto& m : runs) {
    try {
      const Profile* profile = o.profile ? &*o.profile : nullptr;
      if (!m.profile.empty()) {
        auto it = row_profiles.find(m.profile);
        if (it == row_profiles.end())
          it = row_profiles.emplace(m.profile, load_profile_file(m.profile)).first;
        profile = &it->second;
      }
      rows.push_back(score_one(m, profile, o, data));
    } catch (const ConfigError& e) {
      throw ConfigError(fmt::format("measured row at line {}: {}", m.line, e.what()));
    }
  }
  return rows;
}

std::string interval_source(const ValidateOptions& o, bool any_row_profile) {
  std::string s = "the closed form's best..worst bounds, the simulator without jitter (fair, "
                  "and FIFO for the central server)";
  if (o.jitter_runs > 0)
    s += fmt::format(", {} simulator runs with lognormal t_grad jitter (rows with t_grad > 0; cv {}{})",
                     o.jitter_runs, o.jitter_cv,
                     o.profile || any_row_profile ? ", or the spread of the profile's t_grad samples of the row's network"
                               : "");
  if (o.profile || any_row_profile)
    s += ", and with a profile (the row's own, else --profile) the closed form with every "
         "transfer as much faster and slower as the profile's raw transfers are around its fit "
         "(p10..p90; else its largest fit residual)";
  return s;
}

bool any_row_profile(const std::vector<MeasuredRun>& runs) {
  return std::any_of(runs.begin(), runs.end(), [](const auto& m) { return !m.profile.empty(); });
}

double percent_error(Seconds predicted, Seconds measured) {
  return 100.0 * (predicted.v - measured.v) / measured.v;
}

std::vector<ErrorSummary> summarize(const std::vector<RowScore>& rows) {
  return {summary_of("closed form", rows, false), summary_of("simulator", rows, true)};
}

}  // namespace dlscale
