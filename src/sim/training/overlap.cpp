// Overlap of the exchange with backpropagation as flows (MODELS.md "Overlap"): the twin of
// models::overlapped_sync_iter for the ring and hierarchical all-reduce. Each bucket has its
// own chain of ring phases. Exchanges run one after another: a worker enters bucket k once its
// gradients of bucket k are ready and every worker has ended bucket k-1, so exchange k starts
// at max(r_k, e_(k-1)) as in the closed form. Without that barrier a worker whose last chunk
// came over an intra-node hop would start the next bucket up to (a - a_i) earlier than one fed
// over a NIC, and the flat ring on a cluster would beat the closed form by a few latencies per
// bucket; with it, compute jitter still delays every exchange that waits on a slow worker. The
// process keeps its state on the caller's stack frame; the engine runs to completion before
// that frame ends.
#include <memory>
#include <vector>

#include "sim/training/group_ring.hpp"

namespace dlscale::sim::training {
namespace {

struct OverlapSync {
  Run& r;
  std::span<const models::GradBucket> buckets;
  std::int64_t left;
  std::vector<std::vector<std::unique_ptr<GroupRing>>> phases;  // per bucket, in order
  std::vector<int> ready, next;   // per worker: buckets ready; the next bucket to exchange
  std::vector<char> exchanging, computed;
  std::vector<int> ended_by;  // per bucket: the workers that have ended its exchange
  int ended = 0;              // buckets every worker has ended
  int finished = 0;
  Seconds started;

  OverlapSync(Run& run, std::span<const models::GradBucket> b,
              const std::function<std::vector<RingPhase>(Bytes)>& make, std::int64_t iterations)
      : r(run), buckets(b), left(iterations), phases(b.size()) {
    for (std::size_t k = 0; k < b.size(); ++k) {
      const auto specs = make(b[k].bytes);
      for (std::size_t i = 0; i < specs.size(); ++i)
        phases[k].push_back(std::make_unique<GroupRing>(
            run, specs[i].steps, specs[i].chunk, specs[i].next, [this, k, i](int w) {
              if (i + 1 < phases[k].size()) return phases[k][i + 1]->enter(w);
              exchanged(w);
            }));
    }
  }

  void iteration() {
    started = r.engine.now();
    finished = 0;
    for (auto& chain : phases)
      for (auto& p : chain) p->reset();
    const auto n = static_cast<std::size_t>(r.n);
    ready.assign(n, 0);
    next.assign(n, 0);
    exchanging.assign(n, 0);
    computed.assign(n, 0);
    ended_by.assign(buckets.size(), 0);
    ended = 0;
    for (int w = 0; w < r.n; ++w) {
      const Seconds dt = r.draw_compute(w);
      for (const auto& b : buckets)
        r.engine.schedule_after(b.ready_share * dt, [this, w] {
          ++ready[static_cast<std::size_t>(w)];
          try_exchange(w);
        });
      r.engine.schedule_after(dt, [this, w] {
        computed[static_cast<std::size_t>(w)] = 1;
        check_done(w);
      });
    }
  }
  void try_exchange(int w) {
    const auto i = static_cast<std::size_t>(w);
    if (exchanging[i] || next[i] >= ready[i] || next[i] > ended ||
        next[i] >= static_cast<int>(buckets.size()))
      return;
    exchanging[i] = 1;
    phases[static_cast<std::size_t>(next[i])].front()->enter(w);
  }
  void exchanged(int w) {
    const auto i = static_cast<std::size_t>(w);
    exchanging[i] = 0;
    if (++ended_by[static_cast<std::size_t>(next[i]++)] == r.n) {
      ++ended;  // the last worker to end this bucket releases the next one for everyone
      for (int v = 0; v < r.n; ++v) try_exchange(v);
    }
    check_done(w);
  }
  void check_done(int w) {
    const auto i = static_cast<std::size_t>(w);
    if (!computed[i] || next[i] < static_cast<int>(buckets.size())) return;
    computed[i] = 0;  // counted once
    if (++finished < r.n) return;
    r.record(r.engine.now() - started);
    ++r.iterations;
    if (--left > 0) iteration();
  }
};

}  // namespace

void overlapped_ring_sync(Run& r, std::span<const models::GradBucket> buckets,
                          const std::function<std::vector<RingPhase>(Bytes)>& phases,
                          std::int64_t iterations) {
  OverlapSync p(r, buckets, phases, iterations);
  p.iteration();
  r.engine.run();
}

}  // namespace dlscale::sim::training
