// Steady-state throughput, as iperf3 measures it: data frames back to back on one connection
// for a duration, never more than `window` frames unacknowledged (the server acks each frame
// once it has read it), so the pipe stays full while acks never pile up in a buffer.
#include <chrono>
#include <vector>

#include "calibrate/tcp/measure.hpp"

namespace dlscale::tcp {
namespace {

using Clock = std::chrono::steady_clock;

void read_ack(Connection& c) {
  const auto ack = c.receive_expected(MessageType::ack, 1);
  if (ack.size() != 1) throw TcpError(Failure::bad_frame, "ack must carry 1 byte");
}

// Streams for `duration`; returns the frames sent, all of them acknowledged on return.
std::uint64_t stream_for(Connection& c, std::uint64_t chunk, std::span<const std::byte> pattern,
                         double duration, int window) {
  const auto t0 = Clock::now();
  std::uint64_t sent = 0, acked = 0;
  while (std::chrono::duration<double>(Clock::now() - t0).count() < duration) {
    c.send_repeating(MessageType::data, chunk, pattern);
    ++sent;
    if (sent - acked == static_cast<std::uint64_t>(window)) {
      read_ack(c);
      ++acked;
    }
  }
  for (; acked < sent; ++acked) read_ack(c);
  return sent;
}

}  // namespace

StreamResult measure_stream(const Endpoint& at, std::uint64_t chunk, Seconds duration, int window) {
  auto c = open(at);
  std::vector<std::byte> pattern(std::min<std::uint64_t>(chunk, 4 << 20), std::byte{0x5a});
  // Untimed first: TCP's slow start and the first page faults (iperf3's --omit).
  stream_for(c, chunk, pattern, std::min(0.5, duration.v / 4), window);
  const auto t0 = Clock::now();
  StreamResult r;
  r.chunk = Bytes{chunk};
  r.window = window;
  r.frames = stream_for(c, chunk, pattern, duration.v, window);
  r.elapsed = Seconds{std::chrono::duration<double>(Clock::now() - t0).count()};
  r.bytes = Bytes{r.frames * chunk};
  return r;
}

}  // namespace dlscale::tcp
