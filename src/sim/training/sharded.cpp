// The sharded (distributed) parameter server: worker j also serves shard j of the weights
// (the thesis), or on a described cluster K server participants serve K shards; the shard
// sizes come from the placement (even, algorithm 3.7 or largest-first). Each process
// keeps its state in a struct on the caller's stack frame; the engine runs to completion
// before that frame ends.
#include <algorithm>
#include <cmath>
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

// Overlap (MODELS.md "Overlap"): the twin of models::overlapped_sync_iter for the sharded
// servers. Each worker computes; bucket k is ready share_k into its compute; once every worker
// has bucket k ready and bucket k-1 is exchanged, all workers push their share of bucket k to
// every owner (an all-to-all of shard_j x bytes_k / W each), and when the last push has
// arrived the owners return the updated weights the same way. The closed form charges each
// bucket both directions of sharded_cluster_phase (or 4.12) in turn; the global barrier between
// push and pull is what it assumes: a server that answered as soon as its own shard was
// complete would start pulls earlier when the shards are uneven.
struct ShardedOverlapSync {
  Run& r;
  std::span<const models::GradBucket> buckets;
  std::int64_t left;
  std::vector<int> ready;  // per bucket: the workers that have it ready
  std::size_t current = 0;  // the bucket being exchanged, or the next one
  bool busy = false;
  int pending = 0, computed = 0;
  Seconds started;

  Bytes part(int j, std::size_t k) const {
    const double share = static_cast<double>(buckets[k].bytes.v) / static_cast<double>(r.weights().v);
    return Bytes{static_cast<std::uint64_t>(std::llround(share * static_cast<double>(r.shard(j).v)))};
  }
  void iteration() {
    started = r.engine.now();
    ready.assign(buckets.size(), 0);
    current = 0;
    busy = false;
    computed = 0;
    for (int w = 0; w < r.n; ++w) {
      const Seconds dt = r.draw_compute(w);
      for (std::size_t k = 0; k < buckets.size(); ++k)
        r.engine.schedule_after(buckets[k].ready_share * dt, [this, k] {
          ++ready[k];
          try_exchange();
        });
      r.engine.schedule_after(dt, [this] {
        ++computed;
        check_done();
      });
    }
  }
  void try_exchange() {
    if (busy || current >= buckets.size() || ready[current] < r.n) return;
    busy = true;
    phase(true);
  }
  // One direction of the current bucket: workers to owners (push) or owners to workers.
  void phase(bool push) {
    pending = 0;
    for (int w = 0; w < r.n; ++w)
      for (int j = 0; j < r.owners(); ++j) {
        if (r.owner(j) == w) continue;
        ++pending;
        const int from = push ? w : r.owner(j), to = push ? r.owner(j) : w;
        r.send(from, to, part(j, current), [this, push] {
          if (--pending == 0) push ? phase(false) : exchanged();
        });
      }
    if (pending == 0) push ? phase(false) : exchanged();  // N = 1: nothing to move
  }
  void exchanged() {
    busy = false;
    ++current;
    try_exchange();
    check_done();
  }
  void check_done() {
    if (computed < r.n || current < buckets.size() || busy) return;
    computed = 0;  // counted once
    r.record(r.engine.now() - started);
    ++r.iterations;
    if (--left > 0) iteration();
  }
};

}  // namespace

void sharded_overlapped_sync(Run& r, std::span<const models::GradBucket> buckets,
                             std::int64_t iterations) {
  ShardedOverlapSync p{r, buckets, iterations, {}, 0, false, 0, 0, {}};
  p.iteration();
  r.engine.run();
}

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
