// The server survives bad peers (disconnects, garbage, huge sizes, silence) and keeps serving.
#include <doctest/doctest.h>

#include <sys/socket.h>

#include <atomic>
#include <thread>
#include <vector>

#include "calibrate/tcp/measure.hpp"
#include "calibrate/tcp/server.hpp"
#include "calibrate/tcp/service.hpp"
#include "tcp_test_util.hpp"

using namespace dlscale::tcp;
using namespace dlscale::tcp::testing;
using namespace std::chrono_literals;

namespace {

/// A good client still gets a one-way transfer and its ack through.
bool serves_a_good_client(const Server& server) {
  auto c = connect("127.0.0.1", server.port(), server.token());
  const std::vector<std::byte> pattern(4096, std::byte{7});
  return time_one_way(c, 100000, pattern).v > 0;
}

std::string_view as_text(const HeaderBytes& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

/// `n` raw peers, each announcing a 256-byte hello and sending one byte of it every 100 ms on
/// a thread of its own: slowloris. They stop once dropped, or after 6 s by themselves.
class Tricklers {
 public:
  Tricklers(int port, int n) {
    for (int i = 0; i < n; ++i)
      threads_.emplace_back([this, s = raw_connect(port)]() {
        raw_send(s.fd(), as_text(encode_header({MessageType::hello, 256})));
        for (int k = 0; k < 60 && !stop_; ++k) {
          if (::send(s.fd(), "x", 1, MSG_NOSIGNAL) != 1) break;
          std::this_thread::sleep_for(100ms);
        }
      });
  }
  ~Tricklers() {
    stop_ = true;
    for (auto& t : threads_) t.join();
  }
  Tricklers(const Tricklers&) = delete;
  Tricklers& operator=(const Tricklers&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

}  // namespace

TEST_CASE("a client that disconnects in the middle of a message is dropped; the next is served") {
  Server server({}, serve_measurements);
  {
    auto c = connect("127.0.0.1", server.port(), server.token());
    raw_send(c.fd(), as_text(encode_header({MessageType::data, 1 << 20})));
    raw_send(c.fd(), std::string(1000, 'x'));
  }  // closed after 1000 of 1 MiB
  CHECK(eventually([&] { return server.stats().closed_early == 1; }));
  CHECK(serves_a_good_client(server));
  CHECK(server.stats().dropped() == 1);
}

TEST_CASE("garbage instead of frames is dropped, before and after the handshake") {
  Server server({}, serve_measurements);
  auto raw = raw_connect(server.port());
  raw_send(raw.fd(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(closed_by_peer(raw.fd(), 3s));
  CHECK(eventually([&] { return server.stats().bad_magic == 1; }));

  auto c = connect("127.0.0.1", server.port(), server.token());
  raw_send(c.fd(), std::string(16, '\xff'));
  CHECK(closed_by_peer(c.fd(), 3s));
  CHECK(eventually([&] { return server.stats().bad_magic == 2; }));
  CHECK(serves_a_good_client(server));
}

TEST_CASE("a header announcing more than the cap is dropped without reading or allocating it") {
  ServerOptions o;
  o.limits.max_message_bytes = 1 << 20;
  Server server(o, serve_measurements);
  // 2^60 bytes: allocating it would throw bad_alloc (counted as io_error), reading it would
  // wait for the idle timeout; the cap must refuse it at once.
  auto c = connect("127.0.0.1", server.port(), server.token());
  raw_send(c.fd(), as_text(encode_header({MessageType::data, std::uint64_t{1} << 60})));
  CHECK(closed_by_peer(c.fd(), 2s));
  CHECK(eventually([&] { return server.stats().oversize == 1; }));

  // A pull asking the server to send more than the cap is refused the same way.
  auto p = connect("127.0.0.1", server.port(), server.token());
  p.send(MessageType::pull, encode_u64((1 << 20) + 1));
  CHECK(closed_by_peer(p.fd(), 2s));
  CHECK(eventually([&] { return server.stats().oversize == 2; }));

  // Before the handshake the cap is the token's 256 bytes, whatever max_message_bytes says.
  auto raw = raw_connect(server.port());
  raw_send(raw.fd(), as_text(encode_header({MessageType::hello, 1000})));
  CHECK(closed_by_peer(raw.fd(), 2s));
  CHECK(eventually([&] { return server.stats().oversize == 3; }));

  CHECK(server.stats().io_error == 0);
  CHECK(serves_a_good_client(server));
}

TEST_CASE("a frame of an unknown type or with the reserved field set is dropped") {
  Server server({}, serve_measurements);
  auto c = connect("127.0.0.1", server.port(), server.token());
  auto h = encode_header({MessageType::data, 0});
  h[5] = std::byte{99};
  raw_send(c.fd(), as_text(h));
  CHECK(closed_by_peer(c.fd(), 2s));
  auto d = connect("127.0.0.1", server.port(), server.token());
  d.send(MessageType::welcome);  // valid frame, but not one a client may send now
  CHECK(closed_by_peer(d.fd(), 2s));
  CHECK(eventually([&] { return server.stats().bad_frame == 2; }));
  CHECK(serves_a_good_client(server));
}

TEST_CASE("an idle peer is timed out within the deadline, before and after the handshake") {
  ServerOptions o;
  o.limits.idle_timeout = 200ms;
  Server server(o, serve_measurements);
  auto raw = raw_connect(server.port());  // says nothing at all
  auto c = connect("127.0.0.1", server.port(), server.token());  // says hello, then nothing
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(closed_by_peer(raw.fd(), 3s));
  CHECK(closed_by_peer(c.fd(), 3s));
  const auto waited = std::chrono::steady_clock::now() - t0;
  CHECK(waited < 3s);
  CHECK(eventually([&] { return server.stats().timed_out == 2; }));
}

TEST_CASE("a stuck peer does not hold up other clients while it waits for its timeout") {
  ServerOptions o;
  o.limits.idle_timeout = 10s;
  Server server(o, serve_measurements);
  auto stuck = connect("127.0.0.1", server.port(), server.token());
  raw_send(stuck.fd(), as_text(encode_header({MessageType::data, 1 << 20})).substr(0, 9));
  CHECK(serves_a_good_client(server));
  CHECK(serves_a_good_client(server));
  CHECK(server.stats().dropped() == 0);  // the stuck one is still waited for, concurrently
}

TEST_CASE("a slow peer that keeps making progress is not idle") {
  ServerOptions o;
  o.limits.idle_timeout = 400ms;
  Server server(o, serve_measurements);
  // 5 x 100 ms > 400 ms in all, but never 400 ms without a byte: the timeout is per wait.
  auto slow = connect("127.0.0.1", server.port(), server.token());
  raw_send(slow.fd(), as_text(encode_header({MessageType::data, 50})));
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(100ms);
    raw_send(slow.fd(), std::string(10, 'z'));
  }
  CHECK(slow.receive_expected(MessageType::ack).size() == 1);
  CHECK(server.stats().timed_out == 0);
}

TEST_CASE("peers above max_peers are refused at accept, and served again once others leave") {
  ServerOptions o;
  o.max_peers = 1;
  Server server(o, serve_measurements);
  {
    auto first = connect("127.0.0.1", server.port(), server.token());
    CHECK_THROWS_AS(connect("127.0.0.1", server.port(), server.token()), TcpError);
    CHECK(server.stats().refused_busy == 1);
    first.send(MessageType::bye);
  }
  CHECK(eventually([&] { return server.stats().finished == 1; }));
  CHECK(eventually([&] {
    try {
      return serves_a_good_client(server);
    } catch (const TcpError&) {
      return false;  // the finished peer's thread may not be reaped yet
    }
  }));
}

TEST_CASE("peers trickling a hello slower than the handshake deadline lose their slots") {
  // Each wait sees a byte long before the 5 s idle timeout, so only the total deadline on the
  // handshake drops them (before it, they held their slots for 256 x 100 ms and more).
  ServerOptions o;
  o.max_peers = 3;
  o.handshake_timeout = 500ms;
  Server server(o, serve_measurements);
  Tricklers slow(server.port(), o.max_peers);
  CHECK(eventually([&] { return server.stats().timed_out == 3; }));
  CHECK(eventually([&] {
    try {
      return serves_a_good_client(server);
    } catch (const TcpError&) {
      return false;  // the dropped peers' threads may not be reaped yet
    }
  }));
  CHECK(server.stats().evicted == 0);  // served in a slot the deadline freed
}

TEST_CASE("with every slot held by a pending handshake, a newcomer evicts the oldest") {
  // Within the deadline, too, trickling peers must not lock a correct client out: its
  // connection shuts down the oldest handshake instead of being refused at accept.
  ServerOptions o;
  o.max_peers = 3;
  o.handshake_timeout = 10s;
  Server server(o, serve_measurements);
  Tricklers slow(server.port(), o.max_peers);
  REQUIRE(eventually([&] { return server.stats().accepted == 3; }));
  CHECK(serves_a_good_client(server));  // at the first try
  CHECK(server.stats().evicted == 1);
  CHECK(server.stats().refused_busy == 0);
  // Authenticated peers are never evicted: with the slots held by them, a newcomer is refused.
  ServerOptions one;
  one.max_peers = 1;
  Server busy(one, serve_measurements);
  auto first = connect("127.0.0.1", busy.port(), busy.token());
  CHECK_THROWS_AS(connect("127.0.0.1", busy.port(), busy.token()), TcpError);
  CHECK(busy.stats().evicted == 0);
  CHECK(busy.stats().refused_busy == 1);
}

TEST_CASE("an idle timeout of any size waits without overflowing") {
  // 10^12 s overflowed steady_clock's nanoseconds (UB) and a wrapped deadline timed out at
  // once; any milliseconds value must now wait for the data, and a negative one not hang.
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  Socket a(fds[0]), b(fds[1]);
  for (const auto idle : {std::chrono::milliseconds::max(), std::chrono::milliseconds{std::int64_t{1} << 50}}) {
    std::thread writer([&] {
      std::this_thread::sleep_for(100ms);
      raw_send(b.fd(), "x");
    });
    CHECK_NOTHROW(wait_ready(a.fd(), POLLIN, idle));
    writer.join();
    char c;
    CHECK(::recv(a.fd(), &c, 1, 0) == 1);
  }
  CHECK_THROWS_AS(wait_ready(a.fd(), POLLIN, std::chrono::milliseconds::min()), TcpError);
  CHECK_THROWS_AS(wait_ready(a.fd(), POLLIN, std::chrono::milliseconds{-5}), TcpError);
}
