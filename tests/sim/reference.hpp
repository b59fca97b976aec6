#pragma once
// A straightforward max-min fair reference for the flow tests: time steps from event to event,
// re-running progressive filling over all flows and links at each one, O(F * L) per step.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace ref {

struct Link {
  double capacity;  // B/s
  double latency;   // s
};
struct Flow {
  double start;  // s
  std::vector<std::uint32_t> route;
  double bytes;
};

// Max-min fair rates of the flows marked active.
inline std::vector<double> rates(const std::vector<Link>& links, const std::vector<Flow>& flows,
                                 const std::vector<bool>& active) {
  std::vector<double> rate(flows.size(), -1), spare(links.size());
  std::vector<int> count(links.size(), 0);
  for (std::size_t l = 0; l < links.size(); ++l) spare[l] = links[l].capacity;
  for (std::size_t f = 0; f < flows.size(); ++f)
    if (active[f])
      for (auto l : flows[f].route) ++count[l];
  for (;;) {
    double share = std::numeric_limits<double>::infinity();
    std::size_t best = links.size();
    for (std::size_t l = 0; l < links.size(); ++l)
      if (count[l] > 0 && spare[l] / count[l] < share) share = spare[l] / count[l], best = l;
    if (best == links.size()) return rate;
    for (std::size_t f = 0; f < flows.size(); ++f) {
      const auto& r = flows[f].route;
      if (!active[f] || rate[f] >= 0 || std::find(r.begin(), r.end(), best) == r.end()) continue;
      rate[f] = share;
      for (auto l : r) spare[l] -= share, --count[l];
    }
  }
}

// Completion time of every flow.
inline std::vector<double> finish_times(const std::vector<Link>& links,
                                        const std::vector<Flow>& flows) {
  const std::size_t n = flows.size();
  std::vector<double> arrive(n), left(n), done(n, -1);
  for (std::size_t f = 0; f < n; ++f) {
    arrive[f] = flows[f].start;
    for (auto l : flows[f].route) arrive[f] += links[l].latency;
    left[f] = flows[f].bytes;
  }
  std::vector<bool> active(n, false);
  double t = 0;
  for (;;) {
    for (std::size_t f = 0; f < n; ++f)
      if (done[f] < 0 && !active[f] && arrive[f] <= t) {
        if (left[f] == 0) done[f] = arrive[f]; else active[f] = true;
      }
    const auto rate = rates(links, flows, active);
    double next = std::numeric_limits<double>::infinity();
    for (std::size_t f = 0; f < n; ++f) {
      if (active[f]) next = std::min(next, t + left[f] / rate[f]);
      else if (done[f] < 0) next = std::min(next, arrive[f]);
    }
    if (next == std::numeric_limits<double>::infinity()) return done;
    for (std::size_t f = 0; f < n; ++f) {
      if (!active[f]) continue;
      if (t + left[f] / rate[f] <= next * (1 + 1e-13)) {
        done[f] = t + left[f] / rate[f];
        active[f] = false;
      } else {
        left[f] -= rate[f] * (next - t);
      }
    }
    t = next;
  }
}

}  // namespace ref
