#include "dlscale/sim/flows.hpp"

#include <vector>

#include <doctest/doctest.h>

#include "dlscale/error.hpp"

using namespace dlscale;
using namespace dlscale::sim;

namespace {

LinkSpec link(double capacity, double latency = 0) {
  return {"l", BytesPerSec{capacity}, Seconds{latency}};
}

// A star: host h has up link 2h and down link 2h + 1, all of capacity c; h -> g crosses
// {2h, 2g + 1}.
std::vector<LinkSpec> star(int hosts, double c) { return std::vector<LinkSpec>(2 * hosts, link(c)); }
std::vector<LinkId> path(int from, int to) {
  return {static_cast<LinkId>(2 * from), static_cast<LinkId>(2 * to + 1)};
}

}  // namespace

TEST_CASE("fair: N equal flows into one port all end at N B / C") {
  // 4 workers send B = 1e6 bytes to host 0 over down port C = 1e6 B/s; each gets C / 4 for
  // the whole transfer, so all end at 4 B / C = 4 s.
  Engine e;
  FlowNetwork net(e, star(5, 1e6), Sharing::fair);
  std::vector<double> done;
  for (int w = 1; w <= 4; ++w) net.start(path(w, 0), Bytes{1'000'000}, [&] { done.push_back(e.now().v); });
  e.run();
  REQUIRE(done.size() == 4);
  for (double t : done) CHECK(t == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(net.recomputations() == 0);  // fast path (b): one shared port, narrowest on every route
  CHECK(net.flows_in_progress() == 0);
}

TEST_CASE("fair: a flow starting halfway shares from then on") {
  // C = 1e6 B/s, A = 2e6 B at t = 0, B = 2e6 B at t = 1. Alone, A sends 1e6 B by t = 1; then
  // both get 0.5e6 B/s, so A's last 1e6 B take 2 s: A ends at 3. By then B sent 1e6 B; alone
  // again at 1e6 B/s it ends at 4.
  Engine e;
  FlowNetwork net(e, {link(1e6)}, Sharing::fair);
  const LinkId only[] = {0};
  double a = 0, b = 0;
  net.start(only, Bytes{2'000'000}, [&] { a = e.now().v; });
  e.schedule_at(Seconds{1}, [&] { net.start(only, Bytes{2'000'000}, [&] { b = e.now().v; }); });
  e.run();
  CHECK(a == doctest::Approx(3.0).epsilon(1e-12));
  CHECK(b == doctest::Approx(4.0).epsilon(1e-12));
}

TEST_CASE("fair: a flow capped by its own slow link leaves the rest to the others") {
  // Port 0 of 1e6 B/s; flow A also crosses link 1 of 1e5 B/s, B and C only port 0. Max-min:
  // A gets 1e5, B and C (1e6 - 1e5) / 2 = 4.5e5 each. With 9e5 B each, B and C end at 2 s;
  // A has sent 2e5 B by then, and its last 7e5 B at 1e5 B/s take 7 s more: A ends at 9 s.
  Engine e;
  FlowNetwork net(e, {link(1e6), link(1e5)}, Sharing::fair);
  const LinkId slow[] = {0, 1}, port[] = {0};
  double a = 0, b = 0, c = 0;
  net.start(slow, Bytes{900'000}, [&] { a = e.now().v; });
  net.start(port, Bytes{900'000}, [&] { b = e.now().v; });
  net.start(port, Bytes{900'000}, [&] { c = e.now().v; });
  e.run();
  CHECK(b == doctest::Approx(2.0).epsilon(1e-12));
  CHECK(c == doctest::Approx(2.0).epsilon(1e-12));
  CHECK(a == doctest::Approx(9.0).epsilon(1e-12));
  CHECK(net.recomputations() > 0);  // A is not bottlenecked at the shared port
}

TEST_CASE("fifo: N flows into one port end at B/C, 2B/C, ..., N B/C") {
  // The access semaphore: the port serves one flow at a time at full rate, in start order.
  Engine e;
  FlowNetwork net(e, star(5, 1e6), Sharing::fifo);
  std::vector<std::pair<int, double>> done;
  for (int w = 1; w <= 4; ++w)
    net.start(path(w, 0), Bytes{500'000}, [&, w] { done.emplace_back(w, e.now().v); });
  e.run();
  REQUIRE(done.size() == 4);
  for (int k = 0; k < 4; ++k) {
    CHECK(done[std::size_t(k)].first == k + 1);
    CHECK(done[std::size_t(k)].second == doctest::Approx(0.5 * (k + 1)).epsilon(1e-12));
  }
}

TEST_CASE("fifo: a flow waits for all its links, strictly in per-link arrival order") {
  // Links 0, 1, 2 of 1e6 B/s; flows of 1e6 B (1 s each). X {0,1} at 0 sends 0..1. Y {1,2} at
  // 0.1 heads link 2 but waits for link 1: sends 1..2. Z {2} at 0.2 queues behind Y on link 2
  // (head-of-line, though link 2 idles until 1): sends 2..3.
  Engine e;
  FlowNetwork net(e, {link(1e6), link(1e6), link(1e6)}, Sharing::fifo);
  const LinkId rx[] = {0, 1}, ry[] = {1, 2}, rz[] = {2};
  double x = 0, y = 0, z = 0;
  net.start(rx, Bytes{1'000'000}, [&] { x = e.now().v; });
  e.schedule_at(Seconds{0.1}, [&] { net.start(ry, Bytes{1'000'000}, [&] { y = e.now().v; }); });
  e.schedule_at(Seconds{0.2}, [&] { net.start(rz, Bytes{1'000'000}, [&] { z = e.now().v; }); });
  e.run();
  CHECK(x == doctest::Approx(1.0));
  CHECK(y == doctest::Approx(2.0));
  CHECK(z == doctest::Approx(3.0));
}

TEST_CASE("latencies of the route add, then the narrowest link sets the rate") {
  // Latencies 1, 2, 3 ms: 6 ms wait; 1e6 B at min(1e6, 5e5, 2e6) = 5e5 B/s take 2 s.
  for (Sharing p : {Sharing::fair, Sharing::fifo}) {
    Engine e;
    FlowNetwork net(e, {link(1e6, 1e-3), link(5e5, 2e-3), link(2e6, 3e-3)}, p);
    const LinkId r[] = {0, 1, 2};
    double t = 0;
    net.start(r, Bytes{1'000'000}, [&] { t = e.now().v; });
    CHECK(net.flows_in_progress() == 1);
    e.run();
    CHECK(t == doctest::Approx(2.006).epsilon(1e-12));
  }
}

TEST_CASE("full duplex: a flow up and a flow down one NIC do not share") {
  // 0 -> 1 crosses {0.up, 1.down}, 1 -> 0 crosses {1.up, 0.down}: disjoint, so each runs at
  // C = 1e6 B/s and 1e6 B end at 1 s, under both policies.
  for (Sharing p : {Sharing::fair, Sharing::fifo}) {
    Engine e;
    FlowNetwork net(e, star(2, 1e6), p);
    double a = 0, b = 0;
    net.start(path(0, 1), Bytes{1'000'000}, [&] { a = e.now().v; });
    net.start(path(1, 0), Bytes{1'000'000}, [&] { b = e.now().v; });
    e.run();
    CHECK(a == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(b == doctest::Approx(1.0).epsilon(1e-12));
  }
}

TEST_CASE("usage: bytes carried and busy time per link") {
  // Two 1e6 B flows into host 0's down port (link 1) at C = 1e6 B/s, fair: both end at 2 s.
  // Port 1 carried 2e6 B and was busy 0..2; each up link carried 1e6 B and was busy 0..2
  // (its flow sent at C / 2 throughout); host 0's up link (0) carried nothing.
  Engine e;
  FlowNetwork net(e, star(3, 1e6), Sharing::fair);
  net.start(path(1, 0), Bytes{1'000'000}, {});
  net.start(path(2, 0), Bytes{1'000'000}, {});
  e.run_until(Seconds{1});
  CHECK(net.usage(1).busy.v == doctest::Approx(1.0));  // still open at t = 1
  e.run();
  CHECK(net.usage(1).carried.v == 2'000'000);
  CHECK(net.usage(1).busy.v == doctest::Approx(2.0));
  CHECK(net.usage(2).carried.v == 1'000'000);
  CHECK(net.usage(2).busy.v == doctest::Approx(2.0));
  CHECK(net.usage(0).carried.v == 0);
  CHECK(net.usage(0).busy.v == 0.0);
}

TEST_CASE("a zero-byte flow completes after its latency and occupies nothing") {
  Engine e;
  FlowNetwork net(e, {link(1e6, 0.25)}, Sharing::fair);
  const LinkId r[] = {0};
  double t = -1;
  net.start(r, Bytes{0}, [&] { t = e.now().v; });
  e.run();
  CHECK(t == 0.25);
  CHECK(net.usage(0).busy.v == 0.0);
}

TEST_CASE("bad input is a ConfigError") {
  Engine e;
  CHECK_THROWS_AS(FlowNetwork(e, {link(0)}, Sharing::fair), ConfigError);
  CHECK_THROWS_AS(FlowNetwork(e, {link(-1e6)}, Sharing::fifo), ConfigError);
  CHECK_THROWS_AS(FlowNetwork(e, {link(1e6, -1e-6)}, Sharing::fair), ConfigError);
  FlowNetwork net(e, {link(1e6), link(1e6)}, Sharing::fair);
  const LinkId unknown[] = {0, 2}, twice[] = {1, 1};
  CHECK_THROWS_AS(net.start(unknown, Bytes{1}, {}), ConfigError);
  CHECK_THROWS_AS(net.start(twice, Bytes{1}, {}), ConfigError);
  CHECK_THROWS_AS(net.start(std::span<const LinkId>{}, Bytes{1}, {}), ConfigError);
  CHECK(net.flows_in_progress() == 0);
}

TEST_CASE("a synchronous central-server round lands on the thesis's 2 N t_c under both policies") {
  // N = 8 workers, B = 1e6 B, C = 1e6 B/s so t_c = 1 s. Fair: all 8 uploads share the server's
  // down port and end together at N t_c = 8 s; the 8 downloads share its up port: 8 s more.
  // FIFO: uploads end at 1..8 s, downloads (started at 8 s) at 9..16 s. Both: 2 N t_c = 16 s,
  // the worst case of eq. 4.7 - 4.9 (t_g = 0), as a round without pipelining must be.
  for (Sharing p : {Sharing::fair, Sharing::fifo}) {
    Engine e;
    FlowNetwork net(e, star(9, 1e6), p);  // host 0 is the server
    int pending = 8;
    double end = 0;
    for (int w = 1; w <= 8; ++w)
      net.start(path(w, 0), Bytes{1'000'000}, [&] {
        if (--pending > 0) return;
        for (int v = 1; v <= 8; ++v)
          net.start(path(0, v), Bytes{1'000'000}, [&] { end = e.now().v; });
      });
    e.run();
    CHECK(end == doctest::Approx(16.0).epsilon(1e-12));
    CHECK(net.usage(1).carried.v == 8'000'000);  // server down port carried all uploads
  }
}
