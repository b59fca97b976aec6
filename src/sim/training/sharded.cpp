// The sharded (distributed) parameter server: worker j also serves shard j of the weights
// (the thesis), or on a described cluster K server participants serve K shards; the shard
// sizes come from the placement (even, algorithm 3.7 or largest-first). Each process
// keeps its state in a struct on the caller's stack frame; the engine runs to completion
// before that frame ends.
#include <algorithm>
#include <vector>

#include "sim/training/run.hpp"

namespace dlscale::sim::training {
namespace {

// Synchronous (4.12; MODELS.md's f_max form for uneven shards): every worker fetches the
// other N-1 shards, computes, and returns N-1 gradient shards; an iteration ends when every
// owner holds all of its gradients. Owner j's up link sends (N-1) x shard j, so the largest
// shard sets the pace: 2 (N-1) f_max t_c + t_g.
struct ShardedSync {
  Run& r;
  std::int64_t left;
  std::vector<int> fetched;
  int returned = 0, expected = 0;
  Seconds started;

  void iteration() {
    started = r.engine.now();
    returned = 0;
    fetched.assign(static_cast<std::size_t>(r.n), 0);
    // Every worker's gradients reach every owner but itself; a worker with no remote owner
    // (N = 1 on the thesis's sharded server) counts once, when it has computed.
    expected = 0;
    for (int w = 0; w < r.n; ++w) expected += std::max(r.remote_owners(w), 1);
    for (int w = 0; w < r.n; ++w) {
      if (r.remote_owners(w) == 0) compute(w);
      for (int j = 0; j < r.owners(); ++j)
        if (r.owner(j) != w)
          r.send(r.owner(j), w, r.shard(j), [this, w] {
            if (++fetched[static_cast<std::size_t>(w)] == r.remote_owners(w)) compute(w);
          });
    }
  }
  void compute(int w) {
    r.compute(w, [this, w] {
      if (r.remote_owners(w) == 0) return gradient_in();
      for (int j = 0; j < r.owners(); ++j)
        if (r.owner(j) != w) r.send(w, r.owner(j), r.shard(j), [this] { gradient_in(); });
    });
  }
  void gradient_in() {
    if (++returned == expected) done();
  }
  void done() {
    r.record(r.engine.now() - started);
    ++r.iterations;
    if (--left > 0) iteration();
  }
};

// Asynchronous (4.21): each worker loops fetch, compute, return over its share of D with no
// barrier. An update is applied when its last gradient shard reaches its owner; its
// staleness is the number of updates applied between the worker's first fetch and then.
struct ShardedAsync {
  struct Worker {
    std::int64_t quota = 0;
    int fetched = 0, returned = 0;
    std::int64_t read_at = 0;
    Seconds start;
  };
  Run& r;
  std::vector<Worker> workers;
  std::int64_t applied = 0;

  Worker& at(int w) { return workers[static_cast<std::size_t>(w)]; }
  void batch(int w) {
    Worker& k = at(w);
    if (k.quota-- == 0) return;
    k.start = r.engine.now();
    k.read_at = applied;
    k.fetched = 0;
    k.returned = 0;
    if (r.remote_owners(w) == 0) return compute(w);
    for (int j = 0; j < r.owners(); ++j)
      if (r.owner(j) != w)
        r.send(r.owner(j), w, r.shard(j), [this, w] {
          if (++at(w).fetched == r.remote_owners(w)) compute(w);
        });
  }
  void compute(int w) {
    r.compute(w, [this, w] {
      if (r.remote_owners(w) == 0) return applied_by(w);
      for (int j = 0; j < r.owners(); ++j)
        if (r.owner(j) != w)
          r.send(w, r.owner(j), r.shard(j), [this, w] {
            if (++at(w).returned == r.remote_owners(w)) applied_by(w);
          });
    });
  }
  void applied_by(int w) {
    ++r.staleness[applied - at(w).read_at];
    ++applied;
    r.record(r.engine.now() - at(w).start);
    batch(w);
  }
};

}  // namespace

void sharded_sync(Run& r, std::int64_t iterations) {
  ShardedSync p{r, iterations, {}, 0, 0, {}};
  p.iteration();
  r.engine.run();
}

void sharded_async(Run& r, std::int64_t batches) {
  ShardedAsync p{r, std::vector<ShardedAsync::Worker>(static_cast<std::size_t>(r.n)), 0};
  for (int w = 0; w < r.n; ++w)
    p.at(w).quota = batches / r.n + (w < batches % r.n ? 1 : 0);
  for (int w = 0; w < r.n; ++w) p.batch(w);
  r.engine.run();
}

}  // namespace dlscale::sim::training
