#include "dlscale/sim/flows.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "flow_state.hpp"

namespace dlscale::sim {

namespace {

void check_link(const LinkSpec& l, std::size_t id) {
  if (!(std::isfinite(l.capacity.v) && l.capacity.v > 0))
    throw ConfigError(fmt::format("link {} '{}': capacity must be > 0 B/s, got {}", id, l.name,
                                  l.capacity.v));
  if (!(std::isfinite(l.latency.v) && l.latency.v >= 0))
    throw ConfigError(fmt::format("link {} '{}': latency must be >= 0 s, got {}", id, l.name,
                                  l.latency.v));
}

void check_route(std::span<const LinkId> route, std::size_t link_count) {
  if (route.empty()) throw ConfigError("flow route is empty");
  for (std::size_t k = 0; k < route.size(); ++k) {
    if (route[k] >= link_count)
      throw ConfigError(fmt::format("flow route: unknown link id {} (there are {} links)",
                                    route[k], link_count));
    for (std::size_t j = 0; j < k; ++j)
      if (route[j] == route[k])
        throw ConfigError(fmt::format("flow route: link id {} listed twice", route[k]));
  }
}

// A flow changed its count of links carrying >= 2 flows; keep the links' bridge counters.
void bump_shared(State& s, std::uint32_t g, int delta) {
  FlowSlot& fl = s.flows[g];
  const bool was = fl.shared >= 2;
  fl.shared = static_cast<std::uint32_t>(static_cast<int>(fl.shared) + delta);
  const bool is = fl.shared >= 2;
  if (was == is) return;
  for (LinkId id : fl.route) s.links[id].bridges += is ? 1u : ~0u;  // +1 or -1 (mod 2^32)
}

std::uint32_t new_slot(State& s) {
  if (!s.free_flows.empty()) {
    const std::uint32_t f = s.free_flows.back();
    s.free_flows.pop_back();
    return f;
  }
  s.flows.emplace_back();
  return static_cast<std::uint32_t>(s.flows.size() - 1);
}

void activate(State& s, std::uint32_t f) {
  if (s.policy == Sharing::fair)
    fair_activate(s, f);
  else
    fifo_activate(s, f);
}

}  // namespace

void add_to_links(State& s, std::uint32_t f) {
  FlowSlot& fl = s.flows[f];
  const double now = s.engine.now().v;
  std::uint32_t shared = 0;
  for (std::size_t k = 0; k < fl.route.size(); ++k) {
    LinkState& l = s.links[fl.route[k]];
    fl.pos[k] = static_cast<std::uint32_t>(l.flows.size());
    l.flows.push_back(f);
    if (l.flows.size() == 1) l.busy_since = now;
    if (fl.cap >= l.spec.capacity.v) ++l.strong;
    if (l.flows.size() == 2) bump_shared(s, l.flows[0], +1);
    if (l.flows.size() >= 2) ++shared;
  }
  fl.shared = 0;
  bump_shared(s, f, static_cast<int>(shared));
}

void remove_from_links(State& s, std::uint32_t f) {
  FlowSlot& fl = s.flows[f];
  const double now = s.engine.now().v;
  bump_shared(s, f, -static_cast<int>(fl.shared));
  for (std::size_t k = 0; k < fl.route.size(); ++k) {
    const LinkId id = fl.route[k];
    LinkState& l = s.links[id];
    const std::uint32_t last = l.flows.back();
    if (last != f) {  // move the link's last flow into f's place
      l.flows[fl.pos[k]] = last;
      FlowSlot& moved = s.flows[last];
      for (std::size_t j = 0; j < moved.route.size(); ++j)
        if (moved.route[j] == id) moved.pos[j] = fl.pos[k];
    }
    l.flows.pop_back();
    if (fl.cap >= l.spec.capacity.v) --l.strong;
    l.carried += fl.bytes;
    if (l.flows.empty()) l.busy += now - l.busy_since;
    if (l.flows.size() == 1) bump_shared(s, l.flows[0], -1);
  }
}

// The flow's last byte arrived and every structure is updated: free the slot, then tell the
// owner (who may start new flows, reusing the slot).
void finish_flow(State& s, std::uint32_t f) {
  FlowSlot& fl = s.flows[f];
  Action done = std::move(fl.on_done);
  ++fl.gen;
  fl.route.clear();
  fl.pos.clear();
  s.free_flows.push_back(f);
  --s.in_progress;
  if (done) done();
}

FlowNetwork::FlowNetwork(Engine& engine, std::vector<LinkSpec> links, Sharing policy)
    : s_(std::make_unique<State>(engine, policy)) {
  for (std::size_t i = 0; i < links.size(); ++i) check_link(links[i], i);
  s_->links.resize(links.size());
  for (std::size_t i = 0; i < links.size(); ++i) s_->links[i].spec = std::move(links[i]);
}

FlowNetwork::~FlowNetwork() = default;

void FlowNetwork::start(std::span<const LinkId> route, Bytes size, Action on_done) {
  check_route(route, s_->links.size());
  State& s = *s_;
  const std::uint32_t f = new_slot(s);
  FlowSlot& fl = s.flows[f];
  fl.route.assign(route.begin(), route.end());
  fl.pos.resize(route.size());  // set by add_to_links
  fl.bytes = static_cast<double>(size.v);
  fl.on_done = std::move(on_done);
  double latency = 0;
  fl.cap = s.links[route[0]].spec.capacity.v;
  for (LinkId id : route) {
    latency += s.links[id].spec.latency.v;
    fl.cap = std::min(fl.cap, s.links[id].spec.capacity.v);
  }
  ++s.in_progress;
  State* sp = &s;
  if (size.v == 0)
    s.engine.schedule_after(Seconds{latency}, [sp, f] { finish_flow(*sp, f); });
  else if (latency == 0)
    activate(s, f);
  else
    s.engine.schedule_after(Seconds{latency}, [sp, f] { activate(*sp, f); });
}

std::size_t FlowNetwork::link_count() const { return s_->links.size(); }

const LinkSpec& FlowNetwork::link(LinkId id) const { return s_->links.at(id).spec; }

LinkUsage FlowNetwork::usage(LinkId id) const {
  const LinkState& l = s_->links.at(id);
  const double open = l.flows.empty() ? 0.0 : s_->engine.now().v - l.busy_since;
  return {Bytes{static_cast<std::uint64_t>(l.carried)}, Seconds{l.busy + open}};
}

std::size_t FlowNetwork::flows_in_progress() const { return s_->in_progress; }

std::size_t FlowNetwork::recomputations() const { return s_->recomputations; }

}  // namespace dlscale::sim
