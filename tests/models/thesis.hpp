#pragma once
// Table 6.1 of the thesis typed in as Scenarios (GTX 970, 1 Gbit/s Ethernet, D = 128).
#include <string>
#include <vector>

#include "dlscale/scenario.hpp"

namespace dlscale::test {

inline Scenario thesis(const std::string& name, double t_grad, double t_comm) {
  Scenario s;
  s.network = name;
  s.t_grad = Seconds{t_grad};
  s.t_comm = Seconds{t_comm};
  s.batches = 128;
  return s;
}
inline Scenario vgg16e() { return thesis("VGG16E", 0.719, 5.153); }
inline Scenario googlenet() { return thesis("GoogLeNet", 0.763, 0.210); }
inline Scenario squeezenet() { return thesis("SqueezeNet", 0.758, 0.033); }
inline Scenario resnet34() { return thesis("Resnet34", 0.821, 0.811); }
inline std::vector<Scenario> table_6_1() { return {vgg16e(), googlenet(), squeezenet(), resnet34()}; }

}  // namespace dlscale::test
