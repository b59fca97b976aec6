// Duplex and fan-in: several connections driven by threads that start together each rep.
#include <algorithm>
#include <exception>
#include <latch>
#include <thread>

#include "calibrate/tcp/measure.hpp"

namespace dlscale::tcp {
namespace {

constexpr std::size_t chunk_bytes = std::size_t{4} << 20;

/// Runs jobs[i]() on one thread each, released together by a latch; rethrows the first error
/// after all have finished (a failed peer must not leave threads behind).
void run_together(const std::vector<std::function<void()>>& jobs) {
  std::latch start(static_cast<std::ptrdiff_t>(jobs.size()));
  std::vector<std::exception_ptr> errors(jobs.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < jobs.size(); ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        jobs[i]();
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

std::vector<std::byte> buffer_for(std::uint64_t bytes) {
  return std::vector<std::byte>(std::clamp<std::uint64_t>(bytes, 1, chunk_bytes), std::byte{0x5a});
}

}  // namespace

DuplexResult measure_duplex(const Endpoint& at, std::uint64_t bytes, Repeats repeats) {
  auto up = open(at);
  auto down = open(at);
  auto pattern = buffer_for(bytes);
  auto scratch = buffer_for(bytes);
  std::vector<double> t_up, t_down, t_up_alone, t_down_alone;
  for (int i = 0; i < repeats.warmup + repeats.reps; ++i) {
    const bool timed = i >= repeats.warmup;
    Seconds a, b;
    run_together({[&] { a = time_one_way(up, bytes, pattern); },
                  [&] { b = time_pull(down, bytes, scratch); }});
    const auto a_alone = time_one_way(up, bytes, pattern);
    const auto b_alone = time_pull(down, bytes, scratch);
    if (!timed) continue;
    t_up.push_back(a.v);
    t_down.push_back(b.v);
    t_up_alone.push_back(a_alone.v);
    t_down_alone.push_back(b_alone.v);
  }
  up.send(MessageType::bye);
  down.send(MessageType::bye);
  return {Bytes{bytes}, spread_of(t_up), spread_of(t_down), spread_of(t_up_alone),
          spread_of(t_down_alone)};
}

FanInResult measure_fan_in(const Endpoint& at, int clients, std::uint64_t bytes, Repeats repeats) {
  const auto k = static_cast<std::size_t>(clients);
  std::vector<Connection> connections;
  for (std::size_t i = 0; i < k; ++i) connections.push_back(open(at));
  const auto pattern = buffer_for(bytes);  // read-only: shared by all senders
  std::vector<double> rounds, jains, ratios;
  std::vector<std::vector<double>> per_client(k);
  for (int rep = 0; rep < repeats.warmup + repeats.reps; ++rep) {
    std::vector<Clock::time_point> start(k), end(k);
    std::vector<std::function<void()>> jobs;
    for (std::size_t i = 0; i < k; ++i)
      jobs.emplace_back([&, i] {
        start[i] = Clock::now();
        time_one_way(connections[i], bytes, pattern);
        end[i] = Clock::now();
      });
    run_together(jobs);
    if (rep < repeats.warmup) continue;
    const auto first = *std::min_element(start.begin(), start.end());
    std::vector<double> finish(k), bandwidth(k);
    for (std::size_t i = 0; i < k; ++i) {
      finish[i] = std::chrono::duration<double>(end[i] - first).count();
      bandwidth[i] = static_cast<double>(bytes) / std::chrono::duration<double>(end[i] - start[i]).count();
      per_client[i].push_back(bandwidth[i]);
    }
    const auto [lo, hi] = std::minmax_element(finish.begin(), finish.end());
    rounds.push_back(*hi);
    ratios.push_back(*lo / *hi);
    jains.push_back(jain_index(bandwidth));
  }
  for (auto& c : connections) c.send(MessageType::bye);
  FanInResult r;
  r.clients = clients;
  r.bytes = Bytes{bytes};
  r.round = spread_of(rounds);
  for (auto& b : per_client) r.client_bandwidth.push_back(spread_of(b).median.v);
  r.aggregate_bandwidth = static_cast<double>(k * bytes) / r.round.median.v;
  r.jain_index = spread_of(jains).median.v;
  r.finish_ratio = spread_of(ratios).median.v;
  // FIFO service ends the clients at n/B, 2n/B, ..., kn/B (ratio 1/k); fair sharing ends them
  // all at about kn/B (ratio 1). The verdict is whichever the measured ratio is nearer.
  r.sharing = r.finish_ratio >= 0.5 * (1.0 + 1.0 / static_cast<double>(k)) ? "fair" : "fifo";
  return r;
}

}  // namespace dlscale::tcp
