// General max-min fair sharing: progressive filling over the connected component of the
// links a start or an end touched. O(F * R + L * rounds) for F flows of route length R and
// L links in the component; rounds <= L. Used only when the fast paths do not apply.
//
// It is deferred to the end of the instant: an all-to-all starts N (N-1) flows at once, and
// one water-filling after the last of them gives the same rates as one after each (no time
// passes in between), at 1 / (N (N-1)) of the cost.
#include <algorithm>
#include <limits>

#include "flow_state.hpp"

namespace dlscale::sim {

namespace {

// Collects the links and sending flows reachable from the seeds through shared flows.
void collect(State& s, std::span<const LinkId> seeds) {
  const std::uint32_t epoch = ++s.epoch;
  s.comp_links.clear();
  s.comp_flows.clear();
  for (LinkId seed : seeds) {
    if (s.links[seed].flows.empty() || s.links[seed].mark == epoch) continue;
    s.links[seed].mark = epoch;
    const std::size_t first = s.comp_links.size();
    s.comp_links.push_back(seed);
    for (std::size_t i = first; i < s.comp_links.size(); ++i) {
      for (std::uint32_t f : s.links[s.comp_links[i]].flows) {
        FlowSlot& fl = s.flows[f];
        if (fl.mark == epoch) continue;
        fl.mark = epoch;
        s.comp_flows.push_back(f);
        for (LinkId id : fl.route)
          if (s.links[id].mark != epoch) {
            s.links[id].mark = epoch;
            s.comp_links.push_back(id);
          }
      }
    }
  }
}

// Progressive filling: the link with the lowest fair share fixes its unfixed flows at that
// share, which is then taken from every other link they cross. Sets each flow's level and
// bottleneck, and the rate of each bottleneck link.
void water_fill(State& s) {
  for (std::uint32_t id : s.comp_links) {
    LinkState& l = s.links[id];
    l.spare = l.spec.capacity.v;
    l.unfixed = static_cast<std::uint32_t>(l.flows.size());
  }
  for (std::uint32_t f : s.comp_flows) s.flows[f].level = -1;
  std::size_t left = s.comp_flows.size();
  while (left > 0) {
    std::uint32_t best = no_id;
    double share = std::numeric_limits<double>::infinity();
    for (std::uint32_t id : s.comp_links) {
      const LinkState& l = s.links[id];
      if (l.unfixed > 0 && l.spare / l.unfixed < share) {
        share = l.spare / l.unfixed;
        best = id;
      }
    }
    // Rounding can leave a hair below zero; a rate must stay positive.
    share = std::max(share, 1e-12 * s.links[best].spec.capacity.v);
    s.links[best].rate = share;
    for (std::uint32_t f : s.links[best].flows) {
      FlowSlot& fl = s.flows[f];
      if (fl.level >= 0) continue;
      fl.level = share;
      fl.bottleneck = best;
      --left;
      for (LinkId id : fl.route) {
        s.links[id].spare -= share;
        --s.links[id].unfixed;
      }
    }
  }
}

void settle(State& s) {
  s.settle_scheduled = false;
  ++s.recomputations;
  collect(s, s.pending_seeds);
  s.pending_seeds.clear();
  for (std::uint32_t id : s.comp_links) fair_settle(s, s.links[id]);  // at the old rates
  water_fill(s);
  for (std::uint32_t f : s.comp_flows) {
    FlowSlot& fl = s.flows[f];
    if (fl.group == fl.bottleneck) continue;
    const double remaining = fl.group == no_id ? fl.bytes : fair_leave(s, f);
    fair_join(s, f, fl.bottleneck, remaining);
  }
  for (std::uint32_t id : s.comp_links) fair_reschedule(s, id);
}

}  // namespace

void fair_recompute(State& s, std::span<const LinkId> seeds) {
  s.pending_seeds.insert(s.pending_seeds.end(), seeds.begin(), seeds.end());
  if (s.settle_scheduled) return;
  s.settle_scheduled = true;
  State* sp = &s;
  s.engine.schedule_after(Seconds{0}, [sp] { settle(*sp); });
}

}  // namespace dlscale::sim
