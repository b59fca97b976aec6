#include "calibrate/ps/args.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <cmath>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "calibrate/tcp/connection.hpp"
#include "dlscale/error.hpp"

namespace dlscale::ps {
namespace {

namespace po = boost::program_options;

// A day: longer values are typing errors, and unbounded ones overflow std::chrono.
constexpr double max_seconds = 86400;

double parse_seconds(const std::string& option, const std::string& text, bool zero_ok) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || v < 0 || (v == 0 && !zero_ok) ||
      v > max_seconds)
    throw ConfigError(fmt::format("{} {} is invalid; a number of seconds {} 0 and <= {} expected",
                                  option, text, zero_ok ? ">=" : ">", max_seconds));
  return v;
}

std::chrono::milliseconds parse_ms(const std::string& option, const std::string& text) {
  // whole milliseconds, rounded up: 1e-6 s waits 1 ms, not 0
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(std::ceil(1000 * parse_seconds(option, text, false))));
}

// A whole number in [lo, hi] (Boost would wrap "-1" into a huge unsigned).
std::uint64_t parse_count(const std::string& option, const std::string& text, std::uint64_t lo,
                          std::uint64_t hi, const std::string& expected) {
  bool ok = !text.empty() && text.size() <= 19;
  for (char c : text) ok = ok && c >= '0' && c <= '9';
  const std::uint64_t v = ok ? std::stoull(text) : 0;
  if (!ok || v < lo || v > hi)
    throw ConfigError(fmt::format("{} {} is invalid; {} expected", option, text, expected));
  return v;
}

Endpoint parse_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw ConfigError(fmt::format("--servers: '{}' is invalid; HOST:PORT expected", text));
  Endpoint e;
  e.host = text.substr(0, colon);
  e.port = static_cast<int>(parse_count("--servers port", text.substr(colon + 1), 1, 65535, "1 to 65535"));
  return e;
}

std::vector<Endpoint> parse_endpoints(const std::string& text) {
  std::vector<Endpoint> out;
  std::size_t from = 0;
  while (true) {
    const auto comma = text.find(',', from);
    out.push_back(parse_endpoint(text.substr(from, comma - from)));
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  if (out.size() > 1024) throw ConfigError("--servers: at most 1024 servers expected");
  return out;
}

void add_common(po::options_description& d) {
  d.add_options()("help,h", "this text")
    ("network", po::value<std::string>()->value_name("NAME"), "exchange this network's fp32 tensors (a name dlscale knows or a .net file)")
    ("bytes", po::value<std::string>()->value_name("B"), "exchange B bytes instead (one server only: no tensors to place)")
    ("placement", po::value<std::string>()->value_name("ORDER"), "model-order (algorithm 3.7, default) or largest-first")
    ("token", po::value<std::string>()->value_name("T"), "32 hex digits, the same for every process of the run")
    ("timeout", po::value<std::string>()->value_name("S"), "the whole run, seconds (default 120, at most 86400)")
    ("idle-timeout", po::value<std::string>()->value_name("S"), "one wait for progress, seconds (default 30)");
}

po::options_description describe(Role role) {
  switch (role) {
    case Role::server: {
      po::options_description d(
          "dlscale-ps server [options]: holds shard J of K (a byte count) for N workers; prints\n"
          "'listening PORT' when ready and exits 0 once every worker said bye.\n\nOptions");
      add_common(d);
      d.add_options()
        ("bind", po::value<std::string>()->value_name("ADDR"), "address to listen on (default 0.0.0.0)")
        ("port", po::value<std::string>()->value_name("P"), "port (required; 0: a free one, printed)")
        ("workers", po::value<std::string>()->value_name("N"), "workers that will connect (required)")
        ("shard", po::value<std::string>()->value_name("J"), "the shard held here, 0..K-1 (default 0)")
        ("shards", po::value<std::string>()->value_name("K"), "servers of the run (default 1: central)")
        ("mode", po::value<std::string>()->value_name("M"), "sync-join (default) or sync-split: a barrier per iteration; async: none")
        ("policy", po::value<std::string>()->value_name("P"), "fair (default: every worker at once) or fifo (one transfer per direction at a time)");
      return d;
    }
    case Role::worker: {
      po::options_description d(
          "dlscale-ps worker [options]: per iteration sleeps the compute time, pushes each server\n"
          "its shard's bytes and pulls them back; prints 'iteration,seconds' per timed iteration.\n\nOptions");
      add_common(d);
      d.add_options()
        ("servers", po::value<std::string>()->value_name("H:P,..."), "server of shard 0, 1, ... (required)")
        ("compute", po::value<std::string>()->value_name("S"), "seconds slept per iteration (required; may be 0)")
        ("iterations", po::value<std::string>()->value_name("I"), "timed iterations (default 10)")
        ("warmup", po::value<std::string>()->value_name("W"), "untimed iterations first (default 2)");
      return d;
    }
    case Role::summary: {
      po::options_description d(
          "dlscale-ps summary [--slowest] FILE...: the workers' iteration times pooled, or the\n"
          "slowest worker's alone; prints 'p50,p90,samples' (nearest rank).\n\nOptions");
      d.add_options()("help,h", "this text")
        ("slowest", "the worker with the longest total alone (asynchronous runs: it sets t_train)")
        ("files", po::value<std::vector<std::string>>()->multitoken(), "worker outputs");
      return d;
    }
  }
  return po::options_description();
}

void parse_exchange(const po::variables_map& vm, PsArgs& a) {
  const auto text = [&](const char* name) { return vm[name].as<std::string>(); };
  if (vm.count("network") && vm.count("bytes"))
    throw ConfigError("--network and --bytes both given; one of them expected");
  if (!vm.count("network") && !vm.count("bytes")) throw ConfigError("--network or --bytes expected");
  if (vm.count("network")) a.network = text("network");
  if (vm.count("bytes"))
    a.bytes = parse_count("--bytes", text("bytes"), 1, std::uint64_t{1} << 40, "a number of bytes, 1 to 2^40");
  if (vm.count("placement")) {
    const auto p = text("placement");
    if (p != "model-order" && p != "largest-first")
      throw ConfigError(fmt::format("--placement '{}' is invalid; model-order or largest-first expected", p));
    a.largest_first = p == "largest-first";
  }
  if (!vm.count("token")) throw ConfigError("--token expected (32 hex digits, the same for every process)");
  a.token = text("token");
  if (!tcp::looks_like_token(a.token))
    throw ConfigError(fmt::format("--token '{}' is invalid; 32 hex digits expected", a.token));
  for (char& c : a.token) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (vm.count("timeout")) a.timeout = parse_ms("--timeout", text("timeout"));
  if (vm.count("idle-timeout")) a.idle_timeout = parse_ms("--idle-timeout", text("idle-timeout"));
}

void parse_server(const po::variables_map& vm, PsArgs& a) {
  const auto text = [&](const char* name) { return vm[name].as<std::string>(); };
  if (vm.count("bind")) a.bind_address = text("bind");
  unsigned char addr[16];
  if (::inet_pton(AF_INET, a.bind_address.c_str(), addr) != 1 &&
      ::inet_pton(AF_INET6, a.bind_address.c_str(), addr) != 1)
    throw ConfigError(fmt::format("--bind '{}' is invalid; an IPv4 or IPv6 address expected", a.bind_address));
  if (!vm.count("port")) throw ConfigError("--port expected");
  a.port = static_cast<int>(parse_count("--port", text("port"), 0, 65535, "0 (a free one) to 65535"));
  if (!vm.count("workers")) throw ConfigError("--workers expected");
  a.workers = static_cast<int>(parse_count("--workers", text("workers"), 1, 1024, "1 to 1024"));
  if (vm.count("shards")) a.shards = static_cast<int>(parse_count("--shards", text("shards"), 1, 1024, "1 to 1024"));
  if (vm.count("shard"))
    a.shard = static_cast<int>(parse_count("--shard", text("shard"), 0, std::uint64_t(a.shards - 1),
                                           fmt::format("0 to {} (--shards {} minus 1)", a.shards - 1, a.shards)));
  if (vm.count("mode")) {
    const auto m = text("mode");
    if (m != "sync-join" && m != "sync-split" && m != "async")
      throw ConfigError(fmt::format("--mode '{}' is invalid; sync-join, sync-split or async expected", m));
    a.mode = parse_mode(m);
  }
  if (vm.count("policy")) {
    const auto p = text("policy");
    if (p != "fair" && p != "fifo") throw ConfigError(fmt::format("--policy '{}' is invalid; fair or fifo expected", p));
    a.policy = p == "fifo" ? Policy::fifo : Policy::fair;
  }
  if (a.shards > 1 && a.network.empty())
    throw ConfigError("--shards above 1 needs --network (its tensors are what is placed)");
}

void parse_worker(const po::variables_map& vm, PsArgs& a) {
  const auto text = [&](const char* name) { return vm[name].as<std::string>(); };
  if (!vm.count("servers")) throw ConfigError("--servers expected");
  a.servers = parse_endpoints(text("servers"));
  if (a.servers.size() > 1 && a.network.empty())
    throw ConfigError("more than one server needs --network (its tensors are what is placed)");
  if (!vm.count("compute")) throw ConfigError("--compute expected");
  a.compute_s = parse_seconds("--compute", text("compute"), true);
  if (vm.count("iterations"))
    a.iterations = static_cast<int>(parse_count("--iterations", text("iterations"), 1, 1000000, "1 to 1000000"));
  if (vm.count("warmup"))
    a.warmup = static_cast<int>(parse_count("--warmup", text("warmup"), 0, 1000000, "0 to 1000000"));
}

Role parse_role(int argc, const char* const* argv) {
  const std::string role = argc > 1 ? argv[1] : "";
  if (role == "server") return Role::server;
  if (role == "worker") return Role::worker;
  if (role == "summary") return Role::summary;
  throw ConfigError(fmt::format("role '{}' is invalid; server, worker or summary expected "
                                "(dlscale-ps ROLE --help)", role));
}

}  // namespace

PsArgs parse_ps_args(int argc, const char* const* argv) {
  PsArgs a;
  if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    a.help = true;
    a.usage = "dlscale-ps ROLE [options]: dlscale's own parameter server over its TCP transport,\n"
              "the emulated cluster's ground truth (calibrate/ps/README.md).\n"
              "ROLE: server, worker or summary; dlscale-ps ROLE --help for its options.\n"
              "Exit 2: bad input; exit 1: a network failure or a timeout.\n";
    return a;
  }
  a.role = parse_role(argc, argv);
  const auto desc = describe(a.role);
  po::positional_options_description positional;
  if (a.role == Role::summary) positional.add("files", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc - 1, argv + 1).options(desc).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw ConfigError(fmt::format("{}; see dlscale-ps {} --help", e.what(), argv[1]));
  }
  a.usage = (std::ostringstream() << desc).str();
  a.help = vm.count("help") > 0;
  if (a.help) return a;
  if (a.role == Role::summary) {
    if (!vm.count("files")) throw ConfigError("summary: one or more worker output files expected");
    a.files = vm["files"].as<std::vector<std::string>>();
    a.slowest = vm.count("slowest") > 0;
    return a;
  }
  parse_exchange(vm, a);
  if (a.role == Role::server) parse_server(vm, a);
  else parse_worker(vm, a);
  return a;
}

}  // namespace dlscale::ps
