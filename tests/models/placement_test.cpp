// Algorithm 3.7 (model order) and largest-first placement on hand-made tensor lists.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "dlscale/models/placement.hpp"

using namespace dlscale::models;
using doctest::Approx;
using V = std::vector<std::uint64_t>;

TEST_CASE("algorithm 3.7 assigns in model order to the least-loaded unit") {
  // sizes 6 1 1 1 5 2 on 3 units, loads after each step:
  //   6->u0 (6,0,0)  1->u1 (6,1,0)  1->u2 (6,1,1)  1->u1 tie 1/1 lowest index (6,2,1)
  //   5->u2 (6,2,6)  2->u1 (6,4,6);  f_max = 6/16 = 0.375
  const V sizes{6, 1, 1, 1, 5, 2};
  const auto p = place_model_order(sizes, 3);
  CHECK(p.unit_of == std::vector<int>{0, 1, 2, 1, 2, 1});
  CHECK(p.loads == V{6, 4, 6});
  CHECK(p.f_max == Approx(0.375));
}

TEST_CASE("largest first beats model order on 1 1 2 4 over 2 units") {
  // model order: 1->u0, 1->u1, 2->u0 (3,1), 4->u1 (3,5): f_max = 5/8 = 0.625
  // LPT visits 4,2,1,1: 4->u0, 2->u1, 1->u1 (4,3), 1->u1 (4,4): f_max = 4/8 = 0.5
  const V sizes{1, 1, 2, 4};
  const auto model = place_model_order(sizes, 2);
  CHECK(model.unit_of == std::vector<int>{0, 1, 0, 1});
  CHECK(model.loads == V{3, 5});
  CHECK(model.f_max == Approx(0.625));
  const auto lpt = place_largest_first(sizes, 2);
  CHECK(lpt.unit_of == std::vector<int>{1, 1, 1, 0});
  CHECK(lpt.loads == V{4, 4});
  CHECK(lpt.f_max == Approx(0.5));
  CHECK(largest_first_order(sizes) == std::vector<std::size_t>{3, 2, 0, 1});
}

TEST_CASE("LPT is never worse than model order on the hand-made lists") {
  for (const V& sizes : {V{6, 1, 1, 1, 5, 2}, V{1, 1, 2, 4}, V{3, 3, 2, 2, 2}, V{9, 1, 1, 8}})
    for (int n = 1; n <= 6; ++n)
      CHECK(place_largest_first(sizes, n).f_max <= place_model_order(sizes, n).f_max + 1e-15);
}

TEST_CASE("equal tensors give f_max = 1/N, which makes the placed form equal 4.12") {
  // 4 tensors of 10 B on 4 units: each unit holds 10 of 40 -> 1/4
  CHECK(place_model_order(V{10, 10, 10, 10}, 4).f_max == Approx(0.25));
  CHECK(place_model_order(V{10, 10, 10, 10}, 2).f_max == Approx(0.5));
}

TEST_CASE("more units than tensors: the largest tensor alone decides") {
  // 1 1 2 4 on 6 units: every tensor gets its own unit, f_max = 4/8 = 0.5; units 4, 5 empty
  const auto p = place_model_order(V{1, 1, 2, 4}, 6);
  CHECK(p.loads == V{1, 1, 2, 4, 0, 0});
  CHECK(p.f_max == Approx(0.5));
}

TEST_CASE("PlacementShares agrees with the full placement for every N") {
  const V sizes{7, 3, 3, 12, 1, 5, 5, 2, 9};
  const PlacementShares model(sizes, false), lpt(sizes, true);
  CHECK(model.total() == 47);  // 7+3+3+12+1+5+5+2+9
  for (int n = 1; n <= 20; ++n) {
    CAPTURE(n);
    CHECK(model.f_max(n) == Approx(place_model_order(sizes, n).f_max));
    CHECK(lpt.f_max(n) == Approx(place_largest_first(sizes, n).f_max));
  }
  CHECK(model.f_max(1) == Approx(1.0));           // one unit holds everything
  CHECK(model.f_max(100) == Approx(12.0 / 47.0)); // N >= T: the largest tensor
}
