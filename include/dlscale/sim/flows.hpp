#pragma once
/// Flow-level network model: flows cross directed links and share their bandwidth.
///
/// A flow started at time t over route R first waits the sum of R's latencies, then sends its
/// bytes at the rate the sharing policy gives it; `on_done` runs when its last byte arrives.
///
/// Policies:
/// - `fair`: max-min fair sharing (water-filling) over all links, recomputed whenever a flow
///   starts sending or ends. N flows through one port each get 1/N of it: the thesis's
///   worst case (eq. 4.7 - 4.9). Each link keeps a processor-sharing group of the flows it
///   bottlenecks, with a virtual clock (bytes served per member) and a min-heap of finish
///   tags, so a rate change of a group is O(1) and a completion O(log n). Two cases are
///   handled without looking at other flows, O(route + log n) per start or end:
///   (a) a flow whose links are all unused by others (a star host's own NIC, ring
///   neighbours); (b) flows whose only contended link is one shared link that is the
///   narrowest on each of their routes (N workers to one server port). Any other change
///   re-runs water-filling over the connected component of the links it touches,
///   O(F * L) for F flows and L links in that component.
/// - `fifo`: the thesis's access semaphore (section 7.2, eq. 7.1 - 7.3). Each link serves one
///   flow at a time in arrival order (arrival = end of the latency wait; ties in start
///   order). A flow joins the queue of every link of its route at once and sends, at its
///   route's narrowest capacity, when it is at the head of all of them; it holds them all
///   until its last byte. Queues are strict FIFO per link, which is deadlock-free: the
///   earliest waiting flow only ever waits behind flows that are already sending.
///
/// Zero-byte flows complete after their latency and occupy no link. Time is deterministic:
/// the same starts give the same completion times, bit for bit.
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "dlscale/sim/engine.hpp"
#include "dlscale/sim/link.hpp"
#include "dlscale/units.hpp"

namespace dlscale::sim {

/// How a link shares its bandwidth among the flows crossing it.
enum class Sharing { fair, fifo };

/// What one link carried so far.
struct LinkUsage {
  Bytes carried;  ///< bytes of the flows that crossed it and completed
  Seconds busy;   ///< time during which at least one flow was sending over it
};

/// A set of directed links carrying flows, driven by an Engine. It schedules events that refer
/// to it, so it must outlive the engine's run.
class FlowNetwork {
 public:
  /// Throws ConfigError for a capacity <= 0 (or not finite) or a latency < 0 (or NaN).
  FlowNetwork(Engine& engine, std::vector<LinkSpec> links, Sharing policy);
  ~FlowNetwork();
  FlowNetwork(const FlowNetwork&) = delete;
  FlowNetwork& operator=(const FlowNetwork&) = delete;

  /// Starts a flow of `size` bytes over `route` at engine time now; `on_done` runs when the
  /// last byte has arrived. Throws ConfigError for an empty route, an unknown link id or a
  /// link listed twice.
  void start(std::span<const LinkId> route, Bytes size, Action on_done);

  /// Number of links.
  std::size_t link_count() const;
  /// The link `id` as given; `id` < link_count().
  const LinkSpec& link(LinkId id) const;
  /// Bytes carried and busy time of link `id` up to engine time now; `id` < link_count().
  LinkUsage usage(LinkId id) const;
  /// Flows started and not yet done (in their latency wait, queued, or sending).
  std::size_t flows_in_progress() const;
  /// Fair sharing only: how many starts and ends needed a full water-filling (for tests).
  std::size_t recomputations() const;

  struct State;  ///< the implementation (src/sim/flow_state.hpp)

 private:
  std::unique_ptr<State> s_;
};

}  // namespace dlscale::sim
