// Stragglers, jitter, determinism and bad input of the training simulation.
#include <doctest/doctest.h>

#include "dlscale/error.hpp"
#include "dlscale/sim/training.hpp"
#include "thesis_squeezenet.hpp"

using namespace dlscale;
using doctest::Approx;

namespace {

Scenario squeezenet() { return test::squeezenet_with_bytes(); }

}  // namespace

TEST_CASE("a straggler sets the pace of a synchronous iteration") {
  // N = 4, fair sharing, one worker (25 %) twice as slow. Downloads share the server: all
  // end at 4 t_c = 0.132. Three workers compute 0.758 and upload together (3 t_c = 0.099 <
  // t_g, so they are done first); the straggler computes 1.516 and uploads alone, t_c:
  // t_iter = 0.132 + 1.516 + 0.033 = 1.681.
  sim::SimOptions o;
  o.straggler_fraction = 0.25;
  o.straggler_factor = 2;
  const auto r = sim::simulate(squeezenet(), Scheme::central, Mode::sync_join, 4, o);
  CHECK(r.t_iter_mean.v == Approx(1.681).epsilon(1e-9));
  CHECK(r.t_iter_p99.v == Approx(1.681).epsilon(1e-9));
  // Per-worker speeds do the same: one worker at factor 2.
  sim::SimOptions speeds;
  speeds.worker_speed = {1, 1, 2, 1};
  CHECK(sim::simulate(squeezenet(), Scheme::central, Mode::sync_join, 4, speeds).t_iter_mean.v ==
        Approx(1.681).epsilon(1e-9));
}

TEST_CASE("same seed, same result; another seed, another result") {
  sim::SimOptions o;
  o.jitter = sim::Jitter::lognormal;
  o.cv = 0.2;
  o.seed = 42;
  const auto a = sim::simulate(squeezenet(), Scheme::ring, Mode::sync_join, 8, o);
  const auto b = sim::simulate(squeezenet(), Scheme::ring, Mode::sync_join, 8, o);
  CHECK(a.t_train.v == b.t_train.v);  // bit for bit
  CHECK(a.events == b.events);
  CHECK(a.t_iter_p99.v == b.t_iter_p99.v);
  o.seed = 43;
  const auto c = sim::simulate(squeezenet(), Scheme::ring, Mode::sync_join, 8, o);
  CHECK(c.t_train.v != a.t_train.v);
  // Jitter only slows a barrier down: the slowest of 8 draws sets each iteration, and the
  // jitter-free iteration is t_g + 2*7*t_c/8 = 0.758 + 0.05775 = 0.81575.
  CHECK(a.t_iter_p50.v > 0.81575);
  o.jitter = sim::Jitter::normal;
  CHECK(sim::simulate(squeezenet(), Scheme::ring, Mode::sync_join, 8, o).t_train.v > 0);
}

TEST_CASE("bad options are refused with an exact message") {
  const auto s = squeezenet();
  const auto fails = [&](sim::SimOptions o, int n, const char* message) {
    CHECK_THROWS_WITH_AS(sim::simulate(s, Scheme::central, Mode::sync_join, n, o), message,
                         ConfigError);
  };
  fails({}, 0, "simulate: workers = 0; an integer >= 1 expected");
  sim::SimOptions o;
  o.cv = -0.1;
  fails(o, 4, "simulate: --cv: -0.1; a number in [0, 10] expected");
  o = {};
  o.straggler_fraction = 1.5;
  fails(o, 4, "simulate: straggler fraction = 1.5; a number in [0, 1] expected");
  o = {};
  o.straggler_factor = 0.5;
  fails(o, 4, "simulate: straggler factor = 0.5; a number in [1, 1e6] expected");
  o = {};
  o.worker_speed = {1, 1};
  fails(o, 4, "simulate: 2 worker speeds for 4 workers; one per worker expected");
  CHECK_THROWS_WITH_AS(sim::simulate(s, Scheme::ring, Mode::async, 4),
                       "simulate: scheme 'ring' with mode 'async': unsupported; all-reduce is "
                       "synchronous", ConfigError);
  CHECK_THROWS_WITH_AS(sim::simulate(s, Scheme::tree, Mode::sync_join, 4),
                       "simulate: scheme 'tree' is not simulated yet; central, "
                       "central-semaphore, sharded, sharded-placed, sharded-lpt, ring or "
                       "hierarchical expected", ConfigError);
  CHECK_THROWS_WITH_AS(sim::simulate(s, Scheme::hierarchical, Mode::sync_join, 4),
                       "simulate: hierarchical is simulated on a described cluster (--nic, "
                       "--gpus-per-node G) with full nodes, N a multiple of G, and no topology "
                       "file", ConfigError);
}

TEST_CASE("split batches use the measured t_grad(b/N) when the profile has it") {
  // b = 64, N = 2: t_grad(32) = 0.45 s measured (not 0.758/2). Central, FIFO:
  // t_iter = (2+1) 0.033 + 0.45 = 0.549.
  Scenario s = squeezenet();
  s.batch_size = 64;
  s.t_grad_by_batch = {{32, Seconds{0.45}}};
  sim::SimOptions o;
  o.sharing = sim::Sharing::fifo;
  CHECK(sim::simulate(s, Scheme::central, Mode::sync_split, 2, o).t_iter_mean.v ==
        Approx(0.549).epsilon(1e-9));
}

TEST_CASE("--iterations: simulate a few, extrapolate to all I") {
  // Central, FIFO, N = 4: every iteration is (4+1) 0.033 + 0.758 = 0.923 s, so 3 simulated
  // of I = 32 extrapolate exactly to 32 * 0.923 = 29.536 s.
  sim::SimOptions o;
  o.sharing = sim::Sharing::fifo;
  o.iterations = 3;
  const auto r = sim::simulate(squeezenet(), Scheme::central, Mode::sync_join, 4, o);
  CHECK(r.simulated_iterations == 3);
  CHECK(r.iterations == 32);
  CHECK(r.t_train.v == Approx(29.536).epsilon(1e-9));
  CHECK(r.events < sim::simulate(squeezenet(), Scheme::central, Mode::sync_join, 4).events);
  o.iterations = 0;
  CHECK_THROWS_WITH_AS(sim::simulate(squeezenet(), Scheme::central, Mode::sync_join, 4, o),
                       "simulate: iterations = 0; an integer >= 1 expected", ConfigError);
}

// Regression (reliability audit, defect 5): asynchronous runs ignored --iterations and
// simulated every one of D batches (D = 1e9 ran out of memory). Now K iterations are K
// batches per worker, and t_train is scaled by D / (K N).
TEST_CASE("asynchronous runs simulate K batches per worker and extrapolate") {
  sim::SimOptions o;
  o.iterations = 5;
  // One worker: every batch is download + compute + upload = 0.033 + 0.758 + 0.033 = 0.824 s,
  // so 5 simulated batches take 4.12 s and D = 128 scale it to 128 x 0.824 = 105.472 s.
  const auto one = sim::simulate(squeezenet(), Scheme::central, Mode::async, 1, o);
  CHECK(one.t_train.v == Approx(105.472).epsilon(1e-9));
  REQUIRE(!one.notes.empty());
  CHECK(one.notes.back() == "asynchronous: 5 of 128 batches simulated (5 per worker), t_train "
                            "scaled by D / 5");
  // Four workers: the first 20 batches run at the steady rate within a few per cent.
  const auto all = sim::simulate(squeezenet(), Scheme::central, Mode::async, 4);
  const auto part = sim::simulate(squeezenet(), Scheme::central, Mode::async, 4, o);
  CHECK(part.t_train.v == Approx(all.t_train.v).epsilon(0.05));
  CHECK(part.events < all.events);
  // The work estimate follows: 20 batches x 2 transfers, not 128 x 2.
  CHECK(sim::estimate_work(squeezenet(), Scheme::central, Mode::async, 4, o).flows == 40);
  CHECK(sim::estimate_work(squeezenet(), Scheme::central, Mode::async, 4, {}).flows == 256);
}

// Defect 5: work and memory are sized before anything runs. Ring at N = 100,000 is
// 2 N (N-1) ~ 2e10 transfers per iteration; the sharded all-to-all at N = 4000 holds
// N (N-1) ~ 1.6e7 transfers at once, past the 2^22 that fit in about 1 GiB.
TEST_CASE("simulations past the work or memory budget are refused before they start") {
  sim::SimOptions o;
  o.iterations = 1;
  CHECK_THROWS_WITH_AS(sim::simulate(squeezenet(), Scheme::ring, Mode::sync_join, 100000, o),
                       "simulate: ring sync-join N=100000: about 2e+10 transfers to simulate; at "
                       "most 1e+08 (--max-flows; a few million take a second); fewer workers, "
                       "--iterations K, or a larger --max-flows expected", ConfigError);
  CHECK_THROWS_WITH_AS(sim::simulate(squeezenet(), Scheme::sharded, Mode::sync_join, 4000, o),
                       "simulate: sharded sync-join N=4000: about 1.6e+07 transfers in flight at "
                       "once; at most 4.19e+06 fit in memory (about 1 GiB); fewer workers "
                       "expected", ConfigError);
  // Central async, D = 1e9: 2e9 transfers.
  auto big = squeezenet();
  big.batches = 1'000'000'000;
  CHECK_THROWS_AS(sim::simulate(big, Scheme::central, Mode::async, 8), ConfigError);
  // The budget is an option: 2 N = 8 transfers per iteration x 32 iterations = 256 > 100.
  sim::SimOptions small;
  small.max_flows = 100;
  CHECK_THROWS_AS(sim::simulate(squeezenet(), Scheme::central, Mode::sync_join, 4, small), ConfigError);
  small.max_flows = 256;
  CHECK_NOTHROW(sim::simulate(squeezenet(), Scheme::central, Mode::sync_join, 4, small));
}
