// The TCP part of a calibration: one connection to a measurement server (a local thread on
// 127.0.0.1, or a remote `dlscale-tcp-probe --serve`), one-way transfers of a power-of-two
// size sweep (bounded by a time budget) and of every network's exact weight size, each timed
// transfer kept, and alpha/beta fitted over the per-size medians.
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <set>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "calibrate/profile/calibrate_run.hpp"
#include "calibrate/tcp/measure.hpp"
#include "calibrate/tcp/server.hpp"
#include "calibrate/tcp/service.hpp"
#include "dlscale/error.hpp"

namespace dlscale::calib {
namespace {

// Times one size: warm-ups, then timed transfers, each kept as a sample.
std::vector<double> time_size(tcp::Connection& c, std::uint64_t bytes, const CalibrateArgs& a,
                              std::span<const std::byte> pattern) {
  for (int i = 0; i < a.tcp_warmup; ++i) tcp::time_one_way(c, bytes, pattern);
  std::vector<double> s;
  for (int i = 0; i < a.tcp_repeat; ++i) s.push_back(tcp::time_one_way(c, bytes, pattern).v);
  return s;
}

}  // namespace

TcpCalibration measure_tcp(const std::vector<Bytes>& network_bytes, const CalibrateArgs& a,
                           std::ostream& log) {
  // The sweep reaches every network's size and twice its first size (two sizes to fit).
  std::uint64_t largest = 2 * a.tcp_min_bytes;
  for (const Bytes b : network_bytes) largest = std::max(largest, b.v);
  tcp::Limits limits;
  limits.max_message_bytes = std::max<std::uint64_t>(largest, 1 << 20);

  std::unique_ptr<tcp::Server> local;
  tcp::Endpoint at;
  if (a.tcp == TcpMode::local) {
    tcp::ServerOptions o;  // 127.0.0.1, a free port, a fresh token
    o.limits = limits;
    local = std::make_unique<tcp::Server>(o, tcp::serve_measurements);
    at = {local->address(), local->port(), local->token(), limits};
  } else {
    at = {a.host, a.port, a.token, limits};
  }
  tcp::Connection c = tcp::open(at);
  std::vector<std::byte> pattern(1 << 20);
  for (std::size_t i = 0; i < pattern.size(); ++i) pattern[i] = static_cast<std::byte>(i * 131 % 251);

  TcpCalibration r;
  r.link.name = "tcp";
  std::set<std::uint64_t> exact;
  for (const Bytes b : network_bytes) exact.insert(b.v);
  std::vector<TransferSample> measured;  // every size's median (the networks' t_comm)
  std::vector<TransferSample> medians;   // the fit's: sizes >= --tcp-min-bytes
  const auto start = std::chrono::steady_clock::now();
  const auto measure = [&](std::uint64_t bytes) {
    const auto s = time_size(c, bytes, a, pattern);
    const auto spread = tcp::spread_of(s);
    measured.push_back({Bytes{bytes}, spread.median});
    if (bytes >= a.tcp_min_bytes) {
      for (double t : s) r.link.samples.push_back({Bytes{bytes}, Seconds{t}});
      medians.push_back({Bytes{bytes}, spread.median});
    }
    fmt::print(log, "dlscale-calibrate: tcp {} bytes: median {:.4g} s ({:.1f} MB/s)\n", bytes,
               spread.median.v, static_cast<double>(bytes) / spread.median.v / 1e6);
    log.flush();
    return spread.median;
  };
  // The sweep grows while the budget lasts; a network's own size is never skipped.
  for (const std::uint64_t bytes : tcp::sweep_sizes(a.tcp_min_bytes, largest)) {
    const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (exact.contains(bytes) || spent < a.tcp_budget_s || medians.size() < 2) {
      measure(bytes);
      exact.erase(bytes);
    }
  }
  for (const std::uint64_t bytes : exact) measure(bytes);
  std::sort(medians.begin(), medians.end(), [](auto& x, auto& y) { return x.bytes < y.bytes; });
  for (const Bytes b : network_bytes)
    for (const auto& m : measured)
      if (m.bytes == b) {
        r.t_comm.push_back(m.seconds);
        break;
      }

  try {
    const LinkFit fit = fit_link_nonnegative(medians);
    r.fitted = true;
    r.link.model = fit.link;
    r.link.max_relative_residual = fit.max_abs_residual;
    r.link.source = fmt::format("dlscale-calibrate: one-way TCP to {}:{}, least squares over {} "
                                "sizes{}{}{}", at.host, at.port, medians.size(),
                                a.tcp_min_bytes != 1024
                                    ? fmt::format(" from {} B", a.tcp_min_bytes) : std::string(),
                                fit.bad_fit ? ", BAD FIT (a residual above 10 %)" : "",
                                fit.refitted_from_alpha
                                    ? fmt::format(", alpha 0: the free fit's was {:.3g} s",
                                                  fit.refitted_from_alpha->v)
                                    : std::string());
  } catch (const ConfigError& e) {
    r.failure = e.what();
  }
  if (local) local->stop();
  return r;
}

}  // namespace dlscale::calib
