// The central parameter server's processes: who sends what to whom, when a worker computes,
// and where the barriers are. Each process keeps its state in a small struct on the caller's
// stack frame; the engine runs to completion before that frame ends.
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

}  // namespace dlscale::sim::training
