#pragma once
/// What dlscale-tcp-probe measured, and its three printers. MB = 10^6 bytes throughout.
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

}  // namespace dlscale::tcp
