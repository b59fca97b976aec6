#include "calibrate/ps/server.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <ostream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "calibrate/ps/shards.hpp"
#include "calibrate/ps/turns.hpp"
#include "calibrate/tcp/server.hpp"

namespace dlscale::ps {
namespace {

using tcp::Failure;
using tcp::MessageType;
using tcp::TcpError;

struct Shared {
  const PsArgs& args;
  std::uint64_t shard_bytes = 0;
  tcp::Clock::time_point deadline;
  Progress progress;
  FifoTurns in, out;  // used by the fifo policy only
  std::atomic<bool> abort{false};
};

// A message of another size than the protocol (or this server's shard) says drops the peer.
void check_size(std::uint64_t got, std::uint64_t expected, const char* what) {
  if (got != expected)
    throw TcpError(Failure::bad_frame, fmt::format("{} of {} bytes; {} expected", what, got, expected));
}

// One worker's session. Any exception drops this peer; the main thread then aborts the run.
void serve_worker(Shared& s, tcp::Connection& c) {
  const bool fifo = s.args.policy == Policy::fifo;
  const bool barrier = s.args.mode != Mode::async;
  std::vector<std::byte> scratch(std::size_t{1} << 20);
  const std::byte ack_payload[1] = {std::byte{1}};
  // Every read and write of the session also ends at the run's deadline.
  const auto now = tcp::Clock::now();
  c.set_deadline(tcp::Deadline{now, std::chrono::duration_cast<std::chrono::milliseconds>(s.deadline - now), "run"});
  bool joined = false, granted = false;
  std::uint64_t rounds = 0;  // this worker's pushes
  while (const auto h = c.receive_next_header()) {
    switch (h->type) {
      case MessageType::turn:
        check_size(h->length, 0, "turn request");
        if (!joined) s.progress.join_and_wait(s.deadline, s.abort);
        joined = true;
        if (fifo) s.in.wait(s.in.take(), s.deadline, s.abort);
        granted = true;
        c.send(MessageType::ack, ack_payload);
        break;
      case MessageType::data:
        if (!granted) throw TcpError(Failure::bad_frame, "push without a turn");
        check_size(h->length, s.shard_bytes, "push (this server's shard)");
        c.discard_body(h->length, scratch);
        granted = false;
        if (fifo) s.in.release();
        s.progress.pushed();
        ++rounds;
        break;
      case MessageType::pull: {
        check_size(h->length, 8, "pull request");
        const auto n = tcp::decode_u64(c.receive_body(*h).data());
        check_size(n, s.shard_bytes, "pull (this server's shard)");
        if (rounds == 0) throw TcpError(Failure::bad_frame, "pull before the first push");
        // The ticket is taken on arrival, so the semaphore serves pulls in the order asked.
        const auto ticket = fifo ? s.out.take() : 0;
        if (barrier) s.progress.wait_round(rounds, s.deadline, s.abort);
        if (fifo) s.out.wait(ticket, s.deadline, s.abort);
        c.send_repeating(MessageType::data, n, scratch);
        // Written is not sent: the bytes may still sit in the socket buffers; the worker's
        // ack says they arrived, and only then may the next pull use the link.
        c.receive_expected(MessageType::ack, 1);
        if (fifo) s.out.release();
        break;
      }
      case MessageType::bye:
        return;
      default:
        throw TcpError(Failure::bad_frame, fmt::format("unexpected message type {}", static_cast<int>(h->type)));
    }
  }
  throw TcpError(Failure::closed, "the worker closed without bye");
}

}  // namespace

int run_server(const PsArgs& a, std::ostream& out, std::ostream& log) {
  const auto shards = shard_bytes(a.network, a.bytes, a.shards, a.largest_first);
  Shared s{a, shards[static_cast<std::size_t>(a.shard)], tcp::Clock::now() + a.timeout,
           Progress(a.workers), {}, {}, {}};
  if (s.shard_bytes == 0) {
    // More servers than tensors: this one holds nothing, and the workers do not connect.
    out << "listening " << a.port << "\nshard " << a.shard << " of " << a.shards
        << " holds no tensor; nothing to serve" << std::endl;
    return 0;
  }
  std::mutex log_mutex;
  tcp::ServerOptions o;
  o.bind_address = a.bind_address;
  o.port = a.port;
  o.token = a.token;
  o.limits.idle_timeout = a.idle_timeout;
  o.limits.max_message_bytes = std::max<std::uint64_t>(s.shard_bytes, 1024);
  o.max_peers = a.workers + 4;
  o.log = [&](const std::string& line) {
    const std::lock_guard lock(log_mutex);
    log << "dlscale-ps server: " << line << std::endl;
  };
  tcp::Server server(o, [&](tcp::Connection& c) { serve_worker(s, c); });
  out << "listening " << server.port() << std::endl;
  int rc = 0;
  while (true) {
    const auto st = server.stats();
    if (st.finished >= static_cast<std::uint64_t>(a.workers)) break;
    if (st.dropped() > 0 || st.refused_busy > 0) {
      log << fmt::format("dlscale-ps server: shard {}: a worker was dropped; the run failed\n", a.shard);
      rc = 1;
      break;
    }
    if (tcp::Clock::now() >= s.deadline) {
      log << fmt::format("dlscale-ps server: shard {}: the run's timeout passed with {} of {} "
                         "workers done\n", a.shard, st.finished, a.workers);
      rc = 1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  s.abort = true;
  server.stop();
  log << fmt::format("dlscale-ps server: shard {} ({} B): {} pushes applied\n", a.shard,
                     s.shard_bytes, s.progress.pushes());
  return rc;
}

}  // namespace dlscale::ps
