#pragma once
/// Client-side measurements against a server running serve_measurements.
///
/// Timing definitions (steady_clock, on the client):
///   one-way  the client starts sending a data frame of n bytes; the server reads all of it and
///            answers a 1-byte ack frame; time = start of the send to the ack's arrival. So it
///            includes one small-message latency back, which the fit's alpha absorbs.
///   pull     the client sends a pull request; time = start of the request to the last byte of
///            the n-byte data frame the server sends back.
/// Each size: `warmup` untimed transfers, then `reps` timed ones; median, min and max reported.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "calibrate/tcp/connection.hpp"
#include "dlscale/fit.hpp"
#include "dlscale/units.hpp"

namespace dlscale::tcp {

/// Where the measurement server is and how to talk to it.
struct Endpoint {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string token;
  Limits limits;
};

struct Spread {
  Seconds median, min, max;
};
/// Median (mean of the middle two for an even count), min and max; `seconds` must not be empty.
Spread spread_of(std::vector<double> seconds);

struct SizeTiming {
  Bytes bytes;
  Spread time;
  /// bytes / median time, in bytes per second.
  double bandwidth() const { return static_cast<double>(bytes.v) / time.median.v; }
};

struct Repeats {
  int warmup = 1;
  int reps = 5;
};

struct SweepOptions {
  std::uint64_t min_bytes = 1024;
  std::uint64_t max_bytes = 1 << 20;
  /// The sweep stops growing before a size that would end past this (predicted from the last
  /// size's time, scaled by the size ratio). The first two sizes always run, for the fit.
  Seconds budget{10.0};
  Repeats repeats;
  std::function<void(const SizeTiming&)> progress;  ///< after each size; may be empty
};

struct Sweep {
  std::vector<SizeTiming> sizes;
  bool budget_spent = false;  ///< true when the budget stopped it before max_bytes
  Seconds elapsed;
};

/// min, 2 min, 4 min, ... while below max, then max itself: the interesting size (a network's
/// weights) is measured exactly even when it is not a power of two.
std::vector<std::uint64_t> sweep_sizes(std::uint64_t min_bytes, std::uint64_t max_bytes);

/// One timed one-way transfer on an open connection (definition above). `pattern` is sent
/// cyclically and must not be empty.
Seconds time_one_way(Connection& c, std::uint64_t bytes, std::span<const std::byte> pattern);
/// One timed pull (definition above); `scratch` receives the data and must not be empty.
Seconds time_pull(Connection& c, std::uint64_t bytes, std::span<std::byte> scratch);

/// The one-way message-size sweep on one connection.
Sweep sweep_one_way(const Endpoint& at, const SweepOptions& options);

/// fit_link over the sweep's medians of sizes >= min_bytes, or why it could not be fitted.
/// A floor lets the fit describe large messages only, when small ones live in another regime
/// (on loopback, copies that fit in the CPU caches).
struct SweepFit {
  std::optional<LinkFit> fit;
  std::string failure;  ///< fit_link's message when `fit` is empty
};
SweepFit fit_sweep(const Sweep& sweep, std::uint64_t min_bytes = 0);

/// Both directions at once on two connections: one sends n bytes (one-way), the other pulls
/// n bytes, started together each rep. The same transfers alone are measured as a baseline.
struct DuplexResult {
  Bytes bytes;
  Spread up, down;              ///< simultaneous: client -> server, server -> client
  Spread up_alone, down_alone;  ///< each direction on its own
};
DuplexResult measure_duplex(const Endpoint& at, std::uint64_t bytes, Repeats repeats);

/// k clients (threads, one connection each) send n bytes one-way at the same moment.
struct FanInResult {
  int clients = 0;
  Bytes bytes;
  Spread round;                       ///< first start to last ack, per rep
  std::vector<double> client_bandwidth;  ///< bytes/s per client (median over reps)
  double aggregate_bandwidth = 0;     ///< k n / median round time
  double jain_index = 0;              ///< of per-client bandwidths, median over reps; 1 = equal
  double finish_ratio = 0;            ///< earliest / latest finish, median over reps
  /// "fair" when finish_ratio is nearer 1 (everyone ends together, shared bandwidth) than 1/k
  /// (clients served one after another); "fifo" otherwise.
  std::string sharing;
};
FanInResult measure_fan_in(const Endpoint& at, int clients, std::uint64_t bytes, Repeats repeats);

/// Steady-state throughput like iperf3's: frames of `chunk` bytes sent back to back for
/// `duration` (after an untimed warm-up of min(0.5 s, duration / 4)), at most `window` of them
/// unacknowledged; bandwidth = bytes / (first send to last ack).
struct StreamResult {
  Bytes chunk;
  int window = 0;
  std::uint64_t frames = 0;
  Bytes bytes;
  Seconds elapsed;
  double bandwidth() const { return static_cast<double>(bytes.v) / elapsed.v; }
};
StreamResult measure_stream(const Endpoint& at, std::uint64_t chunk, Seconds duration, int window = 16);

/// Jain's fairness index (sum x)^2 / (n sum x^2): 1 when all equal, 1/n when one takes all.
double jain_index(std::span<const double> x);

/// Opens a connection to the endpoint (connect + handshake).
Connection open(const Endpoint& at);

}  // namespace dlscale::tcp
