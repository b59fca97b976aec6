// Ring all-reduce as flows between ring neighbours: one GroupRing over all N workers. The
// process keeps its state in a struct on the caller's stack frame; the engine runs to
// completion before that frame ends.
#include <vector>

#include "sim/training/group_ring.hpp"

namespace dlscale::sim::training {
namespace {

std::vector<int> whole_ring(int n) {
  std::vector<int> next(static_cast<std::size_t>(n));
  for (int w = 0; w < n; ++w) next[static_cast<std::size_t>(w)] = (w + 1) % n;
  return next;
}

// Ring all-reduce: after computing, 2 (N-1) steps (reduce-scatter, then all-gather); in each
// worker w sends a chunk of bytes/N to w+1. Step 0 needs w's own gradients; step s > 0 needs
// the chunk of step s-1 from w-1, because that is what w reduces or forwards.
struct RingSync {
  Run& r;
  std::int64_t left;
  GroupRing ring;
  int finished = 0;
  Seconds started;

  RingSync(Run& run, std::int64_t iterations)
      : r(run), left(iterations),
        ring(run, 2 * (run.n - 1), Bytes{run.weights().v / static_cast<std::uint64_t>(run.n)},
             whole_ring(run.n), [this](int) { worker_done(); }) {}

  void iteration() {
    started = r.engine.now();
    finished = 0;
    ring.reset();
    for (int w = 0; w < r.n; ++w) r.compute(w, [this, w] { ring.enter(w); });
  }
  void worker_done() {
    if (++finished < r.n) return;
    r.record(r.engine.now() - started);
    ++r.iterations;
    if (--left > 0) iteration();
  }
};

}  // namespace

std::vector<RingPhase> ring_phases(int workers, Bytes bytes) {
  return {{2 * (workers - 1), Bytes{bytes.v / static_cast<std::uint64_t>(workers)},
           whole_ring(workers)}};
}

void ring_sync(Run& r, std::int64_t iterations) {
  RingSync p(r, iterations);
  p.iteration();
  r.engine.run();
}

}  // namespace dlscale::sim::training
