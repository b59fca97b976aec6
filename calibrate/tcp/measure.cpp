#include "calibrate/tcp/measure.hpp"

#include <algorithm>

#include "dlscale/error.hpp"

namespace dlscale::tcp {
namespace {

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

}  // namespace

Spread spread_of(std::vector<double> s) {
  std::sort(s.begin(), s.end());
  const auto n = s.size();
  const double median = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  return {Seconds{median}, Seconds{s.front()}, Seconds{s.back()}};
}

std::vector<std::uint64_t> sweep_sizes(std::uint64_t min_bytes, std::uint64_t max_bytes) {
  std::vector<std::uint64_t> sizes;
  for (auto n = min_bytes; n < max_bytes; n *= 2) sizes.push_back(n);
  sizes.push_back(max_bytes);
  return sizes;
}

Connection open(const Endpoint& at) { return connect(at.host, at.port, at.token, at.limits); }

Seconds time_one_way(Connection& c, std::uint64_t bytes, std::span<const std::byte> pattern) {
  const auto t0 = Clock::now();
  c.send_repeating(MessageType::data, bytes, pattern);
  const auto ack = c.receive_expected(MessageType::ack, 1);
  if (ack.size() != 1) throw TcpError(Failure::bad_frame, "ack must carry 1 byte");
  return Seconds{since(t0)};
}

Seconds time_pull(Connection& c, std::uint64_t bytes, std::span<std::byte> scratch) {
  const auto t0 = Clock::now();
  c.send(MessageType::pull, encode_u64(bytes));
  const auto h = c.receive_header();
  if (h.type != MessageType::data || h.length != bytes)
    throw TcpError(Failure::bad_frame, "pull answered with a wrong frame");
  c.discard_body(h.length, scratch);
  return Seconds{since(t0)};
}

Sweep sweep_one_way(const Endpoint& at, const SweepOptions& o) {
  const auto t0 = Clock::now();
  auto c = open(at);
  std::vector<std::byte> pattern(std::min<std::uint64_t>(o.max_bytes, 4 << 20), std::byte{0x5a});
  Sweep sweep;
  double last_cost = 0;  // seconds the previous size took, warm-up included
  std::uint64_t last_bytes = 0;
  for (const auto n : sweep_sizes(o.min_bytes, o.max_bytes)) {
    const double predicted = last_bytes ? last_cost * static_cast<double>(n) / static_cast<double>(last_bytes) : 0;
    if (sweep.sizes.size() >= 2 && since(t0) + predicted > o.budget.v) {
      sweep.budget_spent = true;
      break;
    }
    const auto size_start = Clock::now();
    for (int i = 0; i < o.repeats.warmup; ++i) time_one_way(c, n, pattern);
    std::vector<double> times;
    for (int i = 0; i < o.repeats.reps; ++i) times.push_back(time_one_way(c, n, pattern).v);
    sweep.sizes.push_back({Bytes{n}, spread_of(times)});
    if (o.progress) o.progress(sweep.sizes.back());
    last_cost = since(size_start);
    last_bytes = n;
  }
  c.send(MessageType::bye);
  sweep.elapsed = Seconds{since(t0)};
  return sweep;
}

SweepFit fit_sweep(const Sweep& sweep, std::uint64_t min_bytes) {
  std::vector<TransferSample> samples;
  for (const auto& s : sweep.sizes)
    if (s.bytes.v >= min_bytes) samples.push_back({s.bytes, s.time.median});
  try {
    return {fit_link(samples), {}};
  } catch (const ConfigError& e) {
    return {std::nullopt, e.what()};
  }
}

double jain_index(std::span<const double> x) {
  double sum = 0, squares = 0;
  for (double v : x) {
    sum += v;
    squares += v * v;
  }
  return squares > 0 ? sum * sum / (static_cast<double>(x.size()) * squares) : 0;
}

}  // namespace dlscale::tcp
