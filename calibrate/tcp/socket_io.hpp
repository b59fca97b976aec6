#pragma once
/// The POSIX layer under the transport: an owning descriptor, and read/write loops that survive
/// EINTR, partial transfers and slow peers. Sockets are non-blocking, so every wait goes through
/// poll() with a deadline: a peer that stops making progress costs at most `idle` per call, and
/// an optional Deadline bounds a whole sequence of calls (a handshake), so that a peer trickling
/// one byte per idle period cannot hold a server's slot for long.
#include <chrono>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>

namespace dlscale::tcp {

/// Why a transfer or a peer failed; the server counts peers it drops by this.
enum class Failure {
  closed,     ///< the peer closed the connection (before or in the middle of a message)
  timeout,    ///< no progress within the idle timeout
  bad_magic,  ///< the bytes are not our frames (garbage, another protocol)
  bad_frame,  ///< a frame of a type not expected here, or a bad field
  oversize,   ///< a header announced more than the configured maximum message size
  rejected,   ///< the handshake failed (wrong token, or the server refused us)
  io,         ///< any other system error (connection reset, refused, unreachable)
};
std::string_view to_string(Failure f);

/// A failed network operation. Not a ConfigError: the input may be fine and the network not.
struct TcpError : std::runtime_error {
  TcpError(Failure f, const std::string& what) : std::runtime_error(what), failure(f) {}
  Failure failure;
};

using Clock = std::chrono::steady_clock;

/// Owns one file descriptor; closes it once.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& o) noexcept : fd_(o.release()) {}
  Socket& operator=(Socket&& o) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() { close(); }

  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() { const int f = fd_; fd_ = -1; return f; }
  void close();

 private:
  int fd_ = -1;
};

/// A limit on the total time of several waits, on top of each wait's idle limit: `what` (e.g.
/// "handshake") must be done within `total` of `start`.
struct Deadline {
  Clock::time_point start = Clock::now();
  std::chrono::milliseconds total{0};
  const char* what = "exchange";
};

/// Throws TcpError(io) with `what` and strerror(errno).
[[noreturn]] void throw_errno(const std::string& what);

/// Non-blocking, TCP_NODELAY (small frames such as acks must not wait for Nagle), and send and
/// receive buffers of `buffer_bytes` (0: leave the kernel's autotuning alone).
void configure_stream(int fd, int buffer_bytes);

/// Waits until `fd` is ready for `events` (POLLIN/POLLOUT), at most `idle` (and no later than
/// `deadline` when given); retries on EINTR with the remaining time. Throws TcpError(timeout)
/// when nothing happened in time. Any `idle` is safe: the arithmetic cannot overflow, and a
/// negative one times out at once.
void wait_ready(int fd, short events, std::chrono::milliseconds idle,
                const Deadline* deadline = nullptr);

/// Writes all of `data` (MSG_NOSIGNAL: a closed peer is an error, not a SIGPIPE).
void write_all(int fd, std::span<const std::byte> data, std::chrono::milliseconds idle,
               const Deadline* deadline = nullptr);

/// Reads exactly `data.size()` bytes. A peer that closes first gives TcpError(closed).
void read_exact(int fd, std::span<std::byte> data, std::chrono::milliseconds idle,
                const Deadline* deadline = nullptr);

/// The local address of a socket as "a.b.c.d" or an IPv6 literal, and its port.
std::pair<std::string, int> local_address(int fd);

}  // namespace dlscale::tcp
