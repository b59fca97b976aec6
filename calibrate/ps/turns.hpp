#pragma once
/// The server's shared state: the access semaphore (a ticket queue: one holder, the others
/// served in the order they asked), the start gate and the synchronous barrier. Every wait is
/// bounded by the run's deadline and ends early when the run is aborted; a wait that gives up
/// throws tcp::TcpError(timeout), which drops the peer and fails the run.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "calibrate/tcp/socket_io.hpp"

namespace dlscale::ps {

/// FIFO access: take() a ticket when the request arrives, wait() until it is served,
/// release() when the transfer is over.
class FifoTurns {
 public:
  std::uint64_t take();
  void wait(std::uint64_t ticket, tcp::Clock::time_point deadline, const std::atomic<bool>& abort);
  void release();
  /// Tickets served so far (for tests).
  std::uint64_t served() const;

 private:
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::uint64_t next_ = 0, serving_ = 0;
};

/// Counts the workers that arrived and the pushes that were applied, for every server peer.
class Progress {
 public:
  explicit Progress(int workers) : workers_(workers) {}
  /// A worker's session started; waits until all N have (the start gate: no worker's first
  /// push runs alone on the link while the others are still being launched).
  void join_and_wait(tcp::Clock::time_point deadline, const std::atomic<bool>& abort);
  /// One push applied (the update of the server's shard).
  void pushed();
  /// The synchronous barrier: returns once every worker has pushed `round` times.
  void wait_round(std::uint64_t round, tcp::Clock::time_point deadline, const std::atomic<bool>& abort);
  std::uint64_t pushes() const;

 private:
  mutable std::mutex m_;
  std::condition_variable cv_;
  int workers_ = 1, joined_ = 0;
  std::uint64_t pushes_ = 0;
};

}  // namespace dlscale::ps
