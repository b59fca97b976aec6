#include "dlscale/sim/engine.hpp"

#include <cmath>

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::sim {

void Engine::schedule_at(Seconds t, Action action) {
  if (!(t.v >= now_))  // also rejects NaN
    throw ConfigError(fmt::format("event scheduled at {} s, before the current time {} s", t.v, now_));
  std::uint32_t slot;
  if (free_.empty()) {
    slot = static_cast<std::uint32_t>(actions_.size());
    actions_.push_back(std::move(action));
    next_.push_back(no_slot);
  } else {
    slot = free_.back();
    free_.pop_back();
    actions_[slot] = std::move(action);
    next_[slot] = no_slot;
  }
  ++pending_;
  const std::uint64_t seq = seq_++;
  if (bucket_tail_ != no_slot && t.v == bucket_at_) {
    next_[bucket_tail_] = slot;
  } else {
    push(Entry{t.v, seq, slot});
    bucket_at_ = t.v;
  }
  bucket_tail_ = slot;
}

void Engine::push(const Entry& e) {
  // Sift up with a hole: shift parents down until the new entry's place is found.
  std::size_t i = heap_.size();
  heap_.push_back(e);
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

// Fires the first event of the earliest bucket; the bucket keeps its heap place (same key)
// until its last event. The action is moved out of its slot first, because it may schedule
// events and so grow actions_.
void Engine::fire_top() {
  const Entry top = heap_.front();
  const std::uint32_t slot = top.slot;
  if (next_[slot] != no_slot) {
    heap_.front().slot = next_[slot];
  } else {
    const Entry last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n > 0) {
      std::size_t i = 0;
      for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
        if (!before(heap_[child], last)) break;
        heap_[i] = heap_[child];
        i = child;
      }
      heap_[i] = last;
    }
    if (slot == bucket_tail_) bucket_tail_ = no_slot;  // its bucket is gone
  }
  now_ = top.at;
  Action action = std::move(actions_[slot]);
  free_.push_back(slot);
  --pending_;
  ++processed_;
  action();
}

void Engine::run() {
  while (!heap_.empty()) fire_top();
}

void Engine::run_until(Seconds t) {
  while (!heap_.empty() && heap_.front().at <= t.v) fire_top();
  if (t.v > now_) now_ = t.v;
}

}  // namespace dlscale::sim
