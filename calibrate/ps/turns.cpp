#include "calibrate/ps/turns.hpp"

#include <chrono>
#include <string>

namespace dlscale::ps {
namespace {

// Waits wake at least this often to look at the abort flag: a run that failed elsewhere (a
// dropped peer) must not leave the other peers' threads waiting out the whole deadline.
constexpr std::chrono::milliseconds abort_poll{50};

template <class Ready>
void bounded_wait(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                  const std::string& what, tcp::Clock::time_point deadline,
                  const std::atomic<bool>& abort, const Ready& ready) {
  while (!ready()) {
    if (abort.load()) throw tcp::TcpError(tcp::Failure::timeout, what + ": the run was aborted");
    const auto now = tcp::Clock::now();
    if (now >= deadline) throw tcp::TcpError(tcp::Failure::timeout, what + ": the run's timeout passed");
    cv.wait_until(lock, std::min(deadline, now + abort_poll));
  }
}

}  // namespace

std::uint64_t FifoTurns::take() {
  const std::lock_guard lock(m_);
  return next_++;
}

void FifoTurns::wait(std::uint64_t ticket, tcp::Clock::time_point deadline,
                     const std::atomic<bool>& abort) {
  std::unique_lock lock(m_);
  bounded_wait(lock, cv_, "waiting for the server's turn", deadline, abort,
               [&] { return serving_ == ticket; });
}

void FifoTurns::release() {
  {
    const std::lock_guard lock(m_);
    ++serving_;
  }
  cv_.notify_all();
}

std::uint64_t FifoTurns::served() const {
  const std::lock_guard lock(m_);
  return serving_;
}

void Progress::join_and_wait(tcp::Clock::time_point deadline, const std::atomic<bool>& abort) {
  std::unique_lock lock(m_);
  ++joined_;
  cv_.notify_all();
  bounded_wait(lock, cv_, "waiting for every worker to connect", deadline, abort,
               [&] { return joined_ >= workers_; });
}

void Progress::pushed() {
  {
    const std::lock_guard lock(m_);
    ++pushes_;
  }
  cv_.notify_all();
}

void Progress::wait_round(std::uint64_t round, tcp::Clock::time_point deadline,
                          const std::atomic<bool>& abort) {
  std::unique_lock lock(m_);
  // A worker pushes again only after its pull, which needed N x round pushes: so N x round
  // pushes means each worker's round-th push (docs in calibrate/ps/README.md).
  bounded_wait(lock, cv_, "waiting at the barrier", deadline, abort,
               [&] { return pushes_ >= round * static_cast<std::uint64_t>(workers_); });
}

std::uint64_t Progress::pushes() const {
  const std::lock_guard lock(m_);
  return pushes_;
}

}  // namespace dlscale::ps
