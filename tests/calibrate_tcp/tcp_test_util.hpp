#pragma once
// Helpers for the transport tests: a raw (unframed, unauthenticated) client socket, and waits
// with generous deadlines so that a loaded machine slows the tests down without failing them.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string_view>
#include <thread>

#include "calibrate/tcp/socket_io.hpp"

namespace dlscale::tcp::testing {

/// A blocking TCP connection to 127.0.0.1:port that speaks no protocol at all.
inline Socket raw_connect(int port) {
  Socket s(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(s.fd(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw_errno("test connect");
  return s;
}

inline void raw_send(int fd, std::string_view bytes) {
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
}

/// True if the peer closes `fd` (EOF or reset) within `limit`; bytes it sends first are skipped.
inline bool closed_by_peer(int fd, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    char buf[256];
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return true;
  }
  return false;
}

/// Polls `done` every 5 ms until it holds or 5 s pass; returns its last value.
inline bool eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace dlscale::tcp::testing
