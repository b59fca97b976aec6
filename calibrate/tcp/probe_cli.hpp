#pragma once
/// dlscale-tcp-probe's command line: parsing into a plain struct (every bad value is a
/// ConfigError naming the option and what was expected), and one call per mode.
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace dlscale::tcp {

enum class ProbeMode { local, serve, connect };
enum class OutputFormat { table, csv, json };

struct TcpProbeArgs {
  ProbeMode mode = ProbeMode::local;
  std::string bind_address = "127.0.0.1";  ///< --serve only
  int port = 0;                            ///< --serve: port to listen on (0: any free one)
  std::string host;                        ///< --connect
  int connect_port = 0;
  std::string token;
  std::string network = "VGG16E";  ///< the sweep's max is its fp32 weight size...
  std::uint64_t max_bytes = 0;     ///< ...unless --max-bytes (0: not given)
  std::string max_bytes_source;    ///< what set the max, for the report
  std::uint64_t fit_from = 0;  ///< fit only sizes >= this
  double budget_s = 10.0;
  int reps = 5, warmup = 1;
  int fan_in = 4;  ///< 0: no fan-in measurement
  double stream_s = 0;                   ///< 0: no stream measurement
  std::uint64_t stream_chunk = 1 << 20;  ///< bytes per frame of the stream
  OutputFormat output = OutputFormat::table;
  std::chrono::milliseconds idle_timeout{5000};
  std::uint64_t max_message_bytes = std::uint64_t{4} << 30;  ///< --serve's cap per message
  int socket_buffer_bytes = 4 << 20;
  bool help = false;
  std::string usage;  ///< the --help text
};

/// Parses argv and resolves --network to a byte count. Throws ConfigError.
TcpProbeArgs parse_tcp_probe_args(int argc, const char* const* argv);

/// --serve: listens, prints "port N" and "token T" on `out`, serves until SIGINT or SIGTERM.
int run_serve(const TcpProbeArgs& args, std::ostream& out, std::ostream& log);
/// Local (a server thread on loopback) or --connect: runs every measurement and prints them.
int run_measurements(const TcpProbeArgs& args, std::ostream& out, std::ostream& log);

}  // namespace dlscale::tcp
