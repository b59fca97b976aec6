// Ring all-reduce as flows between ring neighbours. The process keeps its state in a struct on
// the caller's stack frame; the engine runs to completion before that frame ends.
#include <vector>

#include "sim/training/run.hpp"

namespace dlscale::sim::training {
namespace {

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

void ring_sync(Run& r, std::int64_t iterations) {
  RingSync p{r, iterations, {}, {}, {}, {}, 0, {}};
  p.iteration();
  r.engine.run();
}

}  // namespace dlscale::sim::training
