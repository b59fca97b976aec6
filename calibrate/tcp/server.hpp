#pragma once
/// A listening server: one thread accepts, one thread per peer runs the handshake and then a
/// handler. A peer that fails in any way (wrong token, garbage, a huge size, silence, a
/// disconnect mid-message) is closed, counted and logged; the server goes on serving others.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "calibrate/tcp/connection.hpp"

namespace dlscale::tcp {

struct ServerOptions {
  /// Loopback unless told otherwise: a probe must not open a port to the network by accident.
  std::string bind_address = "127.0.0.1";
  int port = 0;       ///< 0: the kernel picks a free port; see Server::port()
  std::string token;  ///< empty: a fresh random one (generate_token)
  Limits limits;      ///< for every peer
  /// Peers served at once. A connection beyond it shuts down the oldest peer still in its
  /// handshake (see Server::make_room), or is closed at accept when every peer is
  /// authenticated (threads are not free).
  int max_peers = 64;
  /// Total time a peer has for its whole handshake; the idle timeout is per wait, so without
  /// this a peer trickling a byte per wait would hold its slot for minutes (256 token bytes x
  /// 5 s), and max_peers such peers would lock every correct client out.
  std::chrono::milliseconds handshake_timeout = default_handshake_timeout;
  /// Called with one line per notable event (peer dropped, token rejected); may be empty.
  /// Runs on the peer's thread: it must be thread-safe.
  std::function<void(const std::string&)> log;
};

/// How peers ended; all counters only grow.
struct ServerStats {
  std::uint64_t accepted = 0;       ///< TCP connections accepted
  std::uint64_t authenticated = 0;  ///< handshakes that passed
  std::uint64_t finished = 0;       ///< handlers that returned normally
  std::uint64_t rejected_token = 0;
  std::uint64_t refused_busy = 0;   ///< closed at accept: max_peers authenticated peers served
  std::uint64_t evicted = 0;        ///< in their handshake, shut down to make room for a newcomer
  std::uint64_t closed_early = 0;   ///< disconnected in the middle of a message or handshake
  std::uint64_t timed_out = 0;
  std::uint64_t bad_magic = 0;
  std::uint64_t bad_frame = 0;
  std::uint64_t oversize = 0;
  std::uint64_t io_error = 0;
  std::uint64_t dropped() const {
    return rejected_token + closed_early + timed_out + bad_magic + bad_frame + oversize + io_error +
           evicted;
  }
};

/// Serves one authenticated peer until it is done; throws TcpError to drop it. A handler that
/// returns when the peer closes between messages should catch that itself (see service.hpp).
using PeerHandler = std::function<void(Connection&)>;

class Server {
 public:
  /// Binds, listens and starts accepting. Throws TcpError(io) if the address cannot be bound.
  Server(ServerOptions options, PeerHandler handler);
  ~Server();  ///< stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  const std::string& address() const { return address_; }  ///< as bound, from getsockname
  const std::string& token() const { return options_.token; }
  int listen_fd() const { return listener_.fd(); }
  ServerStats stats() const;

  /// Stops accepting, wakes every peer thread (shutdown of its socket) and joins them all.
  void stop();

 private:
  struct Peer;
  void accept_loop();
  void serve_peer(Peer& peer);
  void count(Failure f);
  void log(const std::string& line) const;
  void reap_finished();
  bool make_room();
  bool was_evicted(const Peer& peer) const;

  ServerOptions options_;
  PeerHandler handler_;
  Socket listener_;
  int port_ = 0;
  std::string address_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;  ///< guards peers_ and stats_
  std::list<std::unique_ptr<Peer>> peers_;
  ServerStats stats_;
  std::thread acceptor_;
};

}  // namespace dlscale::tcp
