// The measurements on loopback: structure and invariants only, never bandwidth thresholds.
#include <doctest/doctest.h>

#include "calibrate/tcp/measure.hpp"
#include "calibrate/tcp/server.hpp"
#include "calibrate/tcp/service.hpp"
#include "tcp_test_util.hpp"

using namespace dlscale::tcp;
using dlscale::Seconds;

namespace {

Endpoint endpoint_of(const Server& s) { return {"127.0.0.1", s.port(), s.token(), {}}; }

}  // namespace

TEST_CASE("sweep sizes double from the minimum and end exactly at the maximum") {
  CHECK(sweep_sizes(1024, 5000) == std::vector<std::uint64_t>{1024, 2048, 4096, 5000});
  CHECK(sweep_sizes(1024, 4096) == std::vector<std::uint64_t>{1024, 2048, 4096});
  CHECK(sweep_sizes(1024, 1024) == std::vector<std::uint64_t>{1024});
}

TEST_CASE("spread: median of odd and even counts, min and max") {
  const auto a = spread_of({3, 1, 2});
  CHECK(a.median.v == 2);
  CHECK(a.min.v == 1);
  CHECK(a.max.v == 3);
  CHECK(spread_of({4, 1, 2, 3}).median.v == 2.5);
}

TEST_CASE("Jain's index is 1 for equal shares and 1/n when one client takes everything") {
  const std::vector<double> equal{5, 5, 5, 5}, one{8, 0, 0, 0};
  CHECK(jain_index(equal) == doctest::Approx(1.0));
  CHECK(jain_index(one) == doctest::Approx(0.25));
}

TEST_CASE("a quick loopback sweep lists growing sizes up to 1 MiB and fits a link") {
  Server server({}, serve_measurements);
  SweepOptions o;
  o.max_bytes = 1 << 20;
  o.budget = Seconds{30};  // generous: the point is the sizes, not the budget
  o.repeats = {1, 3};
  int progress_calls = 0;
  o.progress = [&](const SizeTiming&) { ++progress_calls; };
  const auto sweep = sweep_one_way(endpoint_of(server), o);
  REQUIRE(sweep.sizes.size() == 11);  // 1 KiB .. 1 MiB
  CHECK_FALSE(sweep.budget_spent);
  CHECK(progress_calls == 11);
  CHECK(sweep.sizes.front().bytes.v == 1024);
  CHECK(sweep.sizes.back().bytes.v == 1 << 20);
  for (std::size_t i = 1; i < sweep.sizes.size(); ++i)
    CHECK(sweep.sizes[i].bytes > sweep.sizes[i - 1].bytes);
  for (const auto& s : sweep.sizes) {
    CHECK(s.time.min <= s.time.median);
    CHECK(s.time.median <= s.time.max);
    CHECK(s.time.min.v > 0);
  }
  const auto fit = fit_sweep(sweep);
  REQUIRE_MESSAGE(fit.fit.has_value(), fit.failure);
  CHECK(fit.fit->link.beta.v > 0);
  CHECK(fit.fit->relative_residuals.size() == sweep.sizes.size());
  const auto large = fit_sweep(sweep, 4096);  // 4 KiB .. 1 MiB: 9 sizes
  REQUIRE_MESSAGE(large.fit.has_value(), large.failure);
  CHECK(large.fit->relative_residuals.size() == 9);
  const auto none = fit_sweep(sweep, 2 << 20);  // no size left: a reason, not an exception
  CHECK_FALSE(none.fit.has_value());
  CHECK_FALSE(none.failure.empty());
  CHECK(server.stats().dropped() == 0);
}

TEST_CASE("a spent budget stops the sweep after the two sizes a fit needs") {
  Server server({}, serve_measurements);
  SweepOptions o;
  o.max_bytes = 64 << 20;
  o.budget = Seconds{1e-9};
  o.repeats = {0, 1};
  const auto sweep = sweep_one_way(endpoint_of(server), o);
  CHECK(sweep.sizes.size() == 2);
  CHECK(sweep.budget_spent);
}

TEST_CASE("duplex reports both directions, together and alone") {
  Server server({}, serve_measurements);
  const auto d = measure_duplex(endpoint_of(server), 256 << 10, {1, 3});
  CHECK(d.bytes.v == 256 << 10);
  for (const auto& s : {d.up, d.down, d.up_alone, d.down_alone}) {
    CHECK(s.min.v > 0);
    CHECK(s.min <= s.median);
  }
  CHECK(testing::eventually([&] { return server.stats().finished == 2; }));  // both said bye
}

TEST_CASE("fan-in reports every client, an index in (0, 1] and a sharing verdict") {
  Server server({}, serve_measurements);
  const auto f = measure_fan_in(endpoint_of(server), 3, 256 << 10, {1, 3});
  CHECK(f.clients == 3);
  REQUIRE(f.client_bandwidth.size() == 3);
  for (double b : f.client_bandwidth) CHECK(b > 0);
  CHECK(f.jain_index > 0);
  CHECK(f.jain_index <= 1.0 + 1e-12);
  CHECK(f.finish_ratio > 0);
  CHECK(f.finish_ratio <= 1.0);
  CHECK((f.sharing == "fair" || f.sharing == "fifo"));
  CHECK(f.aggregate_bandwidth > 0);
}

TEST_CASE("a stream sends whole frames for the duration and counts what it timed") {
  Server server({}, serve_measurements);
  const auto s = measure_stream(endpoint_of(server), 64 << 10, Seconds{0.2}, 4);
  CHECK(s.chunk.v == 64u << 10);
  CHECK(s.window == 4);
  CHECK(s.frames >= 1);
  CHECK(s.bytes.v == s.frames * (64u << 10));
  // It streams for the duration, then waits for the last acks: never shorter.
  CHECK(s.elapsed.v >= 0.2);
  CHECK(s.bandwidth() == doctest::Approx(double(s.bytes.v) / s.elapsed.v));
  // Every frame was acknowledged: the server has nothing left to say and serves the next.
  const auto again = measure_stream(endpoint_of(server), 4096, Seconds{0.05}, 1);
  CHECK(again.frames >= 1);
}
