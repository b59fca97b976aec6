#include "calibrate/tcp/probe_cli.hpp"
#include "calibrate/tcp/probe_mpi.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <cmath>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "calibrate/tcp/connection.hpp"
#include "dlscale/error.hpp"
#include "dlscale/network.hpp"

namespace dlscale::tcp {
namespace {

namespace po = boost::program_options;

/// The longest duration any seconds option takes: a day. Larger values are typing errors, and
/// unbounded ones overflowed: 1e12 s in std::chrono's nanoseconds, 1e300 in the cast to ms.
constexpr double max_seconds = 86400;

/// Seconds from text: strtod must use all of it and give a number in (0, max_seconds] (so
/// "nan", "inf", "-1", "1e300" and "3x" are refused with the option's name).
double parse_seconds(const std::string& option, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || v <= 0 || v > max_seconds)
    throw ConfigError(fmt::format("{} {} is invalid; a number of seconds > 0 and <= {} expected",
                                  option, text, max_seconds));
  return v;
}

/// A whole number in [lo, hi] from text (Boost would wrap "-1" into a huge unsigned).
std::uint64_t parse_count(const std::string& option, const std::string& text, std::uint64_t lo,
                          std::uint64_t hi, const std::string& expected) {
  std::uint64_t v = 0;
  bool ok = !text.empty() && text.size() <= 19;
  for (char c : text) ok = ok && c >= '0' && c <= '9';
  if (ok) v = std::stoull(text);
  if (!ok || v < lo || v > hi) throw ConfigError(fmt::format("{} {} is invalid; {} expected", option, text, expected));
  return v;
}

void parse_host_port(const std::string& text, TcpProbeArgs& a) {
  const auto colon = text.rfind(':');
  const std::string bad = fmt::format("--connect '{}' is invalid; HOST:PORT with a port from 1 to 65535 expected", text);
  if (colon == std::string::npos || colon == 0) throw ConfigError(bad);
  a.host = text.substr(0, colon);
  if (a.host.size() > 2 && a.host.front() == '[' && a.host.back() == ']')  // [::1]:port
    a.host = a.host.substr(1, a.host.size() - 2);
  const auto port = text.substr(colon + 1);
  bool digits = !port.empty() && port.size() <= 5;
  for (char c : port) digits = digits && c >= '0' && c <= '9';
  if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535) throw ConfigError(bad);
  a.connect_port = std::stoi(port);
}

po::options_description describe(TcpProbeArgs& a) {
  po::options_description d(
      "dlscale-tcp-probe [options]: measures TCP transfers (one-way message-size sweep, duplex,\n"
      "fan-in) and fits t(bytes) = alpha + bytes / beta. Without --serve or --connect it starts\n"
      "a server thread on 127.0.0.1 and measures against it.\n"
      "One-way time = start of sending n bytes to the arrival of the server's 1-byte ack.\n"
      "Duplex and fan-in move the largest size the sweep reached. MB = 10^6 bytes.\n"
      "Exit 2: bad input; exit 1: a network failure (refused, dropped, wrong token).\n\nOptions");
  d.add_options()("help,h", "this text")
    ("serve", "listen and serve measurements until SIGINT/SIGTERM; prints 'port N' and 'token T' on stdout")
    ("bind", po::value(&a.bind_address)->value_name("ADDR")->default_value("127.0.0.1"), "--serve: address to listen on (0.0.0.0: every interface)")
    ("port", po::value<std::string>()->value_name("PORT"), "--serve: port to listen on (default: a free one)")
    ("connect", po::value<std::string>()->value_name("HOST:PORT"), "HOST:PORT of a --serve server to measure against")
    ("token", po::value(&a.token)->value_name("T"), "--connect: the token the server printed")
    ("network", po::value<std::string>()->value_name("NAME"), "sweep up to this network's fp32 weight size (default VGG16E)")
    ("max-bytes", po::value<std::string>()->value_name("BYTES"), "sweep up to this many bytes instead (1024 or more)")
    ("fit-from", po::value<std::string>()->value_name("BYTES"), "fit only the sizes >= this many bytes (default 0: all)")
    ("budget", po::value<std::string>()->value_name("S"), "seconds for the sweep; it stops growing when spent (default 10, at most 86400)")
    ("reps", po::value<std::string>()->value_name("R"), "timed transfers per size (default 5; median, min, max)")
    ("warmup", po::value<std::string>()->value_name("W"), "untimed transfers per size (default 1)")
    ("fan-in", po::value<std::string>()->value_name("K"), "clients sending at once in the fan-in test, 0 to skip (default 4)")
    ("stream", po::value<std::string>()->value_name("S"), "also stream for S seconds, as iperf3 does: "
     "frames back to back, 16 in flight (default 0: no stream; at most 86400)")
    ("stream-chunk", po::value<std::string>()->value_name("BYTES"), "bytes per stream frame, like "
     "iperf3 -l (default 1048576; at most the sweep's maximum, which the server accepts)")
    ("output", po::value<std::string>()->value_name("FORMAT"), "table, csv or json (default table)")
    ("idle-timeout", po::value<std::string>()->value_name("S"), "seconds without progress before a peer is dropped (default 5, at most 86400); "
     "a --serve peer also has 5 s in all for its handshake")
    ("max-message", po::value<std::string>()->value_name("BYTES"), "--serve: largest message accepted, bytes (default 4294967296)")
    ("socket-buffer", po::value<std::string>()->value_name("BYTES"), "SO_SNDBUF/SO_RCVBUF bytes, 0: kernel autotuning (default 4194304)")
    ("quick", "CI mode: up to 1 MiB, budget 2 s, 3 reps, fan-in 2, unless given");
  return d;
}

void check_combinations(const po::variables_map& vm, TcpProbeArgs& a) {
  if (vm.count("serve") && vm.count("connect"))
    throw ConfigError("--serve and --connect both given; one mode expected");
  if (!vm.count("serve") && (!vm["bind"].defaulted() || vm.count("port") || vm.count("max-message")))
    throw ConfigError("--bind, --port and --max-message need --serve");
  if (vm.count("network") && vm.count("max-bytes"))
    throw ConfigError("--network and --max-bytes both given; one of them expected");
  if (vm.count("connect") && !vm.count("token"))
    throw ConfigError("--connect needs --token (the 'token' line printed by --serve)");
  if (vm.count("token") && !vm.count("connect")) throw ConfigError("--token needs --connect");
  a.mode = vm.count("serve") ? ProbeMode::serve : vm.count("connect") ? ProbeMode::connect : ProbeMode::local;
}

}  // namespace

TcpProbeArgs parse_tcp_probe_args(int argc, const char* const* argv) {
  TcpProbeArgs a;
  auto desc = describe(a);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw ConfigError(fmt::format("{}; see --help", e.what()));
  }
  a.usage = (std::ostringstream() << desc).str() +
            (built_with_mpi()
                 ? "\nUnder an MPI launcher (mpirun -np K dlscale-tcp-probe ...; this build has MPI)"
                   " rank 0 serves and ranks 1..K-1 measure against it in turn, then send to it\n"
                   "all at once; rank 0 prints every rank's rows (table or csv).\n"
                 : "\nThis build has no MPI: it cannot run under mpirun (reconfigure with -Dmpi=enabled).\n");
  a.help = vm.count("help") > 0;
  if (a.help) return a;
  check_combinations(vm, a);
  const bool quick = vm.count("quick") > 0;
  const auto text = [&](const char* name) { return vm[name].as<std::string>(); };
  if (vm.count("connect")) parse_host_port(text("connect"), a);
  if (vm.count("token") && !looks_like_token(a.token))
    throw ConfigError(fmt::format("--token '{}' is invalid; the 32 hex digits printed by --serve expected", a.token));
  for (char& c : a.token) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));  // servers print lower case
  unsigned char addr[16];
  if (::inet_pton(AF_INET, a.bind_address.c_str(), addr) != 1 && ::inet_pton(AF_INET6, a.bind_address.c_str(), addr) != 1)
    throw ConfigError(fmt::format("--bind '{}' is invalid; an IPv4 or IPv6 address expected", a.bind_address));
  if (vm.count("port")) a.port = static_cast<int>(parse_count("--port", text("port"), 0, 65535, "0 to 65535"));
  if (vm.count("max-message"))
    a.max_message_bytes = parse_count("--max-message", text("max-message"), 1024, UINT64_MAX >> 1, "a number of bytes, 1024 or more");
  a.budget_s = vm.count("budget") ? parse_seconds("--budget", text("budget")) : quick ? 2.0 : 10.0;
  a.reps = static_cast<int>(vm.count("reps") ? parse_count("--reps", text("reps"), 1, 100000, "1 or more") : quick ? 3 : 5);
  a.warmup = static_cast<int>(vm.count("warmup") ? parse_count("--warmup", text("warmup"), 0, 100000, "0 or more") : 1);
  a.fan_in = static_cast<int>(vm.count("fan-in") ? parse_count("--fan-in", text("fan-in"), 0, 64, "0 (skip) to 64") : quick ? 2 : 4);
  if (vm.count("stream")) a.stream_s = parse_seconds("--stream", text("stream"));
  if (vm.count("stream-chunk"))
    a.stream_chunk = parse_count("--stream-chunk", text("stream-chunk"), 1024, std::uint64_t{1} << 30,
                                 "a number of bytes, 1024 to 1073741824");
  if (vm.count("idle-timeout"))  // whole milliseconds, rounded up: 1e-6 s waits 1 ms, not 0
    a.idle_timeout = std::chrono::milliseconds(
        static_cast<std::int64_t>(std::ceil(1000 * parse_seconds("--idle-timeout", text("idle-timeout")))));
  if (vm.count("fit-from"))
    a.fit_from = parse_count("--fit-from", text("fit-from"), 0, UINT64_MAX >> 1, "a number of bytes");
  if (vm.count("socket-buffer"))
    a.socket_buffer_bytes = static_cast<int>(parse_count("--socket-buffer", text("socket-buffer"), 0, 1 << 30, "0 (kernel autotuning) to 1073741824"));
  if (vm.count("output")) {
    const auto o = text("output");
    if (o == "table") a.output = OutputFormat::table;
    else if (o == "csv") a.output = OutputFormat::csv;
    else if (o == "json") a.output = OutputFormat::json;
    else throw ConfigError(fmt::format("--output '{}' is invalid; table, csv or json expected", o));
  }
  if (vm.count("max-bytes")) {
    a.max_bytes = parse_count("--max-bytes", text("max-bytes"), 1024, UINT64_MAX >> 1, "a number of bytes, 1024 or more");
    a.max_bytes_source = "--max-bytes";
  } else if (quick && !vm.count("network")) {
    a.max_bytes = 1 << 20;
    a.max_bytes_source = "--quick";
  } else {
    if (vm.count("network")) a.network = text("network");
    try {
      const auto net = load_network(a.network, DataSource::from_environment());
      a.max_bytes = std::max<std::uint64_t>(net.weight_bytes(Precision::fp32).v, 1024);
      a.max_bytes_source = net.name() + " fp32 weights";
    } catch (const ConfigError& e) {
      throw ConfigError(fmt::format("--network: {}", e.what()));
    }
  }
  // The server (a local one takes the sweep's maximum as its cap) would drop a stream frame
  // above the maximum, after the whole sweep had run: refuse the combination now instead.
  if (a.stream_s > 0 && a.stream_chunk > a.max_bytes)
    throw ConfigError(fmt::format("--stream-chunk {}{} is above the largest message of {} bytes "
                                  "({}); a chunk of 1024 to {} bytes or a larger maximum expected",
                                  a.stream_chunk, vm.count("stream-chunk") ? "" : " (the default)",
                                  a.max_bytes, a.max_bytes_source, a.max_bytes));
  return a;
}

}  // namespace dlscale::tcp
