#pragma once
/// Deterministic discrete-event engine: a binary heap of (time, sequence) keys, so events at
/// equal times fire in the order they were scheduled (FIFO). Events scheduled one after
/// another for the same time share one heap entry (a bucket). One Engine per run, no statics.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "dlscale/units.hpp"

namespace dlscale::sim {

/// A move-only `void()` callable. Trivially copyable callables up to 48 bytes (a lambda
/// capturing a few pointers and ints) are stored inline with no heap allocation; anything
/// else is boxed on the heap. Either way an Action relocates by memcpy.
class Action {
 public:
  static constexpr std::size_t inline_bytes = 48;

  Action() = default;
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, Action> &&
             std::is_invocable_r_v<void, std::decay_t<F>&>)
  Action(F&& f) {  // NOLINT: implicit from any callable, like std::function
    using Fn = std::decay_t<F>;
    if constexpr (sizeof(Fn) <= inline_bytes && alignof(Fn) <= 16 &&
                  std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>) {
      ::new (static_cast<void*>(buf_)) Fn(std::forward<F>(f));
      call_ = [](void* p) { (*std::launder(static_cast<Fn*>(p)))(); };
    } else {
      Fn* boxed = new Fn(std::forward<F>(f));
      std::memcpy(buf_, &boxed, sizeof boxed);
      call_ = [](void* p) { (**static_cast<Fn**>(p))(); };
      drop_ = [](void* p) { delete *static_cast<Fn**>(p); };
    }
  }
  Action(Action&& o) noexcept : call_(o.call_), drop_(o.drop_) {
    std::memcpy(buf_, o.buf_, sizeof buf_);
    o.call_ = nullptr;
    o.drop_ = nullptr;
  }
  Action& operator=(Action&& o) noexcept {
    if (this != &o) {
      reset();
      call_ = std::exchange(o.call_, nullptr);
      drop_ = std::exchange(o.drop_, nullptr);
      std::memcpy(buf_, o.buf_, sizeof buf_);
    }
    return *this;
  }
  Action(const Action&) = delete;
  Action& operator=(const Action&) = delete;
  ~Action() { reset(); }

  /// True when it holds a callable.
  explicit operator bool() const { return call_ != nullptr; }
  /// Calls it; it must hold a callable.
  void operator()() { call_(buf_); }

 private:
  void reset() {
    if (drop_ != nullptr) drop_(buf_);
    call_ = nullptr;
    drop_ = nullptr;
  }
  void (*call_)(void*) = nullptr;
  void (*drop_)(void*) = nullptr;
  alignas(16) unsigned char buf_[inline_bytes] = {};
};

/// The event loop. Time is in seconds from 0; events at equal times fire in scheduling order.
class Engine {
 public:
  /// Current simulated time [s].
  Seconds now() const { return {now_}; }
  /// Runs `action` at absolute time `t` >= now(); throws ConfigError for an earlier or NaN t.
  void schedule_at(Seconds t, Action action);
  /// Runs `action` at now() + dt, dt >= 0 [s]; throws ConfigError for negative or NaN dt.
  void schedule_after(Seconds dt, Action action) { schedule_at(Seconds{now_ + dt.v}, std::move(action)); }
  /// Processes events until none is left.
  void run();
  /// Processes events with time <= t, then sets now() to max(now(), t).
  void run_until(Seconds t);
  /// Number of events processed so far.
  std::uint64_t events_processed() const { return processed_; }
  /// Number of events scheduled but not yet processed.
  std::size_t pending() const { return pending_; }

 private:
  struct Entry {
    double at;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  static bool before(const Entry& a, const Entry& b) {
    return a.at != b.at ? a.at < b.at : a.seq < b.seq;
  }
  void fire_top();
  void push(const Entry& e);

  static constexpr std::uint32_t no_slot = ~std::uint32_t{0};

  double now_ = 0.0;
  std::uint64_t seq_ = 0;
  std::uint64_t processed_ = 0;
  std::size_t pending_ = 0;
  std::vector<Entry> heap_;            // binary min-heap on (at, seq of the bucket's first)
  std::vector<Action> actions_;        // actions by slot, so the heap moves 24-byte keys only
  std::vector<std::uint32_t> next_;    // next slot of the same bucket, or no_slot
  std::vector<std::uint32_t> free_;    // free slots of actions_
  // The bucket most recently opened: events scheduled at its time join its tail instead of
  // the heap. Synchronous collectives end many flows at the same instant (a ring step: N),
  // so they cost O(1) instead of O(log n) each. Later events at that time always have later
  // sequence numbers, so FIFO order among equal times holds.
  double bucket_at_ = -1;
  std::uint32_t bucket_tail_ = no_slot;
};

}  // namespace dlscale::sim
