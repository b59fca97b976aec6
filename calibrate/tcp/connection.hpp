#pragma once
/// A framed TCP stream: what both ends of the transport hold (authenticated once `connect` or
/// `accept_handshake` has run). Every read is bounded twice: by `max_message_bytes` (checked
/// on the header, before anything is read or allocated) and by `idle_timeout` (per wait for
/// progress); while a Deadline is set (the server's handshake), by that too. One thread may
/// send while another receives (full duplex, as a ring all-reduce step needs); two senders or
/// two receivers on one connection need a lock of their own.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "calibrate/tcp/frame.hpp"
#include "calibrate/tcp/socket_io.hpp"

namespace dlscale::tcp {

inline constexpr std::uint64_t default_max_message_bytes = std::uint64_t{4} << 30;  // 4 GiB
inline constexpr std::chrono::milliseconds default_idle_timeout{5000};
/// The whole handshake (hello in, welcome out) on the server: a correct client sends its 48
/// bytes at once, so a few seconds cover slow links; a peer trickling bytes to hold a slot is
/// dropped then, whatever the idle timeout.
inline constexpr std::chrono::milliseconds default_handshake_timeout{5000};
/// Socket send/receive buffers. Linux caps them at net.core.{w,r}mem_max (often 4 MiB).
inline constexpr int default_socket_buffer_bytes = 4 << 20;

/// Limits that apply to one connection.
struct Limits {
  std::uint64_t max_message_bytes = default_max_message_bytes;
  std::chrono::milliseconds idle_timeout = default_idle_timeout;
  int socket_buffer_bytes = default_socket_buffer_bytes;  ///< 0: kernel autotuning
};

class Connection {
 public:
  Connection(Socket socket, Limits limits) : socket_(std::move(socket)), limits_(limits) {}

  /// Sends one whole message.
  void send(MessageType type, std::span<const std::byte> payload = {});
  /// Sends a header announcing `length` bytes, then the body as `length` bytes taken
  /// cyclically from `pattern`: large messages without a buffer of their size.
  void send_repeating(MessageType type, std::uint64_t length, std::span<const std::byte> pattern);

  /// Reads and checks the next header (magic, type, length against the cap, or against `cap`
  /// when that is smaller: a handshake expects a few bytes, not gigabytes).
  FrameHeader receive_header(std::uint64_t cap = UINT64_MAX);
  /// Like receive_header, but a peer that closes cleanly before the first byte of the next
  /// header gives nullopt (the end of its session) rather than an error.
  std::optional<FrameHeader> receive_next_header();
  /// Reads a body announced by a header into a fresh buffer (length already capped).
  std::vector<std::byte> receive_body(const FrameHeader& h);
  /// Reads and throws away `length` bytes through `scratch` (which must not be empty).
  void discard_body(std::uint64_t length, std::span<std::byte> scratch);
  /// Reads the next message, insists on `type`, returns its payload.
  std::vector<std::byte> receive_expected(MessageType type, std::uint64_t cap = UINT64_MAX);

  /// Bounds every wait from now on by `d` too (nullopt: only the idle timeout again).
  void set_deadline(std::optional<Deadline> d) { deadline_ = d; }

  /// Wakes up a thread blocked on this connection from another thread (both directions end).
  void shutdown();
  int fd() const { return socket_.fd(); }
  const Limits& limits() const { return limits_; }

 private:
  const Deadline* deadline() const { return deadline_ ? &*deadline_ : nullptr; }

  Socket socket_;
  Limits limits_;
  std::optional<Deadline> deadline_;
};

/// 16 random bytes from /dev/urandom as 32 lower-case hex digits.
std::string generate_token();
/// Compares in time that depends only on the lengths, so a remote client learns nothing from
/// how long a rejection takes.
bool tokens_equal(std::string_view a, std::string_view b);
/// True for 32 hex digits (what generate_token makes).
bool looks_like_token(std::string_view t);

/// Connects to host:port (a name or an address literal), sends the token and waits for
/// `welcome`. Throws TcpError: io when unreachable, rejected when the server closes instead.
Connection connect(const std::string& host, int port, const std::string& token,
                   Limits limits = {});

/// The server's half of the handshake on a freshly accepted, configured socket: reads `hello`
/// (at most 256 bytes of token), compares, runs `accepted` (if any; it may throw to refuse),
/// answers `welcome`, all within `total` of the call (TcpError(timeout) after that). Throws
/// TcpError(rejected) for a wrong token and the frame errors for anything else.
void accept_handshake(Connection& c, const std::string& token,
                      std::chrono::milliseconds total = default_handshake_timeout,
                      const std::function<void()>& accepted = {});

}  // namespace dlscale::tcp
