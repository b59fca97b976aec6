#include "calibrate/tcp/server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>

#include <fmt/format.h>

namespace dlscale::tcp {

struct Server::Peer {
  int fd = -1;  ///< -1 once the peer's connection is closing: stop() must not shut a reused fd
  std::string name;
  std::thread thread;
  std::atomic<bool> done{false};
  bool authenticated = false;  ///< guarded by mutex_; past the handshake: never evicted
  bool evicted = false;        ///< guarded by mutex_; shut down by make_room
};

namespace {

std::string peer_name(const sockaddr_storage& ss) {
  char text[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    return fmt::format("{}:{}", text, ntohs(a->sin_port));
  }
  const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
  ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
  return fmt::format("[{}]:{}", text, ntohs(a->sin6_port));
}

Socket bind_listener(const ServerOptions& o) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;  // an address, not a name that DNS could change
  addrinfo* found = nullptr;
  const auto service = std::to_string(o.port);
  if (const int rc = ::getaddrinfo(o.bind_address.c_str(), service.c_str(), &hints, &found); rc)
    throw TcpError(Failure::io, fmt::format("bind address '{}': {}", o.bind_address, ::gai_strerror(rc)));
  Socket s(::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  const int one = 1;
  const bool ok = s.valid() &&
                  ::setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
                  ::bind(s.fd(), found->ai_addr, found->ai_addrlen) == 0 &&
                  ::listen(s.fd(), 128) == 0;
  const int err = errno;
  ::freeaddrinfo(found);
  errno = err;
  if (!ok) throw_errno(fmt::format("cannot listen on {}:{}", o.bind_address, service));
  return s;
}

}  // namespace

Server::Server(ServerOptions options, PeerHandler handler)
    : options_(std::move(options)), handler_(std::move(handler)), listener_(bind_listener(options_)) {
  if (options_.token.empty()) options_.token = generate_token();
  std::tie(address_, port_) = local_address(listener_.fd());
  acceptor_ = std::thread(&Server::accept_loop, this);
}

Server::~Server() { stop(); }

ServerStats Server::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Server::log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

void Server::count(Failure f) {
  std::lock_guard lock(mutex_);
  switch (f) {
    case Failure::closed: ++stats_.closed_early; break;
    case Failure::timeout: ++stats_.timed_out; break;
    case Failure::bad_magic: ++stats_.bad_magic; break;
    case Failure::bad_frame: ++stats_.bad_frame; break;
    case Failure::oversize: ++stats_.oversize; break;
    case Failure::rejected: ++stats_.rejected_token; break;
    case Failure::io: ++stats_.io_error; break;
  }
}

void Server::reap_finished() {
  std::lock_guard lock(mutex_);
  for (auto it = peers_.begin(); it != peers_.end();) {
    if ((*it)->done) {
      (*it)->thread.join();
      it = peers_.erase(it);
    } else {
      ++it;
    }
  }
}

// With max_peers peers being served, the oldest one still in its handshake is shut down to
// make room. A correct client finishes its handshake in one round trip, so connections that
// hold slots without authenticating (slowloris: a byte per idle period) cannot lock it out,
// even within the handshake deadline: an attacker would have to open max_peers connections
// during that round trip. Authenticated peers are never evicted. Evicted threads end at once
// (their reads fail), and the list is capped at 2 x max_peers in all. Called with mutex_ held.
bool Server::make_room() {
  const auto max = static_cast<std::size_t>(options_.max_peers);
  std::size_t live = 0;
  Peer* oldest_pending = nullptr;  // peers_ is in accept order
  for (auto& p : peers_) {
    if (p->evicted) continue;
    ++live;
    if (!oldest_pending && !p->authenticated && p->fd >= 0) oldest_pending = p.get();
  }
  if (peers_.size() >= 2 * max) return false;
  if (live < max) return true;
  if (!oldest_pending) return false;
  oldest_pending->evicted = true;
  ::shutdown(oldest_pending->fd, SHUT_RDWR);
  ++stats_.evicted;
  log(fmt::format("peer {} evicted: its handshake was the oldest pending with all {} slots taken",
                  oldest_pending->name, max));
  return true;
}

bool Server::was_evicted(const Peer& peer) const {
  std::lock_guard lock(mutex_);
  return peer.evicted;
}

void Server::accept_loop() {
  while (!stopping_) {
    pollfd p{listener_.fd(), POLLIN, 0};
    // A short poll so that stop() is noticed within 50 ms without a wake-up pipe.
    if (::poll(&p, 1, 50) <= 0) continue;
    sockaddr_storage from{};
    socklen_t len = sizeof from;
    Socket s(::accept4(listener_.fd(), reinterpret_cast<sockaddr*>(&from), &len, SOCK_CLOEXEC));
    if (!s.valid()) {
      // EAGAIN: the peer left before we took it; EMFILE: out of descriptors, back off a bit.
      if (errno == EMFILE || errno == ENFILE) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    reap_finished();
    std::lock_guard lock(mutex_);
    ++stats_.accepted;
    if (!make_room()) {
      ++stats_.refused_busy;
      continue;  // s closes here
    }
    auto& peer = *peers_.emplace_back(std::make_unique<Peer>());
    peer.name = peer_name(from);
    peer.fd = s.release();
    peer.thread = std::thread(&Server::serve_peer, this, std::ref(peer));
  }
}

void Server::serve_peer(Peer& peer) {
  {
    Connection c(Socket(peer.fd), options_.limits);
    try {
      configure_stream(c.fd(), options_.limits.socket_buffer_bytes);
      // Marked authenticated before the welcome goes out, so that make_room cannot evict a
      // client that already holds its welcome.
      accept_handshake(c, options_.token, options_.handshake_timeout, [&] {
        std::lock_guard lock(mutex_);
        if (peer.evicted) throw TcpError(Failure::closed, "evicted during the handshake");
        peer.authenticated = true;
        ++stats_.authenticated;
      });
      handler_(c);
      std::lock_guard lock(mutex_);
      ++stats_.finished;
    } catch (const TcpError& e) {
      if (!stopping_ && !was_evicted(peer)) {  // an eviction was counted and logged already
        count(e.failure);
        log(fmt::format("peer {} dropped ({}): {}", peer.name, to_string(e.failure), e.what()));
      }
    } catch (const std::exception& e) {  // e.g. bad_alloc from a handler: drop the peer, not us
      if (!stopping_ && !was_evicted(peer)) {
        count(Failure::io);
        log(fmt::format("peer {} dropped: {}", peer.name, e.what()));
      }
    }
    std::lock_guard lock(mutex_);
    peer.fd = -1;
  }  // the connection closes here, after stop() can no longer see its descriptor
  peer.done = true;
}

void Server::stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (auto& p : peers_)
      if (p->fd >= 0) ::shutdown(p->fd, SHUT_RDWR);
  }
  // Peer threads take the mutex on their way out, so join without holding it.
  std::list<std::unique_ptr<Peer>> peers;
  {
    std::lock_guard lock(mutex_);
    peers.swap(peers_);
  }
  for (auto& p : peers) p->thread.join();
  listener_.close();
}

}  // namespace dlscale::tcp
