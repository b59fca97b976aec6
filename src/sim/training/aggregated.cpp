// Per-node aggregation before the sharded servers (TensorFlow's replicated variables, MXNet's
// device + dist kvstore, BytePS): the simulator's twin of models::sharded_cluster_phase with
// Cluster::aggregate. The process keeps its state in a struct on the caller's stack frame;
// the engine runs to completion before that frame ends.
#include <array>
#include <vector>

#include "sim/training/run.hpp"

namespace dlscale::sim::training {
namespace {

// One iteration: worker j of a node of g fetches slice j (1/g) of every server's shard; the
// node's ring all-gathers the slices (g-1 steps of W/g), so every worker holds the whole set;
// each computes; the ring reduce-scatters the gradients (g-1 steps), leaving worker j with
// the node's sum of slice j, which it pushes to the servers. The iteration ends when every
// server holds every node's slices. Requires full nodes (checked by simulate).
struct AggregatedSync {
  enum Phase { gather = 0, scatter = 1 };
  struct Worker {
    int fetched = 0;
    std::array<int, 2> sent{}, received{};
    std::array<bool, 2> ready{}, busy{};
  };
  Run& r;
  int g;  ///< workers per node
  std::int64_t left;
  std::vector<Worker> workers;
  int pushed = 0;
  Seconds started;

  Worker& at(int w) { return workers[static_cast<std::size_t>(w)]; }
  int next(int w) const { return w - w % g + (w % g + 1) % g; }
  Bytes slice(int k, int w) const {  // slice w % g of shard k, whole bytes adding up to it
    const auto b = r.shard(k).v, parts = static_cast<std::uint64_t>(g);
    const auto j = static_cast<std::uint64_t>(w % g);
    return Bytes{b / parts + (j < b % parts ? 1 : 0)};
  }
  Bytes chunk() const { return Bytes{r.weights().v / static_cast<std::uint64_t>(g)}; }

  void iteration() {
    started = r.engine.now();
    pushed = 0;
    workers.assign(static_cast<std::size_t>(r.n), Worker{});
    for (int w = 0; w < r.n; ++w)
      for (int k = 0; k < r.owners(); ++k)
        r.send(r.owner(k), w, slice(k, w), [this, w] {
          if (++at(w).fetched == r.owners()) enter(w, gather);
        });
  }
  void enter(int w, Phase p) {
    at(w).ready[p] = true;
    if (g == 1) return ring_done(w, p);
    try_send(w, p);
  }
  // As the ring all-reduce: one send in flight per worker; step s+1 leaves once step s has
  // left and the chunk of step s from the previous worker has arrived.
  void try_send(int w, Phase p) {
    Worker& k = at(w);
    if (!k.ready[p] || k.busy[p] || k.sent[p] == g - 1 || k.sent[p] > k.received[p]) return;
    ++k.sent[p];
    k.busy[p] = true;
    const int to = next(w);
    r.send(w, to, chunk(), [this, w, to, p] {
      at(w).busy[p] = false;
      const bool all_in = ++at(to).received[p] == g - 1;
      try_send(to, p);
      try_send(w, p);
      if (all_in) ring_done(to, p);
    });
  }
  void ring_done(int w, Phase p) {
    if (p == gather) return r.compute(w, [this, w] { enter(w, scatter); });
    for (int k = 0; k < r.owners(); ++k)
      r.send(w, r.owner(k), slice(k, w), [this] {
        if (++pushed < r.n * r.owners()) return;
        r.record(r.engine.now() - started);
        ++r.iterations;
        if (--left > 0) iteration();
      });
  }
};

}  // namespace

void aggregated_sync(Run& r, int workers_per_node, std::int64_t iterations) {
  AggregatedSync p{r, workers_per_node, iterations, {}, 0, {}};
  p.iteration();
  r.engine.run();
}

}  // namespace dlscale::sim::training
