// The run's cluster (a star of full-duplex NICs), compute-time variation and the summary.
#include "sim/training/run.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::sim::training {
namespace {

std::vector<LinkSpec> star(int hosts, BytesPerSec capacity, Seconds latency) {
  std::vector<LinkSpec> links;
  links.reserve(2 * static_cast<std::size_t>(hosts));
  for (int h = 0; h < hosts; ++h) {
    links.push_back({fmt::format("host{}.up", h), capacity, latency});
    links.push_back({fmt::format("host{}.down", h), capacity, latency});
  }
  return links;
}

Bytes weight_set(const Scenario& s) { return s.weight_bytes.v > 0 ? s.weight_bytes : Bytes{1'000'000'000}; }

// Stragglers are a seeded random subset, so which workers are slow does not depend on order.
std::vector<double> worker_factors(int n, const SimOptions& o, std::mt19937_64& rng) {
  std::vector<double> f = o.worker_speed.empty() ? std::vector<double>(n, 1.0) : o.worker_speed;
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  const auto slow = static_cast<int>(std::lround(o.straggler_fraction * n));
  for (int i = 0; i < slow; ++i) f[order[i]] *= o.straggler_factor;
  return f;
}


// Workers take the topology's hosts in file order, skipping the host a `server` line reserves
// (for every scheme: the line says which host is the server's, not a worker's); the central
// server takes that host, or the first one after the workers. simulate()'s check guarantees
// that these hosts exist, so nothing here indexes past the host list.
std::vector<int> place_hosts(const Topology* t, int workers, bool server) {
  std::vector<int> hosts;
  const int reserved = t != nullptr && t->server_host() ? *t->server_host() : -1;
  for (int h = 0; static_cast<int>(hosts.size()) < workers; ++h)
    if (h != reserved) hosts.push_back(h);
  if (server) hosts.push_back(reserved >= 0 ? reserved : (hosts.empty() ? 0 : hosts.back() + 1));
  return hosts;
}

// A described cluster with NICs, unless a topology file says otherwise.
// The central server always has a host of its own there (the thesis's setup).
std::optional<ClusterFabric> cluster_fabric(const Scenario& s, const SimOptions& o, int workers,
                                            int servers, bool central) {
  if (o.topology || !s.cluster || !s.cluster->nic) return std::nullopt;
  const auto& c = *s.cluster;
  return ClusterFabric(c, workers, servers, central || c.servers.dedicated_nic.has_value(),
                       c.servers.dedicated_nic.value_or(c.nic->beta));
}

std::vector<LinkSpec> fabric(const Scenario& s, const SimOptions& o, int workers,
                             const std::optional<ClusterFabric>& cluster) {
  const BytesPerSec host_rate = weight_set(s) / s.t_comm;
  if (o.topology) return o.topology->links(host_rate);
  if (cluster) return cluster->links();
  return star(workers + 1, host_rate, s.link ? s.link->alpha : Seconds{0});
}

}  // namespace

void DurationStats::add(double t) {
  ++count_;
  sum_ += t;
  if (kept_.size() < capacity) return kept_.push_back(t);
  // Algorithm R: the i-th value replaces a kept one with probability capacity / i.
  const auto j = std::uniform_int_distribution<std::int64_t>(0, count_ - 1)(rng_);
  if (j < static_cast<std::int64_t>(capacity)) kept_[static_cast<std::size_t>(j)] = t;
}

double DurationStats::percentile(double q) const {
  if (kept_.empty()) return 0;
  std::vector<double> v = kept_;
  const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

Run::Run(const Scenario& s, Mode mode, int workers, const SimOptions& o, Sharing sharing,
         int servers, bool central)
    : cluster(cluster_fabric(s, o, workers, servers, central)),
      hosts(place_hosts(o.topology.get(), workers, central)),
      net(engine, fabric(s, o, workers, cluster), sharing),
      n(workers),
      weights_(weight_set(s)), options_(o), rng_(o.seed) {
  // The thesis's sharded server has no server participants: worker j serves shard j.
  servers_ = central ? 0 : servers;
  t_grad_step = s.t_grad;
  if (mode == Mode::sync_split && workers > 1) {
    // As the closed form: the measured t_grad(b/N) when the profile has it, else t_grad / N.
    t_grad_step = s.t_grad / workers;
    if (s.batch_size && *s.batch_size % workers == 0)
      if (const auto it = s.t_grad_by_batch.find(*s.batch_size / workers);
          it != s.t_grad_by_batch.end())
        t_grad_step = it->second;
  }
  factor_ = worker_factors(workers, o, rng_);
}

void Run::send(int from, int to, Bytes size, Action on_done) {
  std::span<const LinkId> route;
  const std::array<LinkId, 2> star_route{static_cast<LinkId>(2 * from),
                                         static_cast<LinkId>(2 * to + 1)};
  if (options_.topology) {
    route_.clear();
    options_.topology->route(hosts[static_cast<std::size_t>(from)],
                             hosts[static_cast<std::size_t>(to)], route_);
    route = route_;
  } else if (cluster) {
    route_.clear();
    cluster->route(from, to, route_);
    route = route_;
    // Unlimited intra-node transfers use no link: they only take the intra-node latency.
    if (route.empty()) {
      if (options_.trace)
        trace.push_back({"transfer", from, to, engine.now(), cluster->intra_latency(), size});
      return engine.schedule_after(cluster->intra_latency(), std::move(on_done));
    }
  } else {
    route = star_route;
  }
  if (!options_.trace) return net.start(route, size, std::move(on_done));
  // Tracing wraps the action (one heap box per flow); untraced runs stay allocation-free.
  net.start(route, size, [this, from, to, size, start = engine.now(), done = std::move(on_done)]() mutable {
    trace.push_back({"transfer", from, to, start, engine.now() - start, size});
    done();
  });
}

void Run::compute(int w, Action then) { engine.schedule_after(draw_compute(w), std::move(then)); }

Seconds Run::draw_compute(int w) {
  const Seconds dt = compute_time(w);
  if (options_.trace) trace.push_back({"compute", w, -1, engine.now(), dt, Bytes{0}});
  return dt;
}

Seconds Run::compute_time(int w) {
  double jitter = 1;
  if (options_.jitter == Jitter::normal && options_.cv > 0) {
    // Truncated at 1 % of the mean: a compute time cannot be negative.
    jitter = std::max(0.01, std::normal_distribution<double>(1.0, options_.cv)(rng_));
  } else if (options_.jitter == Jitter::lognormal && options_.cv > 0) {
    const double sigma2 = std::log1p(options_.cv * options_.cv);  // mean 1, the given cv
    jitter = std::lognormal_distribution<double>(-sigma2 / 2, std::sqrt(sigma2))(rng_);
  }
  return t_grad_step * (factor_[static_cast<std::size_t>(w)] * jitter);
}

SimResult Run::finish(const Scenario& s) {
  SimResult r;
  r.t_train = engine.now();
  r.speedup = static_cast<double>(s.batches) * s.t_grad / r.t_train;
  r.iterations = iterations;
  r.simulated_iterations = iterations;
  r.t_iter_mean = Seconds{durations.mean()};
  r.t_iter_p50 = Seconds{durations.percentile(0.50)};
  r.t_iter_p99 = Seconds{durations.percentile(0.99)};
  for (LinkId id = 0; id < net.link_count(); ++id) {
    const LinkUsage u = net.usage(id);
    const double capacity_bytes = net.link(id).capacity.v * r.t_train.v;
    r.links.push_back({net.link(id).name,
                       capacity_bytes > 0 ? static_cast<double>(u.carried.v) / capacity_bytes : 0.0,
                       r.t_train.v > 0 ? u.busy / r.t_train : 0.0});
  }
  r.staleness = std::move(staleness);
  r.events = engine.events_processed();
  r.trace = std::move(trace);
  r.notes = std::move(notes);
  return r;
}

}  // namespace dlscale::sim::training
