#include "calibrate/tcp/connection.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace dlscale::tcp {
namespace {

/// A token is 32 hex digits; the cap leaves room for longer ones without trusting the peer.
constexpr std::uint64_t max_token_bytes = 256;

std::span<const std::byte> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

}  // namespace

void Connection::send(MessageType type, std::span<const std::byte> payload) {
  const auto header = encode_header({type, payload.size()});
  write_all(fd(), header, limits_.idle_timeout, deadline());
  write_all(fd(), payload, limits_.idle_timeout, deadline());
}

void Connection::send_repeating(MessageType type, std::uint64_t length,
                                std::span<const std::byte> pattern) {
  const auto header = encode_header({type, length});
  write_all(fd(), header, limits_.idle_timeout, deadline());
  while (length > 0) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(length, pattern.size()));
    write_all(fd(), pattern.first(n), limits_.idle_timeout, deadline());
    length -= n;
  }
}

FrameHeader Connection::receive_header(std::uint64_t cap) {
  HeaderBytes bytes{};
  read_exact(fd(), bytes, limits_.idle_timeout, deadline());
  return decode_header(bytes, std::min(cap, limits_.max_message_bytes));
}

std::optional<FrameHeader> Connection::receive_next_header() {
  HeaderBytes bytes{};
  try {
    read_exact(fd(), std::span(bytes).first(1), limits_.idle_timeout, deadline());
  } catch (const TcpError& e) {
    if (e.failure == Failure::closed) return std::nullopt;
    throw;
  }
  read_exact(fd(), std::span(bytes).subspan(1), limits_.idle_timeout, deadline());
  return decode_header(bytes, limits_.max_message_bytes);
}

std::vector<std::byte> Connection::receive_body(const FrameHeader& h) {
  std::vector<std::byte> body(h.length);  // h.length <= max_message_bytes: decode_header checked
  read_exact(fd(), body, limits_.idle_timeout, deadline());
  return body;
}

void Connection::discard_body(std::uint64_t length, std::span<std::byte> scratch) {
  while (length > 0) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(length, scratch.size()));
    read_exact(fd(), scratch.first(n), limits_.idle_timeout, deadline());
    length -= n;
  }
}

std::vector<std::byte> Connection::receive_expected(MessageType type, std::uint64_t cap) {
  const auto h = receive_header(cap);
  if (h.type != type)
    throw TcpError(Failure::bad_frame, "expected message type " +
                                           std::to_string(static_cast<int>(type)) + ", got " +
                                           std::to_string(static_cast<int>(h.type)));
  return receive_body(h);
}

void Connection::shutdown() { ::shutdown(fd(), SHUT_RDWR); }

std::string generate_token() {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  unsigned char raw[16] = {};
  if (!urandom.read(reinterpret_cast<char*>(raw), sizeof raw))
    throw TcpError(Failure::io, "cannot read /dev/urandom for the session token");
  static constexpr char hex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char c : raw) {
    token += hex[c >> 4];
    token += hex[c & 15];
  }
  return token;
}

bool tokens_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool looks_like_token(std::string_view t) {
  return t.size() == 32 && std::all_of(t.begin(), t.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

namespace {

/// Connects one resolved address with the idle timeout as the connect timeout.
Socket connect_address(const addrinfo& ai, const Limits& limits) {
  Socket s(::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC, ai.ai_protocol));
  if (!s.valid()) throw_errno("socket");
  configure_stream(s.fd(), limits.socket_buffer_bytes);
  if (::connect(s.fd(), ai.ai_addr, ai.ai_addrlen) < 0) {
    if (errno != EINPROGRESS && errno != EINTR) throw_errno("connect");
    wait_ready(s.fd(), POLLOUT, limits.idle_timeout);
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      errno = err;
      throw_errno("connect");
    }
  }
  return s;
}

}  // namespace

Connection connect(const std::string& host, int port, const std::string& token, Limits limits) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const auto service = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0)
    throw TcpError(Failure::io, "cannot resolve '" + host + "': " + ::gai_strerror(rc));
  std::string last_error = "no address";
  Socket s;
  for (const addrinfo* ai = found; ai && !s.valid(); ai = ai->ai_next) {
    try {
      s = connect_address(*ai, limits);
    } catch (const TcpError& e) {
      last_error = e.what();
    }
  }
  ::freeaddrinfo(found);
  if (!s.valid())
    throw TcpError(Failure::io, "cannot connect to " + host + ":" + service + ": " + last_error);
  Connection c(std::move(s), limits);
  try {  // a server that refuses us may close before or after reading the hello
    c.send(MessageType::hello, as_bytes(token));
    c.receive_expected(MessageType::welcome);
  } catch (const TcpError& e) {
    if (e.failure != Failure::closed) throw;
    throw TcpError(Failure::rejected, "the server at " + host + ":" + service +
                                          " closed the connection during the handshake "
                                          "(wrong token?)");
  }
  return c;
}

void accept_handshake(Connection& c, const std::string& token, std::chrono::milliseconds total,
                      const std::function<void()>& accepted) {
  c.set_deadline(Deadline{Clock::now(), total, "handshake"});
  const auto presented = c.receive_expected(MessageType::hello, max_token_bytes);
  const std::string_view text(reinterpret_cast<const char*>(presented.data()), presented.size());
  if (!tokens_equal(text, token)) throw TcpError(Failure::rejected, "wrong token");
  if (accepted) accepted();  // before the welcome: the client must never see a peer we drop
  c.send(MessageType::welcome);
  c.set_deadline(std::nullopt);  // measurements may take long; the idle timeout still holds
}

}  // namespace dlscale::tcp
