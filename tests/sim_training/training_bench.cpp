// Benchmark of the simulated training processes (issue targets on one core: (1) < 0.2 s,
// (2) < 3 s, (3) < 1 s, peak memory < 1 GiB). Prints wall time, events and events per second.
#include <sys/resource.h>

#include <chrono>

#include <fmt/format.h>

#include "dlscale/sim/training.hpp"
#include "thesis_squeezenet.hpp"

using namespace dlscale;

namespace {

void bench(const char* what, Scheme scheme, Mode mode, int workers, std::int64_t batches) {
  Scenario s = test::squeezenet_with_bytes();
  s.batches = batches;
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = sim::simulate(s, scheme, mode, workers);
  const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
  fmt::print("{:<48} wall {:.3f} s, {} events, {:.1f} M events/s, simulated {:.1f} s\n", what,
             dt.count(), r.events, static_cast<double>(r.events) / dt.count() / 1e6, r.t_train.v);
}

}  // namespace

int main() {
  bench("(1) central sync, fair, N=1024, 100 iterations", Scheme::central, Mode::sync_join, 1024,
        100 * 1024);
  bench("(2) ring, N=1024, 10 iterations", Scheme::ring, Mode::sync_join, 1024, 10 * 1024);
  bench("(3) central async, fair, N=256, D=100000", Scheme::central, Mode::async, 256, 100'000);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  fmt::print("peak memory {:.1f} MiB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
}
