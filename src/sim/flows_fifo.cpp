// FIFO sharing (the access semaphore, thesis section 7.2): each link serves one flow at a
// time in arrival order; a flow sends when it heads the queues of all its links.
#include <cassert>

#include "flow_state.hpp"

namespace dlscale::sim {

namespace {

void fifo_end(State& s, std::uint32_t f);

void fifo_begin(State& s, std::uint32_t f) {
  add_to_links(s, f);
  const FlowSlot& fl = s.flows[f];
  State* sp = &s;
  s.engine.schedule_after(Seconds{fl.bytes / fl.cap}, [sp, f] { fifo_end(*sp, f); });
}

// Releases every link of f; a flow that now heads all its queues starts sending.
void fifo_end(State& s, std::uint32_t f) {
  remove_from_links(s, f);
  for (LinkId id : s.flows[f].route) {
    std::deque<std::uint32_t>& q = s.links[id].queue;
    assert(!q.empty() && q.front() == f);
    q.pop_front();
    if (!q.empty() && --s.flows[q.front()].waiting == 0) fifo_begin(s, q.front());
  }
  finish_flow(s, f);
}

}  // namespace

void fifo_activate(State& s, std::uint32_t f) {
  FlowSlot& fl = s.flows[f];
  fl.waiting = 0;
  for (LinkId id : fl.route) {
    std::deque<std::uint32_t>& q = s.links[id].queue;
    q.push_back(f);
    if (q.size() > 1) ++fl.waiting;
  }
  if (fl.waiting == 0) fifo_begin(s, f);
}

}  // namespace dlscale::sim
