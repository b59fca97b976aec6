// Times the engine and the fair flow model on the two patterns of the simulator issue:
// (1) synchronous central server: N = 1024 workers send B up to one server port, then get B
//     back, 100 rounds; (2) ring all-reduce on a star: N = 1024 hosts, 10 iterations of
//     2 (N - 1) steps, each host sending a chunk to its right neighbour per step.
// Also a trivial-action engine loop. Prints wall time, events, events/s and peak memory.
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "dlscale/sim/flows.hpp"

using namespace dlscale;
using namespace dlscale::sim;

namespace {

constexpr int hosts = 1024;
constexpr double nic = 1.25e9;      // 10 Gb/s per direction [B/s]
constexpr double latency = 2.5e-6;  // per link [s]

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Host h: up link 2h, down link 2h + 1.
std::vector<LinkSpec> star(int n) {
  std::vector<LinkSpec> links;
  for (int h = 0; h < n; ++h) {
    links.push_back({fmt::format("host{}.up", h), BytesPerSec{nic}, Seconds{latency}});
    links.push_back({fmt::format("host{}.down", h), BytesPerSec{nic}, Seconds{latency}});
  }
  return links;
}

void report(const char* name, double wall, const Engine& e, double sim_end) {
  fmt::print("{:<28} wall {:8.3f} s  events {:>11}  {:6.2f} M events/s  simulated {:.4f} s\n",
             name, wall, e.events_processed(), e.events_processed() / wall / 1e6, sim_end);
}

void trivial_events() {
  Engine e;
  constexpr int chains = 1024, per_chain = 20'000;
  struct Tick {
    Engine* e;
    int left;
    void operator()() const {
      if (left > 0) e->schedule_after(Seconds{1e-6}, Tick{e, left - 1});
    }
  };
  const auto t0 = std::chrono::steady_clock::now();
  for (int c = 0; c < chains; ++c) e.schedule_at(Seconds{c * 1e-9}, Tick{&e, per_chain});
  e.run();
  report("engine, trivial actions", seconds_since(t0), e, e.now().v);
}

// Round r: every worker sends B to the server; when all arrived the server sends B to each.
struct Central {
  Engine& e;
  FlowNetwork& net;
  int rounds_left;
  int pending = 0;
  static constexpr Bytes size{4'000'000};

  void gather() {
    pending = hosts;
    for (LinkId w = 1; w <= hosts; ++w) {
      const LinkId route[] = {2 * w, 1};
      net.start(route, size, [this] { if (--pending == 0) scatter(); });
    }
  }
  void scatter() {
    pending = hosts;
    for (LinkId w = 1; w <= hosts; ++w) {
      const LinkId route[] = {0, 2 * w + 1};
      net.start(route, size, [this] { if (--pending == 0 && --rounds_left > 0) gather(); });
    }
  }
};

// One step: host h sends a chunk to h + 1; the step ends when all chunks arrived.
struct Ring {
  Engine& e;
  FlowNetwork& net;
  int steps_left;
  int pending = 0;
  static constexpr Bytes chunk{100'000'000 / hosts};

  void step() {
    pending = hosts;
    for (LinkId h = 0; h < hosts; ++h) {
      const LinkId route[] = {2 * h, 2 * ((h + 1) % hosts) + 1};
      net.start(route, chunk, [this] { if (--pending == 0 && --steps_left > 0) step(); });
    }
  }
};

}  // namespace

int main() {
  trivial_events();
  {
    Engine e;
    FlowNetwork net(e, star(hosts + 1), Sharing::fair);  // host 0 is the server
    Central c{e, net, 100};
    const auto t0 = std::chrono::steady_clock::now();
    c.gather();
    e.run();
    report("central server, fair, 100 rd", seconds_since(t0), e, e.now().v);
    fmt::print("  full water-fillings: {}\n", net.recomputations());
  }
  {
    Engine e;
    FlowNetwork net(e, star(hosts), Sharing::fair);
    Ring r{e, net, 10 * 2 * (hosts - 1)};
    const auto t0 = std::chrono::steady_clock::now();
    r.step();
    e.run();
    report("ring, fair, 10 iterations", seconds_since(t0), e, e.now().v);
    fmt::print("  flows: {}  full water-fillings: {}\n",
               std::uint64_t{10} * 2 * (hosts - 1) * hosts, net.recomputations());
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  fmt::print("peak memory (max RSS): {:.1f} MiB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
}
