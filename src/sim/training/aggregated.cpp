// Per-node aggregation before the sharded servers (TensorFlow's replicated variables, MXNet's
// device + dist kvstore, BytePS) and the hierarchical all-reduce: rings inside the nodes
// chained with an exchange between nodes. The twins of models::sharded_cluster_phase with
// Cluster::aggregate and of models::hierarchical_allreduce on a cluster. Each process keeps
// its state in a struct on the caller's stack frame; the engine runs to completion before
// that frame ends.
#include <vector>

#include "sim/training/group_ring.hpp"

namespace dlscale::sim::training {
namespace {

// The worker after w in its node's ring (full nodes of g).
std::vector<int> node_ring(int n, int g) {
  std::vector<int> next(static_cast<std::size_t>(n));
  for (int w = 0; w < n; ++w) next[static_cast<std::size_t>(w)] = w - w % g + (w % g + 1) % g;
  return next;
}

// The worker after w in the ring of the workers with w's index in every node (M nodes of g).
std::vector<int> cross_ring(int n, int g) {
  std::vector<int> next(static_cast<std::size_t>(n));
  for (int w = 0; w < n; ++w) next[static_cast<std::size_t>(w)] = (w + g) % n;
  return next;
}

Bytes share(Bytes b, int parts, int j) {
  const auto p = static_cast<std::uint64_t>(parts);
  return Bytes{b.v / p + (static_cast<std::uint64_t>(j) < b.v % p ? 1 : 0)};
}

// One iteration: worker j of a node of g fetches slice j (1/g) of every server's shard; the
// node's ring all-gathers the slices (g-1 steps of W/g), so every worker holds the whole set;
// each computes; the ring reduce-scatters the gradients (g-1 steps), leaving worker j with
// the node's sum of slice j, which it pushes to the servers. The iteration ends when every
// server holds every node's slices.
struct AggregatedSync {
  Run& r;
  int g;
  std::int64_t left;
  GroupRing gather, scatter;
  std::vector<int> fetched;
  int pushed = 0;
  Seconds started;

  AggregatedSync(Run& run, int per_node, std::int64_t iterations)
      : r(run), g(per_node), left(iterations),
        gather(run, per_node - 1, share(run.weights(), per_node, 0), node_ring(run.n, per_node),
               [this](int w) { r.compute(w, [this, w] { scatter.enter(w); }); }),
        scatter(run, per_node - 1, share(run.weights(), per_node, 0), node_ring(run.n, per_node),
                [this](int w) { push(w); }) {}

  void iteration() {
    started = r.engine.now();
    pushed = 0;
    gather.reset();
    scatter.reset();
    fetched.assign(static_cast<std::size_t>(r.n), 0);
    for (int w = 0; w < r.n; ++w)
      for (int k = 0; k < r.owners(); ++k)
        r.send(r.owner(k), w, share(r.shard(k), g, w % g), [this, w] {
          if (++fetched[static_cast<std::size_t>(w)] == r.owners()) gather.enter(w);
        });
  }
  void push(int w) {
    for (int k = 0; k < r.owners(); ++k)
      r.send(w, r.owner(k), share(r.shard(k), g, w % g), [this] {
        if (++pushed < r.n * r.owners()) return;
        r.record(r.engine.now() - started);
        ++r.iterations;
        if (--left > 0) iteration();
      });
  }
};

// Hierarchical all-reduce after computing: a reduce-scatter ring inside each node (g-1 steps
// of W/g), then g concurrent all-reduce rings across the M nodes, one per index j, on the
// slice W/g (2 (M-1) steps of W/(g M); they share each NIC), then an all-gather ring inside
// each node (g-1 steps of W/g).
struct HierarchicalSync {
  Run& r;
  std::int64_t left;
  GroupRing inside_first, across, inside_last;
  int finished = 0;
  Seconds started;

  HierarchicalSync(Run& run, int g, std::int64_t iterations)
      : r(run), left(iterations),
        inside_first(run, g - 1, share(run.weights(), g, 0), node_ring(run.n, g),
                     [this](int w) { across.enter(w); }),
        across(run, 2 * (run.n / g - 1), share(run.weights(), run.n, 0), cross_ring(run.n, g),
               [this](int w) { inside_last.enter(w); }),
        inside_last(run, g - 1, share(run.weights(), g, 0), node_ring(run.n, g),
                    [this](int) { worker_done(); }) {}

  void iteration() {
    started = r.engine.now();
    finished = 0;
    inside_first.reset();
    across.reset();
    inside_last.reset();
    for (int w = 0; w < r.n; ++w) r.compute(w, [this, w] { inside_first.enter(w); });
  }
  void worker_done() {
    if (++finished < r.n) return;
    r.record(r.engine.now() - started);
    ++r.iterations;
    if (--left > 0) iteration();
  }
};

}  // namespace

std::vector<RingPhase> hierarchical_phases(int workers, int g, Bytes bytes) {
  return {{g - 1, share(bytes, g, 0), node_ring(workers, g)},
          {2 * (workers / g - 1), share(bytes, workers, 0), cross_ring(workers, g)},
          {g - 1, share(bytes, g, 0), node_ring(workers, g)}};
}

void aggregated_sync(Run& r, int workers_per_node, std::int64_t iterations) {
  AggregatedSync p(r, workers_per_node, iterations);
  p.iteration();
  r.engine.run();
}

void hierarchical_sync(Run& r, int workers_per_node, std::int64_t iterations) {
  HierarchicalSync p(r, workers_per_node, iterations);
  p.iteration();
  r.engine.run();
}

}  // namespace dlscale::sim::training
