#pragma once
/// What dlscale-tcp-probe measured, and its three printers. MB = 10^6 bytes throughout.
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "calibrate/tcp/measure.hpp"
#include "calibrate/tcp/probe_cli.hpp"

namespace dlscale::tcp {

struct ProbeResults {
  std::string endpoint;  ///< "127.0.0.1:PORT (local server thread)" or the --connect target
  std::string max_source;
  std::uint64_t max_bytes = 0;
  double budget_s = 0;
  std::uint64_t fit_from = 0;
  Repeats repeats;
  Sweep sweep;
  SweepFit fit;
  DuplexResult duplex;
  std::optional<FanInResult> fan_in;
  std::optional<StreamResult> stream;
};

void print_results(const ProbeResults& r, OutputFormat format, std::ostream& out);

/// Every measurement the arguments ask for, against the server at `at` (probe_run.cpp).
ProbeResults measure_all(const TcpProbeArgs& a, const Endpoint& at, std::string endpoint, std::ostream& log);
/// The transport limits of the arguments, with `max_message` as the cap.
Limits limits_of(const TcpProbeArgs& a, std::uint64_t max_message);
/// Server log lines to `log`, one whole line at a time (peer threads log concurrently).
std::function<void(const std::string&)> line_logger(std::ostream& log);

}  // namespace dlscale::tcp
