// Benchmark: time to load and infer each shipped network (the CLI loads several per run).
// Prints the median of 21 loads per network; run with `meson test -C build --benchmark`.
#include <algorithm>
#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "dlscale/network.hpp"

int main() {
  const auto data = dlscale::DataSource::embedded();
  for (const auto& name : dlscale::network_names(data)) {
    std::vector<double> ms;
    for (int i = 0; i < 21; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto net = dlscale::load_network(name, data);
      const std::chrono::duration<double, std::milli> dt = std::chrono::steady_clock::now() - t0;
      if (net.parameters() <= 0) return 1;
      ms.push_back(dt.count());
    }
    std::nth_element(ms.begin(), ms.begin() + 10, ms.end());
    fmt::print("load {:<18} median {:.3f} ms\n", name, ms[10]);
  }
}
