#pragma once
// Thesis table 6.1, SqueezeNet, with its weight size (256 classes, fp32): t_g = 0.758 s,
// t_c = 0.033 s, 866,752 weights = 3,467,008 B, D = 128 batches.
#include "dlscale/scenario.hpp"

namespace dlscale::test {

inline Scenario squeezenet_with_bytes() {
  Scenario s;
  s.network = "SqueezeNet";
  s.t_grad = Seconds{0.758};
  s.t_comm = Seconds{0.033};
  s.weight_bytes = Bytes{3'467'008};
  s.batches = 128;
  return s;
}

}  // namespace dlscale::test
