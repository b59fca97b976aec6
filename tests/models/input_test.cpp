// Bad input: worker ranges, Scenario values, scheme and mode names. Each message is exact.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "dlscale/error.hpp"
#include "dlscale/predict.hpp"
#include "thesis.hpp"

using namespace dlscale;

TEST_CASE("parse_worker_range accepts the four forms") {
  CHECK(parse_worker_range("8").values() == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8});
  const auto big = parse_worker_range("1:4096").values();
  CHECK(big.size() == 4096);
  CHECK(big.back() == 4096);
  const auto stepped = parse_worker_range("2:64:2").values();
  CHECK(stepped.size() == 32);  // 2, 4, ..., 64
  CHECK(stepped.back() == 64);
  CHECK(parse_worker_range("1:1024:x2").values().size() == 11);  // 2^0 .. 2^10
  CHECK(parse_worker_range("3:10:x2").values() == std::vector<int>{3, 6});
  CHECK(parse_worker_range("1:6:4").values() == std::vector<int>{1, 5});
}

TEST_CASE("parse_worker_range rejects bad input with exact messages") {
  const char* range = "an integer in [1, 1000000] expected";
  CHECK_THROWS_WITH_AS(parse_worker_range("0"),
                       (std::string("workers: last: 0 is out of range; ") + range).c_str(),
                       ConfigError);
  CHECK_THROWS_WITH_AS(parse_worker_range("abc"),
                       (std::string("workers: last: 'abc' is not an integer; ") + range).c_str(),
                       ConfigError);
  CHECK_THROWS_WITH_AS(parse_worker_range("8:2"),
                       "workers '8:2': first 8 > last 2; first <= last expected", ConfigError);
  CHECK_THROWS_WITH_AS(parse_worker_range("1:2000000"),
                       (std::string("workers: last: 2000000 is out of range; ") + range).c_str(),
                       ConfigError);
  CHECK_THROWS_WITH_AS(parse_worker_range("8x"),
                       (std::string("workers: last: '8x' is not an integer; ") + range).c_str(),
                       ConfigError);
  CHECK_THROWS_WITH_AS(parse_worker_range("1:8:"),
                       (std::string("workers: step: '' is not an integer; ") + range).c_str(),
                       ConfigError);
  CHECK_THROWS_WITH_AS(parse_worker_range("1:2:3:4"),
                       "workers '1:2:3:4': 4 fields; N, FIRST:LAST, FIRST:LAST:STEP or "
                       "FIRST:LAST:x2 expected",
                       ConfigError);
  CHECK_THROWS_WITH_AS(parse_worker_range("-3:8"),
                       (std::string("workers: first: -3 is out of range; ") + range).c_str(),
                       ConfigError);
}

TEST_CASE("predict rejects worker counts outside [1, 1000000]") {
  CHECK_THROWS_WITH_AS(predict(test::squeezenet(), Scheme::central, Mode::sync_join, 0),
                       "workers = 0; an integer in [1, 1000000] expected", ConfigError);
  WorkerRange r;
  r.step = 0;  // would never end
  CHECK_THROWS_WITH_AS(sweep(test::squeezenet(), all_schemes(), all_modes(), r),
                       "workers 1:8:0: 1 <= first <= last <= 1000000 and step >= 1 expected",
                       ConfigError);
}

TEST_CASE("Scenario validation names the field") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  Scenario s = test::squeezenet();
  const auto run = [&] { return predict(s, Scheme::central, Mode::sync_join, 2); };
  SUBCASE("t_grad 0") {
    s.t_grad = Seconds{0};
    CHECK_THROWS_WITH_AS(run(), "scenario 'SqueezeNet': t_grad = 0 s; a finite number > 0 [s] "
                                "expected", ConfigError);
  }
  SUBCASE("t_grad NaN") {
    s.t_grad = Seconds{nan};
    CHECK_THROWS_WITH_AS(run(), "scenario 'SqueezeNet': t_grad = nan s; a finite number > 0 [s] "
                                "expected", ConfigError);
  }
  SUBCASE("t_comm negative") {
    s.t_comm = Seconds{-1};
    CHECK_THROWS_WITH_AS(run(), "scenario 'SqueezeNet': t_comm = -1 s; a finite number > 0 [s] "
                                "expected", ConfigError);
  }
  SUBCASE("t_comm inf") {
    s.t_comm = Seconds{inf};
    CHECK_THROWS_WITH_AS(run(), "scenario 'SqueezeNet': t_comm = inf s; a finite number > 0 [s] "
                                "expected", ConfigError);
  }
  SUBCASE("D = 0") {
    s.batches = 0;
    CHECK_THROWS_WITH_AS(run(), "scenario 'SqueezeNet': batches D = 0; an integer >= 1 expected",
                         ConfigError);
  }
  SUBCASE("bad link beta") {
    s.link = LinkModel{Seconds{0}, BytesPerSec{0}};
    CHECK_THROWS_WITH_AS(run(), "scenario 'SqueezeNet': link beta = 0 B/s; a finite number > 0 "
                                "[B/s] expected", ConfigError);
  }
  SUBCASE("all tensors empty") {
    s.tensor_bytes = {0, 0};
    CHECK_THROWS_WITH_AS(run(), "scenario 'SqueezeNet': tensor_bytes: all 2 tensors are 0 bytes; "
                                "at least one > 0 expected", ConfigError);
  }
  SUBCASE("measured split t_grad <= 0") {
    s.t_grad_by_batch = {{32, Seconds{0}}};
    CHECK_THROWS_WITH_AS(run(), "scenario 'SqueezeNet': t_grad_by_batch[32] = 0 s; a finite "
                                "number > 0 [s] expected", ConfigError);
  }
  SUBCASE("sweep validates too") {
    s.t_grad = Seconds{-0.5};
    CHECK_THROWS_AS(sweep(s, all_schemes(), all_modes(), parse_worker_range("4")), ConfigError);
  }
}

TEST_CASE("scheme and mode names round-trip and reject unknown names") {
  for (const Scheme s : all_schemes()) CHECK(parse_scheme(to_string(s)) == s);
  for (const Mode m : all_modes()) CHECK(parse_mode(to_string(m)) == m);
  CHECK(parse_scheme("distributed") == Scheme::sharded);
  CHECK(parse_scheme("Sharded_LPT") == Scheme::sharded_lpt);
  CHECK(parse_mode("join") == Mode::sync_join);
  CHECK_THROWS_WITH_AS(parse_scheme("star"),
                       "scheme 'star': unknown; one of central, central-semaphore, sharded (or "
                       "distributed), sharded-placed, sharded-lpt, ring, tree, hierarchical",
                       ConfigError);
  CHECK_THROWS_WITH_AS(parse_mode("sync"),
                       "mode 'sync': unknown; one of sync-join (or join), sync-split (or split), "
                       "async",
                       ConfigError);
}
