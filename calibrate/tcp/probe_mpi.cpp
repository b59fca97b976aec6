// dlscale-tcp-probe across MPI ranks. The ranks take turns, so one measurement never shares a
// link with another; MPI only starts the processes and carries the server's address, port and
// token and the results, never the measured bytes.
#include "calibrate/tcp/probe_mpi.hpp"

#include <cstdlib>

#include "config.hpp"
#include "dlscale/error.hpp"

#if DLSCALE_HAVE_MPI
// The C API only: the removed MPI C++ bindings' headers are not -Wextra clean.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "calibrate/tcp/probe_report.hpp"
#include "calibrate/tcp/server.hpp"
#include "calibrate/tcp/service.hpp"
#endif

namespace dlscale::tcp {

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

bool built_with_mpi() { return DLSCALE_HAVE_MPI != 0; }

#if DLSCALE_HAVE_MPI
namespace {

// MPI's default error handler aborts the job on a failed call, so MPI results are not checked.
std::string bcast_text(std::string s, int root) {
  int n = static_cast<int>(s.size());
  MPI_Bcast(&n, 1, MPI_INT, root, MPI_COMM_WORLD);
  s.resize(static_cast<std::size_t>(n));
  MPI_Bcast(s.data(), n, MPI_CHAR, root, MPI_COMM_WORLD);
  return s;
}

void send_text(const std::string& s, int to) {
  const int n = static_cast<int>(s.size());
  MPI_Send(&n, 1, MPI_INT, to, 0, MPI_COMM_WORLD);
  MPI_Send(s.data(), n, MPI_CHAR, to, 1, MPI_COMM_WORLD);
}

std::string receive_text(int from) {
  int n = 0;
  MPI_Recv(&n, 1, MPI_INT, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  std::string s(static_cast<std::size_t>(n), '\0');
  MPI_Recv(s.data(), n, MPI_CHAR, from, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return s;
}

std::string host_name() {
  char host[256] = {};
  return gethostname(host, sizeof host - 1) == 0 && host[0] != '\0' ? host : "localhost";
}

// Each line of a report, CSV rows prefixed with the pair of ranks and hosts.
void print_report(std::ostream& out, const TcpProbeArgs& a, int rank, const std::string& host,
                  const std::string& server_host, const std::string& report) {
  if (a.output == OutputFormat::table) {
    fmt::print(out, "== rank {} ({}) -> rank 0 ({})\n{}", rank, host, server_host, report);
    return;
  }
  std::istringstream in(report);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("measurement,")) continue;  // the shared header is printed once
    if (line.starts_with("#")) fmt::print(out, "# rank {}:{}\n", rank, line.substr(1));
    else fmt::print(out, "{},{},{},{}\n", rank, host, server_host, line);
  }
}

// Every rank > 0 sends `bytes` to rank 0 at the same moment (a barrier before each rep):
// what a central server sees from its workers, across real hosts.
void mpi_fan_in(const TcpProbeArgs& a, const Endpoint& at, int rank, int size,
                const std::vector<std::string>& hosts, std::ostream& out) {
  const std::uint64_t bytes = std::min<std::uint64_t>(a.max_bytes, std::uint64_t{64} << 20);
  std::unique_ptr<Connection> c;
  std::vector<std::byte> pattern(std::min<std::uint64_t>(bytes, 4 << 20), std::byte{0x5a});
  if (rank > 0) c = std::make_unique<Connection>(open(at));
  std::vector<std::vector<double>> times(static_cast<std::size_t>(size));
  for (int rep = 0; rep < a.warmup + a.reps; ++rep) {
    MPI_Barrier(MPI_COMM_WORLD);
    double t = rank > 0 ? time_one_way(*c, bytes, pattern).v : 0.0;
    std::vector<double> all(static_cast<std::size_t>(size));
    MPI_Gather(&t, 1, MPI_DOUBLE, all.data(), 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rep >= a.warmup)
      for (int r = 1; r < size; ++r) times[static_cast<std::size_t>(r)].push_back(all[static_cast<std::size_t>(r)]);
  }
  c.reset();
  if (rank != 0) return;
  std::vector<double> bandwidth;
  for (int r = 1; r < size; ++r) {
    const Spread s = spread_of(times[static_cast<std::size_t>(r)]);
    bandwidth.push_back(static_cast<double>(bytes) / s.median.v);
    if (a.output == OutputFormat::csv)
      fmt::print(out, "{},{},{},mpi_fan_in,up,{},{},{:.9g},{:.9g},{:.9g},{:.6g}\n", r,
                 hosts[static_cast<std::size_t>(r)], hosts[0], r, bytes, s.median.v, s.min.v,
                 s.max.v, bandwidth.back() / 1e6);
  }
  double sum = 0;
  for (double b : bandwidth) sum += b;
  if (a.output == OutputFormat::csv)
    fmt::print(out, "# mpi_fan_in ranks={} bytes={} jain_index={:.6f} aggregate_MBps={:.6g}\n",
               size - 1, bytes, jain_index(bandwidth), sum / 1e6);
  else
    fmt::print(out, "== fan-in across ranks: {} ranks x {} bytes to rank 0 at once: {:.1f} MB/s in "
               "all, Jain {:.3f}\n", size - 1, bytes, sum / 1e6, jain_index(bandwidth));
}

int run_ranks(const TcpProbeArgs& a, int rank, int size, std::ostream& out, std::ostream& log) {
  // Every host name, so a run on one host talks over loopback and one across hosts listens on
  // every interface of rank 0's host (the token still keeps strangers out).
  std::vector<std::string> hosts(static_cast<std::size_t>(size));
  for (int r = 0; r < size; ++r) hosts[static_cast<std::size_t>(r)] = bcast_text(host_name(), r);
  const bool one_host = std::all_of(hosts.begin(), hosts.end(), [&](auto& h) { return h == hosts[0]; });
  std::unique_ptr<Server> server;
  int port = 0;
  std::string token;
  if (rank == 0) {
    ServerOptions o;
    o.bind_address = one_host ? "127.0.0.1" : "0.0.0.0";
    o.limits = limits_of(a, std::max(a.max_bytes, a.stream_chunk));
    o.log = line_logger(log);
    o.max_peers = size + a.fan_in + 8;
    server = std::make_unique<Server>(o, serve_measurements);
    port = server->port();
    token = server->token();
  }
  MPI_Bcast(&port, 1, MPI_INT, 0, MPI_COMM_WORLD);
  token = bcast_text(token, 0);
  const Endpoint at{one_host ? "127.0.0.1" : hosts[0], port, token, limits_of(a, a.max_bytes)};
  if (rank == 0 && a.output == OutputFormat::csv)
    fmt::print(out, "rank,client_host,server_host,measurement,direction,client,bytes,seconds_median,"
               "seconds_min,seconds_max,bandwidth_MBps\n");
  for (int r = 1; r < size; ++r) {  // one rank at a time
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == r) {
      std::ostringstream report;
      print_results(measure_all(a, at, fmt::format("{}:{} (rank 0)", at.host, at.port), log), a.output, report);
      send_text(report.str(), 0);
    } else if (rank == 0) {
      print_report(out, a, r, hosts[static_cast<std::size_t>(r)], hosts[0], receive_text(r));
    }
  }
  mpi_fan_in(a, at, rank, size, hosts, out);
  MPI_Barrier(MPI_COMM_WORLD);
  if (server) server->stop();
  return 0;
}

}  // namespace

int run_mpi(const TcpProbeArgs& a, std::ostream& out, std::ostream& log) {
  if (a.mode != ProbeMode::local)
    throw ConfigError("--serve and --connect cannot be used under an MPI launcher; rank 0 serves "
                      "and the other ranks connect by themselves");
  if (a.output == OutputFormat::json)
    throw ConfigError("--output json is not available under an MPI launcher; table or csv expected");
  MPI_Init(nullptr, nullptr);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size < 2) {
    fmt::print(log, "dlscale-tcp-probe: under MPI at least 2 ranks are needed (rank 0 serves); got {}\n", size);
    MPI_Finalize();
    return 2;
  }
  try {
    const int rc = run_ranks(a, rank, size, out, log);
    out.flush();
    MPI_Finalize();
    return rc;
  } catch (const std::exception& e) {
    // One rank failing must not leave the others waiting in a barrier forever.
    fmt::print(log, "dlscale-tcp-probe: rank {}: {}\n", rank, e.what());
    log.flush();
    MPI_Abort(MPI_COMM_WORLD, 1);
    return 1;
  }
}

#else

int run_mpi(const TcpProbeArgs&, std::ostream&, std::ostream&) {
  throw ConfigError("started by an MPI launcher, but this build has no MPI; install Open MPI "
                    "(libopenmpi-dev) and reconfigure with -Dmpi=enabled");
}

#endif

}  // namespace dlscale::tcp
