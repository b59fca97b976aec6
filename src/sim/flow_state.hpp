#pragma once
// Private state of FlowNetwork, shared by flows.cpp (boundary, lifecycle), flows_fair.cpp
// (processor-sharing groups and fast paths), flows_maxmin.cpp (general water-filling) and
// flows_fifo.cpp (per-link queues).
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "dlscale/sim/flows.hpp"

namespace dlscale::sim {

inline constexpr std::uint32_t no_id = ~std::uint32_t{0};

// Routes are short (2 links on a star, 4-6 in a two-level tree): kept inline in the slot, so
// the hot path touches no other memory.
template <class T>
using RouteVector = boost::container::small_vector<T, 6>;

struct FlowSlot {
  RouteVector<LinkId> route;
  RouteVector<std::uint32_t> pos;  // index of this flow in links[route[k]].flows
  double bytes = 0;
  double cap = 0;                  // narrowest capacity on the route [B/s]
  Action on_done;
  std::uint32_t gen = 0;           // bumped when the slot is freed: guards its events
  // fair sharing
  std::uint32_t group = no_id;     // link whose processor-sharing group holds this flow
  std::uint32_t member_gen = 0;    // bumped on leaving a group: its heap entry is stale
  std::uint32_t shared = 0;        // links of the route that carry >= 2 flows
  std::uint32_t mark = 0;          // component search epoch
  double tag = 0;                  // finish tag in the group's virtual time [B]
  double level = 0;                // water-filling: rate fixed at, or < 0 while unfixed
  std::uint32_t bottleneck = no_id;  // water-filling: link that fixed it
  // fifo
  std::uint32_t waiting = 0;       // links of the route where it is not yet at the head
};

struct TagEntry {
  double tag;
  std::uint32_t flow;
  std::uint32_t member_gen;
};

struct LinkState {
  LinkSpec spec;
  std::vector<std::uint32_t> flows;  // flows sending over it (fair) or holding it (fifo)
  double carried = 0;
  double busy = 0;
  double busy_since = 0;
  // fair: counters for the fast paths
  std::uint32_t bridges = 0;  // flows on it that cross another link with >= 2 flows
  std::uint32_t strong = 0;   // flows on it for which it is the narrowest link
  // fair: processor-sharing group of the flows it bottlenecks
  double vtime = 0;           // bytes served to each member so far [B]
  double vstamp = 0;          // real time of vtime [s]
  double rate = 0;            // rate of each member [B/s]
  std::uint32_t members = 0;
  std::uint32_t group_gen = 0;     // bumped on reschedule: guards the group's completion event
  std::vector<TagEntry> heap;      // min-heap on tag; entries of departed members are stale
  std::uint32_t mark = 0;          // component search epoch
  double spare = 0;                // water-filling: capacity left [B/s]
  std::uint32_t unfixed = 0;       // water-filling: flows on it not yet fixed
  // fifo
  std::deque<std::uint32_t> queue;
};

struct FlowNetwork::State {
  State(Engine& e, Sharing p) : engine(e), policy(p) {}
  Engine& engine;
  Sharing policy;
  std::vector<LinkState> links;
  std::vector<FlowSlot> flows;
  std::vector<std::uint32_t> free_flows;
  std::size_t in_progress = 0;
  std::size_t recomputations = 0;
  std::uint32_t epoch = 0;
  std::vector<std::uint32_t> comp_links;  // scratch for water-filling
  std::vector<std::uint32_t> comp_flows;
  // Water-filling is deferred to the end of the current instant: the links to start from,
  // and whether the settle event is already scheduled.
  std::vector<LinkId> pending_seeds;
  bool settle_scheduled = false;
  std::vector<std::uint32_t> ended;  // scratch: members ending in one group event
};

using State = FlowNetwork::State;

// flows.cpp
void add_to_links(State& s, std::uint32_t f);
void remove_from_links(State& s, std::uint32_t f);
void finish_flow(State& s, std::uint32_t f);
// flows_fair.cpp
void fair_activate(State& s, std::uint32_t f);
void fair_settle(State& s, LinkState& l);
void fair_join(State& s, std::uint32_t f, std::uint32_t link, double remaining);
double fair_leave(State& s, std::uint32_t f);
void fair_reschedule(State& s, std::uint32_t link);
// flows_maxmin.cpp
/// Queues a water-filling over the component of `seeds`; it runs once, after every other
/// event of the current instant, for all the starts and ends queued in that instant.
void fair_recompute(State& s, std::span<const LinkId> seeds);
/// True while a queued water-filling has not run: flows may be outside any group.
inline bool recompute_pending(const State& s) { return s.settle_scheduled; }
// flows_fifo.cpp
void fifo_activate(State& s, std::uint32_t f);

}  // namespace dlscale::sim
