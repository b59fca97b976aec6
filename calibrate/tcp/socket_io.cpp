#include "calibrate/tcp/socket_io.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace dlscale::tcp {

std::string_view to_string(Failure f) {
  switch (f) {
    case Failure::closed: return "closed";
    case Failure::timeout: return "timeout";
    case Failure::bad_magic: return "bad_magic";
    case Failure::bad_frame: return "bad_frame";
    case Failure::oversize: return "oversize";
    case Failure::rejected: return "rejected";
    case Failure::io: return "io";
  }
  return "?";
}

Socket& Socket::operator=(Socket&& o) noexcept {
  if (this != &o) {
    close();
    fd_ = o.release();
  }
  return *this;
}

void Socket::close() {
  // No retry on EINTR: on Linux the descriptor is released even then.
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void throw_errno(const std::string& what) {
  throw TcpError(Failure::io, what + ": " + std::strerror(errno));
}

void configure_stream(int fd, int buffer_bytes) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) throw_errno("fcntl O_NONBLOCK");
  const int one = 1;
  if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) throw_errno("TCP_NODELAY");
  if (buffer_bytes > 0) {
    // The kernel caps these at net.core.{w,r}mem_max; a smaller result is not an error.
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer_bytes, sizeof buffer_bytes);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
  }
}

void wait_ready(int fd, short events, std::chrono::milliseconds idle, const Deadline* deadline) {
  using std::chrono::milliseconds;
  // Elapsed times only, in milliseconds: `start + idle` could overflow steady_clock's
  // nanoseconds (an idle of 10^12 s did), `idle - elapsed` cannot (both are >= 0).
  const auto start = Clock::now();
  const auto since = [](Clock::time_point t) {
    return std::chrono::duration_cast<milliseconds>(Clock::now() - t);
  };
  idle = std::max(idle, milliseconds{0});
  for (;;) {
    auto left = idle - since(start);
    const auto total_left = deadline ? std::max(deadline->total, milliseconds{0}) - since(deadline->start)
                                     : milliseconds::max();
    const bool total_binds = total_left < left;
    if (total_binds) left = total_left;
    if (left.count() < 0) {
      if (total_binds)
        throw TcpError(Failure::timeout, std::string(deadline->what) + " not done within " +
                                             std::to_string(deadline->total.count()) + " ms");
      break;
    }
    pollfd p{fd, events, 0};
    // poll takes an int: long waits go round the loop in steps of a day.
    const int step = static_cast<int>(std::min<std::int64_t>(left.count(), 86'400'000)) + 1;
    const int n = ::poll(&p, 1, step);
    if (n > 0) return;  // ready, or an error/hangup that the next read or write reports
    if (n < 0 && errno != EINTR) throw_errno("poll");
  }
  throw TcpError(Failure::timeout, "peer idle for more than " + std::to_string(idle.count()) + " ms");
}

void write_all(int fd, std::span<const std::byte> data, std::chrono::milliseconds idle,
               const Deadline* deadline) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data = data.subspan(static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      wait_ready(fd, POLLOUT, idle, deadline);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
      throw TcpError(Failure::closed, "peer closed the connection while we were sending");
    } else {
      throw_errno("send");
    }
  }
}

void read_exact(int fd, std::span<std::byte> data, std::chrono::milliseconds idle,
                const Deadline* deadline) {
  const std::size_t wanted = data.size();
  while (!data.empty()) {
    const ssize_t n = ::recv(fd, data.data(), data.size(), 0);
    if (n > 0) {
      data = data.subspan(static_cast<std::size_t>(n));
    } else if (n == 0) {
      throw TcpError(Failure::closed, "peer closed the connection after " +
                                          std::to_string(wanted - data.size()) + " of " +
                                          std::to_string(wanted) + " bytes");
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      wait_ready(fd, POLLIN, idle, deadline);
    } else if (errno == EINTR) {
      continue;
    } else if (errno == ECONNRESET) {
      throw TcpError(Failure::closed, "connection reset by peer");
    } else {
      throw_errno("recv");
    }
  }
}

std::pair<std::string, int> local_address(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) throw_errno("getsockname");
  char text[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    return {text, ntohs(a->sin_port)};
  }
  const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
  ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
  return {text, ntohs(a->sin6_port)};
}

}  // namespace dlscale::tcp
