// Times sweep() over workers 1:4096, all schemes and modes, for four scenarios with tensor
// lists (so the placed schemes run their placement), each also on a described cluster (8 GPUs
// per node on a 25 Gbit/s NIC, servers one per node: the cluster forms, with hierarchical).
// Prints the median of 9 runs.
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

Scenario on_cluster(Scenario s) {
  s.network += "+8x25G";
  for (const auto b : s.tensor_bytes) s.weight_bytes.v += b;
  Cluster c;
  c.workers_per_node = 8;
  c.nic = LinkModel{Seconds{5e-6}, BytesPerSec{25e9 / 8}};
  c.intra = LinkModel{Seconds{1e-6}, BytesPerSec{150e9}};
  s.cluster = c;
  s.t_comm = c.nic->time(s.weight_bytes);
  return s;
}

}  // namespace

int main() {
  std::vector<Scenario> scenarios{make("VGG16E", 0.719, 5.153, 32),
                                 make("GoogLeNet", 0.763, 0.210, 116),
                                 make("SqueezeNet", 0.758, 0.033, 52),
                                 make("Resnet34", 0.821, 0.811, 218)};
  for (std::size_t i = 0, n = scenarios.size(); i < n; ++i) scenarios.push_back(on_cluster(scenarios[i]));
  const WorkerRange range = parse_worker_range("1:4096");
  for (const Scenario& s : scenarios) {
    std::vector<Scheme> schemes = all_schemes();
    if (s.cluster) schemes.push_back(Scheme::hierarchical);
    std::vector<double> kept, streamed;
    std::size_t rows = 0;
    for (int run = 0; run < 9; ++run) {
      const auto t0 = std::chrono::steady_clock::now();
      rows = sweep(s, schemes, all_modes(), range).size();
      const auto t1 = std::chrono::steady_clock::now();
      double sum = 0;  // consumed, so the rows cannot be optimised away
      sweep_each(s, schemes, all_modes(), range, [&sum](const Prediction& p) { sum += p.speedup; });
      const auto t2 = std::chrono::steady_clock::now();
      if (!(sum > 0)) return 1;
      kept.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      streamed.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    std::nth_element(kept.begin(), kept.begin() + 4, kept.end());
    std::nth_element(streamed.begin(), streamed.begin() + 4, streamed.end());
    fmt::print("sweep {:<17} 1:4096 x {} pairs = {} rows, {} tensors: median {:.2f} ms kept "
               "(sweep), {:.2f} ms streamed (sweep_each)\n", s.network, rows / 4096, rows,
               s.tensor_bytes.size(), kept[4], streamed[4]);
  }
  return 0;
}
