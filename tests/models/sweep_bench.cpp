// Times sweep() over workers 1:4096, all schemes and modes, for four scenarios with tensor
// lists (so the placed schemes run their placement). Prints the median of 9 runs.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "dlscale/predict.hpp"

using namespace dlscale;

namespace {

// A tensor list of `count` tensors with a few large ones, like conv nets with FC heads.
std::vector<std::uint64_t> tensors(int count, std::uint64_t seed) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < count; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    out.push_back(1'000 + (seed >> 40) % 2'000'000 + (i % 16 == 15 ? 100'000'000 : 0));
  }
  return out;
}

Scenario make(const char* name, double t_grad, double t_comm, int count) {
  Scenario s;
  s.network = name;
  s.t_grad = Seconds{t_grad};
  s.t_comm = Seconds{t_comm};
  s.tensor_bytes = tensors(count, static_cast<std::uint64_t>(count));
  return s;
}

}  // namespace

int main() {
  const Scenario scenarios[] = {make("VGG16E", 0.719, 5.153, 32), make("GoogLeNet", 0.763, 0.210, 116),
                                make("SqueezeNet", 0.758, 0.033, 52),
                                make("Resnet34", 0.821, 0.811, 218)};
  const WorkerRange range = parse_worker_range("1:4096");
  for (const Scenario& s : scenarios) {
    std::vector<double> ms;
    std::size_t rows = 0;
    for (int run = 0; run < 9; ++run) {
      const auto t0 = std::chrono::steady_clock::now();
      rows = sweep(s, all_schemes(), all_modes(), range).size();
      const auto t1 = std::chrono::steady_clock::now();
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::nth_element(ms.begin(), ms.begin() + 4, ms.end());
    fmt::print("sweep {:<10} 1:4096 x 17 pairs = {} rows, {} tensors: median {:.2f} ms\n",
               s.network, rows, s.tensor_bytes.size(), ms[4]);
  }
  return 0;
}
