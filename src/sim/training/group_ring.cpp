#include "sim/training/group_ring.hpp"

#include <utility>

namespace dlscale::sim::training {

GroupRing::GroupRing(Run& r, int steps, Bytes chunk, std::vector<int> next,
                     std::function<void(int)> done)
    : r_(r), steps_(steps), chunk_(chunk), next_(std::move(next)), done_(std::move(done)) {
  reset();
}

void GroupRing::reset() {
  const auto n = next_.size();
  sent_.assign(n, 0);
  received_.assign(n, 0);
  ready_.assign(n, 0);
  busy_.assign(n, 0);
}

void GroupRing::enter(int w) {
  ready_[static_cast<std::size_t>(w)] = 1;
  if (steps_ == 0) return done_(w);
  try_send(w);
}

void GroupRing::try_send(int w) {
  const auto i = static_cast<std::size_t>(w);
  if (!ready_[i] || busy_[i] || sent_[i] == steps_ || sent_[i] > received_[i]) return;
  ++sent_[i];
  busy_[i] = 1;
  const int to = next_[i];
  r_.send(w, to, chunk_, [this, w, to] {
    busy_[static_cast<std::size_t>(w)] = 0;
    const bool all_in = ++received_[static_cast<std::size_t>(to)] == steps_;
    try_send(to);
    try_send(w);
    if (all_in) done_(to);
  });
}

}  // namespace dlscale::sim::training
