// dlscale-ps's pure parts: the percentiles the testbed writes, the worker-output parser, the
// FIFO turns and the barrier, the shards against dlscale's placement, and argument errors.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <numeric>
#include <thread>
#include <vector>

#include "calibrate/ps/args.hpp"
#include "calibrate/ps/shards.hpp"
#include "calibrate/ps/summary.hpp"
#include "dlscale/percentile.hpp"
#include "calibrate/ps/turns.hpp"
#include "dlscale/data.hpp"
#include "dlscale/error.hpp"
#include "dlscale/models/placement.hpp"
#include "dlscale/network.hpp"

using namespace dlscale;
using namespace std::chrono_literals;

TEST_CASE("nearest-rank percentiles of pooled iteration times") {
  // 10 values 1..10: p50 is the 5th smallest (ceil(0.5 x 10) = 5), p90 the 9th.
  std::vector<double> v{10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  const auto s = ps::summarize_times(v);
  CHECK(s.p50 == 5);
  CHECK(s.p90 == 9);
  CHECK(s.samples == 10);
  // One value is every percentile; 3 values: p50 rank ceil(1.5) = 2, p90 rank ceil(2.7) = 3.
  CHECK(dlscale::nearest_rank({0.25}, 0.9) == 0.25);
  CHECK(dlscale::nearest_rank({3, 1, 2}, 0.5) == 2);
  CHECK(dlscale::nearest_rank({3, 1, 2}, 0.9) == 3);
}

TEST_CASE("asynchronous rows: the slowest worker's batches, not the pool") {
  // Worker 0 sits next to the big shard: 3 x 0.1 s; worker 1 pays for it: 3 x 0.3 s. t_train
  // is worker 1's, so its median is the row's (the pool's would be 0.1).
  const auto s = ps::summarize_slowest({{0.1, 0.1, 0.1}, {0.3, 0.25, 0.35}});
  CHECK(s.p50 == 0.3);
  CHECK(s.p90 == 0.35);
  CHECK(s.samples == 3);
}

TEST_CASE("a worker's output parses; anything else is refused with file and line") {
  const auto t = ps::parse_iteration_times("# worker 0\niteration,seconds\n1,0.5\n2,0.25\n", "w0");
  CHECK(t == std::vector<double>{0.5, 0.25});
  const auto refused = [](const char* text, const char* message) {
    CHECK_THROWS_WITH_AS(ps::parse_iteration_times(text, "w.txt"), message, ConfigError);
  };
  refused("1,0.5\n", "w.txt:1: '1,0.5': the header 'iteration,seconds' expected");
  refused("iteration,seconds\n1,0\n",
          "w.txt:2: '1,0': 'ITERATION,SECONDS' with iteration 1 and seconds > 0 expected");
  refused("iteration,seconds\n1,0.5\n3,0.5\n",
          "w.txt:3: '3,0.5': 'ITERATION,SECONDS' with iteration 2 and seconds > 0 expected");
  refused("iteration,seconds\n1,nan\n",
          "w.txt:2: '1,nan': 'ITERATION,SECONDS' with iteration 1 and seconds > 0 expected");
  refused("# only a comment\niteration,seconds\n", "w.txt: no iterations");
}

TEST_CASE("FIFO turns are served in the order the tickets were taken") {
  ps::FifoTurns turns;
  std::atomic<bool> abort{false};
  const auto deadline = tcp::Clock::now() + 5s;
  const auto first = turns.take(), second = turns.take(), third = turns.take();
  std::vector<int> order;
  std::mutex m;
  // Started in reverse: each must still wait for the ones with earlier tickets.
  std::vector<std::thread> threads;
  for (auto [ticket, id] : {std::pair{third, 3}, std::pair{second, 2}}) {
    threads.emplace_back([&, ticket, id] {
      turns.wait(ticket, deadline, abort);
      { const std::lock_guard lock(m); order.push_back(id); }
      turns.release();
    });
  }
  std::this_thread::sleep_for(50ms);
  { const std::lock_guard lock(m); CHECK(order.empty()); }  // ticket 0 not released yet
  turns.wait(first, deadline, abort);
  { const std::lock_guard lock(m); order.push_back(1); }
  turns.release();
  for (auto& t : threads) t.join();
  CHECK(order == std::vector<int>{1, 2, 3});
  CHECK(turns.served() == 3);
}

TEST_CASE("the barrier opens at N pushes per round and gives up at the deadline or abort") {
  ps::Progress p(2);
  std::atomic<bool> abort{false};
  p.pushed();
  CHECK_THROWS_AS(p.wait_round(1, tcp::Clock::now() + 100ms, abort), tcp::TcpError);
  p.pushed();
  p.wait_round(1, tcp::Clock::now() + 100ms, abort);  // 2 pushes = round 1 for 2 workers
  abort = true;
  const auto t0 = tcp::Clock::now();
  CHECK_THROWS_AS(p.wait_round(2, tcp::Clock::now() + 10s, abort), tcp::TcpError);
  CHECK(tcp::Clock::now() - t0 < 1s);  // the abort flag, not the 10 s deadline
}

TEST_CASE("shards are dlscale's placement of the network's fp32 tensors") {
  const Network net = load_network("MNIST-MLP", DataSource::from_environment());
  const auto tensors = net.tensor_bytes(Precision::fp32);
  for (const int k : {1, 2, 4, 8}) {
    CAPTURE(k);
    const auto shards = ps::shard_bytes("MNIST-MLP", 0, k, false);
    REQUIRE(shards.size() == std::size_t(k));
    CHECK(std::accumulate(shards.begin(), shards.end(), std::uint64_t{0}) ==
          net.weight_bytes(Precision::fp32).v);
    // f_max by PlacementShares::f_max, the path predict() takes, not the loads() used here.
    const double f_max = double(*std::max_element(shards.begin(), shards.end())) /
                         double(net.weight_bytes(Precision::fp32).v);
    CHECK(f_max == doctest::Approx(models::PlacementShares(tensors, false).f_max(k)));
    CHECK(shards == models::place_model_order(tensors, k).loads);
  }
  CHECK(ps::shard_bytes("", 4096, 1, false) == std::vector<std::uint64_t>{4096});
  CHECK_THROWS_WITH_AS(ps::shard_bytes("no-such-net", 0, 2, false),
                       doctest::Contains("--network: network 'no-such-net'"), ConfigError);
}

namespace {
ps::PsArgs parse(std::vector<const char*> argv) {
  argv.insert(argv.begin(), "dlscale-ps");
  return ps::parse_ps_args(static_cast<int>(argv.size()), argv.data());
}
constexpr const char* token = "0123456789abcdef0123456789ABCDEF";
}  // namespace

TEST_CASE("arguments: a server and a worker parse; bad values name the option") {
  const auto s = parse({"server", "--port", "0", "--workers", "4", "--network", "MNIST-MLP",
                        "--shards", "4", "--shard", "3", "--policy", "fifo", "--mode", "async",
                        "--token", token});
  CHECK(s.role == ps::Role::server);
  CHECK(s.workers == 4);
  CHECK(s.shard == 3);
  CHECK(s.policy == ps::Policy::fifo);
  CHECK(s.mode == Mode::async);
  CHECK(s.token == "0123456789abcdef0123456789abcdef");  // lower case, as servers compare
  const auto w = parse({"worker", "--servers", "10.0.0.1:5000,10.0.0.2:5001", "--network",
                        "MNIST-MLP", "--compute", "0.02", "--iterations", "3", "--token", token});
  REQUIRE(w.servers.size() == 2);
  CHECK(w.servers[1].host == "10.0.0.2");
  CHECK(w.servers[1].port == 5001);
  CHECK(w.compute_s == 0.02);
  CHECK(w.iterations == 3);
  CHECK(w.warmup == 2);

  const auto refused = [](std::vector<const char*> argv, const char* message) {
    CHECK_THROWS_WITH_AS(parse(std::move(argv)), message, ConfigError);
  };
  refused({}, "role '' is invalid; server, worker or summary expected (dlscale-ps ROLE --help)");
  refused({"serve"}, "role 'serve' is invalid; server, worker or summary expected (dlscale-ps ROLE --help)");
  refused({"server", "--port", "1", "--workers", "2", "--bytes", "10", "--token", "xyz"},
          "--token 'xyz' is invalid; 32 hex digits expected");
  refused({"server", "--port", "1", "--workers", "0", "--bytes", "10", "--token", token},
          "--workers 0 is invalid; 1 to 1024 expected");
  refused({"server", "--port", "1", "--workers", "2", "--network", "MNIST-MLP", "--shards", "2",
           "--shard", "2", "--token", token},
          "--shard 2 is invalid; 0 to 1 (--shards 2 minus 1) expected");
  refused({"server", "--port", "1", "--workers", "2", "--bytes", "10", "--shards", "2", "--token", token},
          "--shards above 1 needs --network (its tensors are what is placed)");
  refused({"server", "--port", "1", "--workers", "2", "--bytes", "10", "--policy", "lifo", "--token", token},
          "--policy 'lifo' is invalid; fair or fifo expected");
  refused({"worker", "--servers", "h:1", "--bytes", "10", "--compute", "-1", "--token", token},
          "--compute -1 is invalid; a number of seconds >= 0 and <= 86400 expected");
  refused({"worker", "--servers", "h", "--bytes", "10", "--compute", "0", "--token", token},
          "--servers: 'h' is invalid; HOST:PORT expected");
  refused({"worker", "--servers", "h:1,h:2", "--bytes", "10", "--compute", "0", "--token", token},
          "more than one server needs --network (its tensors are what is placed)");
  refused({"server", "--port", "1", "--workers", "2", "--bytes", "10", "--mode", "sync", "--token", token},
          "--mode 'sync' is invalid; sync-join, sync-split or async expected");
  refused({"worker", "--servers", "h:1", "--bytes", "10", "--compute", "0", "--timeout", "1e300", "--token", token},
          "--timeout 1e300 is invalid; a number of seconds > 0 and <= 86400 expected");
  refused({"worker", "--servers", "h:1", "--compute", "0", "--token", token}, "--network or --bytes expected");
  refused({"summary"}, "summary: one or more worker output files expected");
}
