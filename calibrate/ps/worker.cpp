#include "calibrate/ps/worker.hpp"

#include <chrono>
#include <exception>
#include <optional>
#include <ostream>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "calibrate/ps/shards.hpp"
#include "calibrate/tcp/connection.hpp"

namespace dlscale::ps {
namespace {

using tcp::MessageType;

struct Link {
  int shard = 0;
  std::uint64_t bytes = 0;
  std::optional<tcp::Connection> c;
  std::vector<std::byte> scratch = std::vector<std::byte>(std::size_t{1} << 20, std::byte{0x5a});
};

// One push and one pull with one server (the protocol in server.hpp).
void exchange(Link& l) {
  static constexpr std::byte ack_payload[1] = {std::byte{1}};
  tcp::Connection& c = *l.c;
  c.send(MessageType::turn);
  c.receive_expected(MessageType::ack, 1);
  c.send_repeating(MessageType::data, l.bytes, l.scratch);
  c.send(MessageType::pull, tcp::encode_u64(l.bytes));
  const auto h = c.receive_header();
  if (h.type != MessageType::data || h.length != l.bytes)
    throw tcp::TcpError(tcp::Failure::bad_frame,
                        fmt::format("server of shard {}: {} bytes of type {} pulled; {} bytes of "
                                    "data expected", l.shard, h.length, static_cast<int>(h.type), l.bytes));
  c.discard_body(h.length, l.scratch);
  c.send(MessageType::ack, ack_payload);
}

// Every server at once; the first failure is rethrown after all threads ended.
void exchange_all(std::vector<Link>& links) {
  if (links.size() == 1) return exchange(links.front());
  std::vector<std::exception_ptr> errors(links.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < links.size(); ++i)
    threads.emplace_back([&, i] {
      try {
        exchange(links[i]);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace

int run_worker(const PsArgs& a, std::ostream& out, std::ostream& log) {
  const int k = static_cast<int>(a.servers.size());
  const auto shards = shard_bytes(a.network, a.bytes, k, a.largest_first);
  const auto start = tcp::Clock::now();
  std::vector<Link> links;
  for (int j = 0; j < k; ++j) {
    const auto bytes = shards[static_cast<std::size_t>(j)];
    if (bytes == 0) continue;  // more servers than tensors: that server holds nothing
    tcp::Limits limits;
    limits.idle_timeout = a.idle_timeout;
    limits.max_message_bytes = std::max<std::uint64_t>(bytes, 1024);
    Link& l = links.emplace_back();
    l.shard = j;
    l.bytes = bytes;
    const auto& e = a.servers[static_cast<std::size_t>(j)];
    l.c.emplace(tcp::connect(e.host, e.port, a.token, limits));
    l.c->set_deadline(tcp::Deadline{start, a.timeout, "run"});
  }
  out << fmt::format("# dlscale-ps worker: {} servers, bytes per server {}, compute {} s, "
                     "warm-up {} iterations\n", k, fmt::join(shards, " "), a.compute_s, a.warmup);
  out << "iteration,seconds\n";
  const auto compute = std::chrono::duration<double>(a.compute_s);
  for (int i = 0; i < a.warmup + a.iterations; ++i) {
    if (tcp::Clock::now() - start >= a.timeout)
      throw tcp::TcpError(tcp::Failure::timeout, fmt::format("the run's timeout passed at iteration {}", i));
    const auto t0 = tcp::Clock::now();
    std::this_thread::sleep_for(compute);
    exchange_all(links);
    const std::chrono::duration<double> t = tcp::Clock::now() - t0;
    if (i >= a.warmup) out << fmt::format("{},{:.6f}\n", i - a.warmup + 1, t.count());
  }
  for (auto& l : links) l.c->send(MessageType::bye);
  out.flush();
  log << fmt::format("dlscale-ps worker: {} iterations with {} servers done\n", a.warmup + a.iterations, links.size());
  return 0;
}

}  // namespace dlscale::ps
