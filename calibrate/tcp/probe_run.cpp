// dlscale-tcp-probe's modes: --serve, and the measurements (local server thread or --connect).
#include <csignal>
#include <iostream>
#include <mutex>

#include <fmt/ostream.h>

#include "calibrate/tcp/probe_cli.hpp"
#include "calibrate/tcp/probe_report.hpp"
#include "calibrate/tcp/service.hpp"

namespace dlscale::tcp {

Limits limits_of(const TcpProbeArgs& a, std::uint64_t max_message) {
  return {max_message, a.idle_timeout, a.socket_buffer_bytes};
}

/// Server log lines go to `log`, one at a time (peer threads log concurrently).
std::function<void(const std::string&)> line_logger(std::ostream& log) {
  auto guard = std::make_shared<std::mutex>();
  return [guard, &log](const std::string& line) {
    std::lock_guard lock(*guard);
    fmt::print(log, "dlscale-tcp-probe: {}\n", line);
    log.flush();
  };
}

ProbeResults measure_all(const TcpProbeArgs& a, const Endpoint& at, std::string endpoint, std::ostream& log) {
  ProbeResults r;
  r.endpoint = std::move(endpoint);
  r.max_source = a.max_bytes_source;
  r.max_bytes = a.max_bytes;
  r.budget_s = a.budget_s;
  r.fit_from = a.fit_from;
  r.repeats = {a.warmup, a.reps};
  SweepOptions o;
  o.max_bytes = a.max_bytes;
  o.budget = Seconds{a.budget_s};
  o.repeats = r.repeats;
  o.progress = [&log](const SizeTiming& s) {
    fmt::print(log, "sweep {:>12} bytes: median {:.4f} ms, {:.1f} MB/s\n", s.bytes.v, 1e3 * s.time.median.v,
               1e-6 * s.bandwidth());
    log.flush();
  };
  r.sweep = sweep_one_way(at, o);
  r.fit = fit_sweep(r.sweep, a.fit_from);
  // Duplex and fan-in move the largest size the budget allowed, so they cost about as much
  // per transfer as the sweep's last size did.
  const auto largest = r.sweep.sizes.back().bytes.v;
  fmt::print(log, "duplex at {} bytes...\n", largest);
  r.duplex = measure_duplex(at, largest, r.repeats);
  if (a.fan_in > 0) {
    fmt::print(log, "fan-in: {} clients x {} bytes...\n", a.fan_in, largest);
    r.fan_in = measure_fan_in(at, a.fan_in, largest, r.repeats);
  }
  if (a.stream_s > 0) {
    fmt::print(log, "stream: {} s of {} byte frames...\n", a.stream_s, a.stream_chunk);
    r.stream = measure_stream(at, a.stream_chunk, Seconds{a.stream_s});
  }
  return r;
}

int run_serve(const TcpProbeArgs& a, std::ostream& out, std::ostream& log) {
  // Block the stop signals before any thread exists, so every thread inherits the mask and
  // only sigwait below receives them: a clean stop that joins the peers.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ServerOptions o;
  o.bind_address = a.bind_address;
  o.port = a.port;
  o.limits = limits_of(a, a.max_message_bytes);
  o.log = line_logger(log);
  o.max_peers = 128;  // room for a client's --fan-in 64 while its earlier sessions wind down
  Server server(o, serve_measurements);
  fmt::print(log, "dlscale-tcp-probe: serving on {}:{}; stop with SIGINT or SIGTERM\n", server.address(), server.port());
  fmt::print(out, "port {}\ntoken {}\n", server.port(), server.token());
  out.flush();
  int received = 0;
  sigwait(&stop_signals, &received);
  server.stop();
  const auto s = server.stats();
  fmt::print(log, "dlscale-tcp-probe: stopped: {} connections, {} authenticated, {} dropped "
             "({} wrong token, {} timed out, {} closed early, {} bad magic, {} oversize, {} evicted "
             "in their handshake), {} refused busy\n",
             s.accepted, s.authenticated, s.dropped(), s.rejected_token, s.timed_out, s.closed_early,
             s.bad_magic, s.oversize, s.evicted, s.refused_busy);
  return 0;
}

int run_measurements(const TcpProbeArgs& a, std::ostream& out, std::ostream& log) {
  if (a.mode == ProbeMode::connect) {
    const Endpoint at{a.host, a.connect_port, a.token, limits_of(a, a.max_bytes)};
    try {
      print_results(measure_all(a, at, fmt::format("{}:{}", a.host, a.connect_port), log), a.output, out);
    } catch (const TcpError& e) {
      if (e.failure != Failure::closed) throw;
      throw TcpError(e.failure, fmt::format("{}; the server dropped us: is --max-bytes above its "
                                            "--max-message, or its --idle-timeout too short?", e.what()));
    }
    return 0;
  }
  ServerOptions o;
  o.limits = limits_of(a, a.max_bytes);  // the local server accepts exactly what the sweep sends
  o.log = line_logger(log);
  o.max_peers = a.fan_in + 8;
  Server server(o, serve_measurements);
  const Endpoint at{server.address(), server.port(), server.token(), o.limits};
  const auto results = measure_all(a, at, fmt::format("{}:{} (local server thread)", server.address(), server.port()), log);
  server.stop();
  print_results(results, a.output, out);
  return 0;
}

}  // namespace dlscale::tcp
