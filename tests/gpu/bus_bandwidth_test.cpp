// nccl-tests' bandwidth conventions without a GPU: bus factors, element counts per collective,
// the size sweep and collective names.
#include <doctest/doctest.h>

#include "calibrate/nccl/bus_bandwidth.hpp"

using namespace dlscale::calib;

TEST_CASE("bus factors are nccl-tests' (doc/PERFORMANCE.md)") {
  CHECK(bus_factor(Collective::all_reduce, 1) == doctest::Approx(0.0));
  CHECK(bus_factor(Collective::all_reduce, 2) == doctest::Approx(1.0));
  CHECK(bus_factor(Collective::all_reduce, 4) == doctest::Approx(1.5));
  CHECK(bus_factor(Collective::all_reduce, 8) == doctest::Approx(1.75));
  CHECK(bus_factor(Collective::all_gather, 4) == doctest::Approx(0.75));
  CHECK(bus_factor(Collective::reduce_scatter, 8) == doctest::Approx(0.875));
  for (int n : {1, 2, 8}) {
    CHECK(bus_factor(Collective::broadcast, n) == 1.0);
    CHECK(bus_factor(Collective::reduce, n) == 1.0);
    CHECK(bus_factor(Collective::send_recv, n) == 1.0);
  }
}

TEST_CASE("algbw is size over time, busbw scales it") {
  CHECK(alg_bandwidth(1e9, 0.5) == doctest::Approx(2e9));
  // 8 ranks all-reducing 1 GB in 0.1 s: algbw 10 GB/s, busbw 17.5 GB/s
  CHECK(bus_bandwidth(Collective::all_reduce, 8, 1e9, 0.1) == doctest::Approx(17.5e9));
  CHECK(bus_bandwidth(Collective::all_gather, 4, 1e9, 0.1) == doctest::Approx(7.5e9));
  CHECK(bus_bandwidth(Collective::send_recv, 4, 1e9, 0.1) == doctest::Approx(10e9));
}

TEST_CASE("element counts follow nccl-tests' size convention") {
  const auto ar = counts_for(Collective::all_reduce, 4096, 4, 4);
  CHECK(ar.send_elements == 1024);
  CHECK(ar.recv_elements == 1024);
  CHECK(ar.size_bytes == 4096);
  // all-gather: size is the gathered output; each rank sends a quarter
  const auto ag = counts_for(Collective::all_gather, 4096, 4, 4);
  CHECK(ag.send_elements == 256);
  CHECK(ag.recv_elements == 1024);
  CHECK(ag.size_bytes == 4096);
  // reduce-scatter: size is the input; each rank keeps a quarter
  const auto rs = counts_for(Collective::reduce_scatter, 4096, 4, 4);
  CHECK(rs.send_elements == 1024);
  CHECK(rs.recv_elements == 256);
  // rounded down to whole elements per rank: 1000 B over 3 ranks -> 83 floats each, 996 B
  const auto ag3 = counts_for(Collective::all_gather, 1000, 4, 3);
  CHECK(ag3.send_elements == 83);
  CHECK(ag3.size_bytes == 996);
  CHECK(counts_for(Collective::all_gather, 8, 4, 4).size_bytes == 0);  // too small: left out
  CHECK(counts_for(Collective::broadcast, 1026, 4, 2).size_bytes == 1024);
}

TEST_CASE("sizes double from the first to the maximum, which is always included") {
  CHECK(sweep_sizes(1024, 8192) == std::vector<std::uint64_t>{1024, 2048, 4096, 8192});
  CHECK(sweep_sizes(1024, 5000) == std::vector<std::uint64_t>{1024, 2048, 4096, 5000});
  CHECK(sweep_sizes(1024, 1024) == std::vector<std::uint64_t>{1024});
  CHECK(sweep_sizes(1024, 1000).empty());
}

TEST_CASE("collective names round-trip") {
  for (const auto c : all_collectives) CHECK(parse_collective(to_string(c)) == c);
  CHECK_FALSE(parse_collective("allreduce").has_value());
}
