// Fair sharing against the O(F * L) reference water-filling in reference.hpp, on random small
// scenarios: completion times must agree to 1e-9 relative.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "dlscale/sim/flows.hpp"
#include "reference.hpp"

using namespace dlscale;
using namespace dlscale::sim;

namespace {

struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return s >> 33;
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  double unit() { return static_cast<double>(next() % 1000000) / 1e6; }
};

struct Result {
  std::vector<double> times;
  std::uint64_t events;
  std::size_t recomputations;
};

Result simulate(const std::vector<ref::Link>& links, const std::vector<ref::Flow>& flows,
                Sharing policy) {
  std::vector<LinkSpec> specs;
  for (const auto& l : links) specs.push_back({"l", BytesPerSec{l.capacity}, Seconds{l.latency}});
  Engine e;
  FlowNetwork net(e, specs, policy);
  std::vector<double> done(flows.size(), -1);
  for (std::size_t i = 0; i < flows.size(); ++i)
    e.schedule_at(Seconds{flows[i].start}, [&, i] {
      net.start(flows[i].route, Bytes{static_cast<std::uint64_t>(flows[i].bytes)},
                [&, i] { done[i] = e.now().v; });
    });
  e.run();
  return {done, e.events_processed(), net.recomputations()};
}

// General: 5 links of mixed capacity, routes of 1 to 3 distinct random links.
std::pair<std::vector<ref::Link>, std::vector<ref::Flow>> general(Rng& r) {
  std::vector<ref::Link> links;
  for (int l = 0; l < 5; ++l) links.push_back({1e6 * (1 + r.below(4)), r.below(2) * 1e-3 * r.unit()});
  std::vector<ref::Flow> flows;
  for (int f = 0; f < 12; ++f) {
    ref::Flow fl{r.below(3) == 0 ? 0.0 : 2 * r.unit(), {}, double(r.below(3000000))};
    const int hops = 1 + r.below(3);
    while (static_cast<int>(fl.route.size()) < hops) {
      const auto l = static_cast<std::uint32_t>(r.below(5));
      if (std::find(fl.route.begin(), fl.route.end(), l) == fl.route.end()) fl.route.push_back(l);
    }
    flows.push_back(fl);
  }
  return {links, flows};
}

// Star: 6 hosts with up 2h and down 2h + 1, mostly equal NICs; flows h -> g, often into host 0,
// so the fast paths and their hand-overs to the general case get exercised.
std::pair<std::vector<ref::Link>, std::vector<ref::Flow>> star(Rng& r) {
  std::vector<ref::Link> links;
  for (int l = 0; l < 12; ++l) links.push_back({r.below(5) == 0 ? 5e5 : 1e6, 1e-4});
  std::vector<ref::Flow> flows;
  for (int f = 0; f < 16; ++f) {
    const int from = r.below(6);
    int to = r.below(2) == 0 ? 0 : r.below(6);
    if (to == from) to = (from + 1) % 6;
    flows.push_back({r.unit(), {std::uint32_t(2 * from), std::uint32_t(2 * to + 1)},
                     double(1 + r.below(2000000))});
  }
  return {links, flows};
}

void compare(const std::vector<double>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("flow " << i);
    CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-9));
  }
}

}  // namespace

TEST_CASE("fair sharing matches the reference water-filling on random multi-link cases") {
  std::size_t recomputed = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    Rng r{seed};
    const auto [links, flows] = general(r);
    CAPTURE(seed);
    const Result got = simulate(links, flows, Sharing::fair);
    compare(got.times, ref::finish_times(links, flows));
    recomputed += got.recomputations;
  }
  CHECK(recomputed > 0);  // the general path ran
}

TEST_CASE("fair sharing matches the reference on random star traffic") {
  std::size_t recomputed = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    Rng r{seed * 7919};
    const auto [links, flows] = star(r);
    CAPTURE(seed);
    const Result got = simulate(links, flows, Sharing::fair);
    compare(got.times, ref::finish_times(links, flows));
    recomputed += got.recomputations;
  }
  // 200 scenarios x 16 flows x 2 (start, end): far fewer full recomputations than that.
  CHECK(recomputed < 200 * 16 * 2);
}

TEST_CASE("a run repeated gives identical times and event counts, bit for bit") {
  for (Sharing p : {Sharing::fair, Sharing::fifo}) {
    Rng r1{42}, r2{42};
    const auto [links, flows] = general(r1);
    const auto [links2, flows2] = general(r2);
    const Result a = simulate(links, flows, p);
    const Result b = simulate(links2, flows2, p);
    CHECK(a.times == b.times);
    CHECK(a.events == b.events);
    for (double t : a.times) CHECK(t >= 0);  // every flow completed, FIFO without deadlock
  }
}
