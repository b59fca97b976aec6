// The training processes: who sends what to whom, when a worker computes, and where the
// barriers are. Each process keeps its state in a small struct owned by the caller's stack
// frame; the engine runs to completion before that frame ends.
#include <vector>

#include "sim/training/run.hpp"

namespace dlscale::sim::training {
namespace {

// Phases of the synchronous central server (4.4 - 4.9): the server sends the weights to every
// worker, each computes and sends its gradients back, and the next iteration starts when the
// server holds all N. Downloads start in worker order, so FIFO serves them in that order.
struct CentralSync {
  Run& r;
  std::int64_t left;
  int arrived = 0;
  Seconds started;

  void iteration() {
    started = r.engine.now();
    arrived = 0;
    for (int w = 0; w < r.n; ++w)
      r.send(r.n, w, r.weights(), [this, w] {
        r.compute(w, [this, w] {
          r.send(w, r.n, r.weights(), [this] { gradient_in(); });
        });
      });
  }
  void gradient_in() {
    if (++arrived < r.n) return;
    r.record(r.engine.now() - started);
    ++r.iterations;
    if (--left > 0) iteration();
  }
};

// Asynchronous central server (4.13 - 4.20): each worker loops download, compute, upload over
// its share of D, with no barrier. Staleness of an update = updates the server applied
// between this worker's read and its write.
struct CentralAsync {
  Run& r;
  std::vector<std::int64_t> quota;
  std::int64_t applied = 0;

  void batch(int w) {
    if (quota[static_cast<std::size_t>(w)]-- == 0) return;
    const Seconds start = r.engine.now();
    const std::int64_t read_at = applied;
    r.send(r.n, w, r.weights(), [this, w, start, read_at] {
      r.compute(w, [this, w, start, read_at] {
        r.send(w, r.n, r.weights(), [this, w, start, read_at] {
          ++r.staleness[applied - read_at];
          ++applied;
          r.record(r.engine.now() - start);
          batch(w);
        });
      });
    });
  }
};

// Even sharded server (4.12): worker j owns 1/N of the weights; every worker fetches the
// other N-1 shards, computes, and returns N-1 gradient shards; an iteration ends when every
// owner holds all of its gradients.
struct ShardedSync {
  Run& r;
  std::int64_t left;
  std::vector<int> fetched;
  int returned = 0;
  Seconds started;

  Bytes shard(int j) const {
    const auto b = r.weights().v, n = static_cast<std::uint64_t>(r.n);
    return Bytes{b / n + (static_cast<std::uint64_t>(j) < b % n ? 1 : 0)};
  }
  void iteration() {
    started = r.engine.now();
    returned = 0;
    fetched.assign(static_cast<std::size_t>(r.n), 0);
    if (r.n == 1) return compute(0);
    for (int w = 0; w < r.n; ++w)
      for (int j = 0; j < r.n; ++j)
        if (j != w)
          r.send(j, w, shard(j), [this, w] {
            if (++fetched[static_cast<std::size_t>(w)] == r.n - 1) compute(w);
          });
  }
  void compute(int w) {
    r.compute(w, [this, w] {
      if (r.n == 1) return done();
      for (int j = 0; j < r.n; ++j)
        if (j != w) r.send(w, j, shard(j), [this] { gradient_in(); });
    });
  }
  void gradient_in() {
    if (++returned == r.n * (r.n - 1)) done();
  }
  void done() {
    r.record(r.engine.now() - started);
    ++r.iterations;
    if (--left > 0) iteration();
  }
};

// Ring all-reduce: after computing, 2 (N-1) steps (reduce-scatter, then all-gather); in each
// worker w sends a chunk of bytes/N to w+1. Step 0 needs w's own gradients; step s > 0 needs
// the chunk of step s-1 from w-1, because that is what w reduces or forwards.
struct RingSync {
  Run& r;
  std::int64_t left;
  std::vector<int> received, sent;  ///< per worker: chunks received, steps sent
  std::vector<char> computed, busy;  ///< per worker: gradients ready, a send in flight
  int finished = 0;
  Seconds started;

  int steps() const { return 2 * (r.n - 1); }
  void iteration() {
    started = r.engine.now();
    finished = 0;
    received.assign(static_cast<std::size_t>(r.n), 0);
    sent.assign(static_cast<std::size_t>(r.n), 0);
    computed.assign(static_cast<std::size_t>(r.n), 0);
    busy.assign(static_cast<std::size_t>(r.n), 0);
    for (int w = 0; w < r.n; ++w)
      r.compute(w, [this, w] {
        computed[static_cast<std::size_t>(w)] = 1;
        if (steps() == 0) return worker_done();
        try_send(w);
      });
  }
  // One send in flight per worker, as on a real ring connection: step s+1 leaves once step s
  // has left and the chunk it depends on has arrived.
  void try_send(int w) {
    const auto i = static_cast<std::size_t>(w);
    if (!computed[i] || busy[i] || sent[i] == steps() || sent[i] > received[i]) return;
    ++sent[i];
    busy[i] = 1;
    const int to = (w + 1) % r.n;
    r.send(w, to, Bytes{r.weights().v / static_cast<std::uint64_t>(r.n)}, [this, w, to] {
      busy[static_cast<std::size_t>(w)] = 0;
      const bool all_in = ++received[static_cast<std::size_t>(to)] == steps();
      try_send(to);
      try_send(w);
      if (all_in) worker_done();
    });
  }
  void worker_done() {
    if (++finished < r.n) return;
    r.record(r.engine.now() - started);
    ++r.iterations;
    if (--left > 0) iteration();
  }
};

}  // namespace

void central_sync(Run& r, std::int64_t iterations) {
  CentralSync p{r, iterations, 0, {}};
  p.iteration();
  r.engine.run();
}

void central_async(Run& r, std::int64_t batches) {
  CentralAsync p{r, std::vector<std::int64_t>(static_cast<std::size_t>(r.n), batches / r.n), 0};
  // The extra batches of D % N go to the workers served last, as the closed form's best case
  // assumes (the worker that waits N-1 downloads trains ceil(D/N)).
  for (std::int64_t k = 0; k < batches % r.n; ++k) ++p.quota[static_cast<std::size_t>(r.n - 1 - k)];
  for (int w = 0; w < r.n; ++w) p.batch(w);
  r.engine.run();
}

void sharded_sync(Run& r, std::int64_t iterations) {
  ShardedSync p{r, iterations, {}, 0, {}};
  p.iteration();
  r.engine.run();
}

void ring_sync(Run& r, std::int64_t iterations) {
  RingSync p{r, iterations, {}, {}, {}, {}, 0, {}};
  p.iteration();
  r.engine.run();
}

}  // namespace dlscale::sim::training
