#include "dlscale/sim/engine.hpp"

#include <array>
#include <cmath>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "dlscale/error.hpp"

using namespace dlscale;
using namespace dlscale::sim;

TEST_CASE("events fire in time order, and equal times in scheduling order") {
  Engine e;
  std::vector<int> order;
  // Scheduled as 3 @ 2 s, 1 @ 1 s, 2 @ 1 s, 4 @ 2 s: time order puts 1 and 2 first; among the
  // two at 1 s the earlier scheduled (1) wins, among those at 2 s it is 3, then 4.
  e.schedule_at(Seconds{2}, [&order] { order.push_back(3); });
  e.schedule_at(Seconds{1}, [&order] { order.push_back(1); });
  e.schedule_at(Seconds{1}, [&order] { order.push_back(2); });
  e.schedule_at(Seconds{2}, [&order] { order.push_back(4); });
  e.run();
  CHECK(order == std::vector<int>{1, 2, 3, 4});
  CHECK(e.events_processed() == 4);
  CHECK(e.now().v == 2.0);
  CHECK(e.pending() == 0);
}

TEST_CASE("1000 events at one time fire FIFO, also when scheduled from inside actions") {
  Engine e;
  std::vector<int> order;
  // Event i at t = 0 schedules event 1000 + i at t = 0; FIFO puts all of 0..999 first, then
  // 1000..1999 in the order they were scheduled.
  for (int i = 0; i < 1000; ++i)
    e.schedule_at(Seconds{0}, [&e, &order, i] {
      order.push_back(i);
      e.schedule_after(Seconds{0}, [&order, i] { order.push_back(1000 + i); });
    });
  e.run();
  REQUIRE(order.size() == 2000);
  for (int i = 0; i < 2000; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("schedule_after is relative to the time of the running event") {
  Engine e;
  double seen = -1;
  // 1.5 s, then 0.25 s later: 1.75 s.
  e.schedule_at(Seconds{1.5}, [&] { e.schedule_after(Seconds{0.25}, [&] { seen = e.now().v; }); });
  e.run();
  CHECK(seen == 1.75);
}

TEST_CASE("run_until stops at the limit, includes events at it, and advances time") {
  Engine e;
  int fired = 0;
  for (int i = 1; i <= 5; ++i) e.schedule_at(Seconds{double(i)}, [&fired] { ++fired; });
  e.run_until(Seconds{3});  // events at 1, 2, 3
  CHECK(fired == 3);
  CHECK(e.now().v == 3.0);
  CHECK(e.pending() == 2);
  e.run_until(Seconds{3.5});  // none in (3, 3.5]; time still moves to 3.5
  CHECK(fired == 3);
  CHECK(e.now().v == 3.5);
  e.run();
  CHECK(fired == 5);
  CHECK(e.events_processed() == 5);
}

TEST_CASE("actions too big or not trivially copyable are boxed and destroyed once") {
  Engine e;
  auto token = std::make_shared<int>(7);
  std::string big(100, 'x');
  int sum = 0;
  e.schedule_at(Seconds{1}, [token, &sum] { sum += *token; });          // shared_ptr: boxed
  e.schedule_at(Seconds{2}, [big, &sum] { sum += int(big.size()); });   // std::string: boxed
  CHECK(token.use_count() == 2);
  e.run();
  CHECK(sum == 107);
  CHECK(token.use_count() == 1);  // the copy in the action is gone after it ran
  {
    Engine never_run;
    never_run.schedule_at(Seconds{1}, [token] {});
    CHECK(token.use_count() == 2);
  }
  CHECK(token.use_count() == 1);  // pending actions are destroyed with the engine
}

TEST_CASE("the same schedule gives the same trace, bit for bit") {
  // A pseudo-random cascade: each event schedules up to two more at hashed delays.
  auto trace = [] {
    Engine e;
    std::vector<double> times;
    std::uint64_t state = 12345;
    std::function<void(int)> spawn = [&](int depth) {
      times.push_back(e.now().v);
      if (depth == 0) return;
      for (int k = 0; k < 2; ++k) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const double dt = double(state >> 40) / double(1ULL << 24);
        e.schedule_after(Seconds{dt}, [&spawn, depth] { spawn(depth - 1); });
      }
    };
    e.schedule_at(Seconds{0}, [&spawn] { spawn(12); });
    e.run();
    return std::pair{e.events_processed(), times};
  };
  const auto a = trace();
  const auto b = trace();
  CHECK(a.first == (1u << 13) - 1);  // a full binary tree of depth 12: 2^13 - 1 events
  CHECK(a.first == b.first);
  CHECK(a.second == b.second);
}

TEST_CASE("scheduling in the past or at NaN is a ConfigError") {
  Engine e;
  e.schedule_at(Seconds{2}, [] {});
  e.run();
  CHECK_THROWS_AS(e.schedule_at(Seconds{1}, [] {}), ConfigError);
  CHECK_THROWS_AS(e.schedule_after(Seconds{-0.5}, [] {}), ConfigError);
  CHECK_THROWS_AS(e.schedule_at(Seconds{std::nan("")}, [] {}), ConfigError);
  CHECK(e.pending() == 0);
}

TEST_CASE("buckets of equal times keep FIFO order: against a reference priority queue") {
  // Events schedule children at now + {0, 1, 2} s, so equal times interleave with others
  // (t, t+1, t, ...) and join buckets that are already draining. The reference is a plain
  // priority queue on (time, sequence); both must fire the same ids in the same order.
  struct Ref {
    double at;
    std::uint64_t seq;
    int id;
    bool operator>(const Ref& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  const auto children = [](int id) { return std::array<int, 2>{(id * 7 + 3) % 3, (id * 5 + 1) % 3}; };
  constexpr int limit = 20000;
  std::vector<int> got, want;
  {
    Engine e;
    int next_id = 0;
    std::function<void(int)> fire = [&](int id) {
      got.push_back(id);
      for (int d : children(id))
        if (next_id < limit) {
          const int child = next_id++;
          e.schedule_after(Seconds{double(d)}, [&fire, child] { fire(child); });
        }
    };
    for (int i = 0; i < 8; ++i) {
      const int id = next_id++;
      e.schedule_at(Seconds{double(i % 3)}, [&fire, id] { fire(id); });
    }
    e.run();
    CHECK(e.pending() == 0);
  }
  {
    std::priority_queue<Ref, std::vector<Ref>, std::greater<>> q;
    std::uint64_t seq = 0;
    int next_id = 0;
    for (int i = 0; i < 8; ++i) q.push({double(i % 3), seq++, next_id++});
    while (!q.empty()) {
      const Ref r = q.top();
      q.pop();
      want.push_back(r.id);
      for (int d : children(r.id))
        if (next_id < limit) q.push({r.at + d, seq++, next_id++});
    }
  }
  REQUIRE(got.size() == static_cast<std::size_t>(limit));
  CHECK(got == want);
}
