// Fair sharing: processor-sharing groups with virtual clocks, and the two O(route + log n)
// fast paths described in flows.hpp. Everything else falls back to fair_recompute.
//
// Invariant: every sending flow is a member of exactly one group, that of the link that
// bottlenecks it in the max-min allocation; all members of a group send at the group's rate.
// A member's finish tag is the group's virtual time at which its last byte is sent, so a
// rate change only re-times the group's single pending completion event.
#include <algorithm>

#include "flow_state.hpp"

namespace dlscale::sim {

namespace {

bool later(const TagEntry& a, const TagEntry& b) {
  return a.tag != b.tag ? a.tag > b.tag : a.flow > b.flow;
}

bool stale(const State& s, const TagEntry& e) { return s.flows[e.flow].member_gen != e.member_gen; }

// Drops departed members' entries from the top, and rebuilds the heap when they pile up.
void clean(State& s, LinkState& l) {
  if (l.heap.size() > 2 * std::size_t{l.members} + 64) {
    std::erase_if(l.heap, [&s](const TagEntry& e) { return stale(s, e); });
    std::make_heap(l.heap.begin(), l.heap.end(), later);
  }
  while (!l.heap.empty() && stale(s, l.heap.front())) {
    std::pop_heap(l.heap.begin(), l.heap.end(), later);
    l.heap.pop_back();
  }
}

// The link's first flow-link carrying >= 2 flows on the route of f (f.shared == 1).
LinkId only_shared_link(const State& s, const FlowSlot& fl) {
  for (LinkId id : fl.route)
    if (s.links[id].flows.size() >= 2) return id;
  return fl.route.front();
}

// Case (b): every flow on `id` has `id` as its only contended link and its narrowest link.
bool single_shared_group(const LinkState& l) {
  return l.bridges == 0 && l.strong == l.flows.size();
}

// `ending` = flows of this group's event not yet removed, f included: they are no longer
// members but still on the link.
void fair_end(State& s, std::uint32_t f, LinkId group, std::uint32_t ending) {
  FlowSlot& fl = s.flows[f];
  if (fl.shared == 0) {  // case (a): alone on all its links
    remove_from_links(s, f);
    fair_reschedule(s, group);
  } else if (fl.shared == 1 && only_shared_link(s, fl) == group &&
             single_shared_group(s.links[group]) &&
             s.links[group].members + ending == s.links[group].flows.size()) {  // case (b)
    remove_from_links(s, f);
    LinkState& l = s.links[group];
    if (l.members > 0) l.rate = l.spec.capacity.v / l.members;
    fair_reschedule(s, group);
  } else {
    remove_from_links(s, f);
    fair_recompute(s, {fl.route.data(), fl.route.size()});
    if (s.links[group].flows.empty()) fair_reschedule(s, group);
  }
  finish_flow(s, f);
}

// The group's earliest finish tag is reached: that member's last byte has been sent, and so
// has that of every member with the same tag (to a relative 1e-12: flows that joined together
// with equal sizes). Ending them in one event lets one water-filling serve them all.
void group_event(State& s, LinkId id, std::uint32_t gen) {
  LinkState& l = s.links[id];
  if (l.group_gen != gen) return;  // re-timed or emptied since
  const double tag = l.heap.front().tag;
  const double last = tag * (1 + 1e-12);
  l.vtime = tag;
  l.vstamp = s.engine.now().v;
  std::vector<std::uint32_t> batch;
  batch.swap(s.ended);  // fair_end may start flows and land here again: own the scratch
  batch.clear();
  while (!l.heap.empty() && l.heap.front().tag <= last) {
    const TagEntry top = l.heap.front();
    std::pop_heap(l.heap.begin(), l.heap.end(), later);
    l.heap.pop_back();
    if (stale(s, top)) continue;
    FlowSlot& fl = s.flows[top.flow];
    ++fl.member_gen;
    fl.group = no_id;
    --l.members;
    batch.push_back(top.flow);
  }
  for (std::size_t k = 0; k < batch.size(); ++k)
    fair_end(s, batch[k], id, static_cast<std::uint32_t>(batch.size() - k));
  if (s.ended.capacity() < batch.capacity()) s.ended.swap(batch);
}
}  // namespace

void fair_settle(State& s, LinkState& l) {
  const double now = s.engine.now().v;
  if (l.members > 0) l.vtime += l.rate * (now - l.vstamp);
  l.vstamp = now;
}

void fair_join(State& s, std::uint32_t f, std::uint32_t link, double remaining) {
  LinkState& l = s.links[link];
  FlowSlot& fl = s.flows[f];
  fl.group = link;
  fl.tag = l.vtime + remaining;
  l.heap.push_back({fl.tag, f, fl.member_gen});
  std::push_heap(l.heap.begin(), l.heap.end(), later);
  ++l.members;
}

double fair_leave(State& s, std::uint32_t f) {
  FlowSlot& fl = s.flows[f];
  LinkState& l = s.links[fl.group];
  const double remaining = std::max(0.0, fl.tag - l.vtime);
  ++fl.member_gen;
  fl.group = no_id;
  --l.members;
  return remaining;
}

void fair_reschedule(State& s, std::uint32_t link) {
  LinkState& l = s.links[link];
  const std::uint32_t gen = ++l.group_gen;
  if (l.members == 0) {  // restart the virtual clock, keeping tags small and exact
    l.heap.clear();
    l.vtime = 0;
    return;
  }
  clean(s, l);
  const double dt = std::max(0.0, (l.heap.front().tag - l.vtime) / l.rate);
  State* sp = &s;
  s.engine.schedule_after(Seconds{dt}, [sp, link, gen] { group_event(*sp, link, gen); });
}

void fair_activate(State& s, std::uint32_t f) {
  add_to_links(s, f);
  FlowSlot& fl = s.flows[f];
  if (fl.shared == 0) {  // case (a): its own narrowest link sets its rate
    LinkId narrow = fl.route.front();
    for (LinkId id : fl.route)
      if (s.links[id].spec.capacity.v == fl.cap) narrow = id;
    LinkState& l = s.links[narrow];
    fair_settle(s, l);
    fair_join(s, f, narrow, fl.bytes);
    l.rate = fl.cap;
    fair_reschedule(s, narrow);
    return;
  }
  const LinkId id = only_shared_link(s, fl);
  LinkState& l = s.links[id];
  const std::size_t n = l.flows.size();
  const std::uint32_t other = n == 2 ? (l.flows[0] == f ? l.flows[1] : l.flows[0]) : no_id;
  const bool other_grouped = other != no_id && s.flows[other].group != no_id;  // not pending
  if (fl.shared == 1 && single_shared_group(l) && (l.members + 1 == n || other_grouped)) {
    if (l.members + 1 != n) {  // the one other flow was alone; move it into this group
      const std::uint32_t g = other;
      const std::uint32_t old = s.flows[g].group;
      fair_settle(s, s.links[old]);
      const double remaining = fair_leave(s, g);
      fair_reschedule(s, old);
      fair_settle(s, l);
      fair_join(s, g, id, remaining);
    }
    fair_settle(s, l);
    fair_join(s, f, id, fl.bytes);
    l.rate = l.spec.capacity.v / static_cast<double>(n);
    fair_reschedule(s, id);
    return;
  }
  fair_recompute(s, {fl.route.data(), fl.route.size()});
}

}  // namespace dlscale::sim
