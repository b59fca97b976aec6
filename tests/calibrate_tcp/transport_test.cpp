// Framing, handshake and binding of the TCP transport.
#include <doctest/doctest.h>

#include <numeric>

#include "calibrate/tcp/measure.hpp"
#include "calibrate/tcp/server.hpp"
#include "calibrate/tcp/service.hpp"
#include "tcp_test_util.hpp"

using namespace dlscale::tcp;
using namespace dlscale::tcp::testing;

namespace {

/// Sends every message back unchanged until the client closes.
void echo(Connection& c) {
  while (const auto h = c.receive_next_header()) c.send(h->type, c.receive_body(*h));
}

std::vector<std::byte> bytes_of(std::size_t n, unsigned seed) {
  std::vector<std::byte> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::byte>((i * 131 + seed) & 0xff);
  return v;
}

}  // namespace

TEST_CASE("headers are 16 big-endian bytes starting with the magic DLST") {
  const auto h = encode_header({MessageType::pull, 0x0102030405060708});
  CHECK(std::string(reinterpret_cast<const char*>(h.data()), 4) == "DLST");
  CHECK(h[5] == std::byte{5});
  CHECK(h[8] == std::byte{1});
  CHECK(h[15] == std::byte{8});
  const auto back = decode_header(h, UINT64_MAX);
  CHECK(back.type == MessageType::pull);
  CHECK(back.length == 0x0102030405060708);
  CHECK_THROWS_AS(decode_header(h, 1000), TcpError);
}

TEST_CASE("framed messages of 0, 5 and 300000 bytes make a round trip unchanged") {
  Server server({}, echo);
  auto c = connect("127.0.0.1", server.port(), server.token());
  for (std::size_t n : {std::size_t{0}, std::size_t{5}, std::size_t{300000}}) {
    const auto sent = bytes_of(n, static_cast<unsigned>(n));
    c.send(MessageType::data, sent);
    CHECK(c.receive_expected(MessageType::data) == sent);
  }
  // A body streamed from a short pattern arrives as that pattern repeated.
  const auto pattern = bytes_of(7, 3);
  c.send_repeating(MessageType::data, 20, pattern);
  const auto got = c.receive_expected(MessageType::data);
  REQUIRE(got.size() == 20);
  for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == pattern[i % 7]);
}

TEST_CASE("a wrong token is rejected and counted, and the server then serves a good client") {
  Server server({}, serve_measurements);
  std::string wrong = server.token();
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  try {
    connect("127.0.0.1", server.port(), wrong);
    FAIL("a wrong token was accepted");
  } catch (const TcpError& e) {
    CHECK(e.failure == Failure::rejected);
  }
  CHECK(eventually([&] { return server.stats().rejected_token == 1; }));
  CHECK(server.stats().authenticated == 0);
  auto good = connect("127.0.0.1", server.port(), server.token());
  const std::vector<std::byte> pattern(1024, std::byte{1});
  CHECK(time_one_way(good, 4096, pattern).v > 0);
  CHECK(server.stats().authenticated == 1);
}

TEST_CASE("the token is 32 random hex digits and compares exactly") {
  const auto a = generate_token(), b = generate_token();
  CHECK(looks_like_token(a));
  CHECK(a != b);
  CHECK(tokens_equal(a, a));
  CHECK_FALSE(tokens_equal(a, b));
  CHECK_FALSE(tokens_equal(a, a.substr(0, 31)));
  CHECK_FALSE(looks_like_token("xyz"));
}

TEST_CASE("the server binds 127.0.0.1 by default, on a port the kernel picked") {
  CHECK(ServerOptions{}.bind_address == "127.0.0.1");
  Server server({}, serve_measurements);
  const auto [address, port] = local_address(server.listen_fd());
  CHECK(address == "127.0.0.1");
  CHECK(port == server.port());
  CHECK(port > 0);
  CHECK(server.address() == "127.0.0.1");
}

TEST_CASE("an address that cannot be bound is a TcpError, not a crash") {
  ServerOptions o;
  o.bind_address = "not-an-address";
  CHECK_THROWS_AS(Server(o, serve_measurements), TcpError);
}

TEST_CASE("connecting to a port nobody listens on is a TcpError(io)") {
  int port = 0;
  {
    Server gone({}, serve_measurements);
    port = gone.port();
  }
  try {
    connect("127.0.0.1", port, generate_token());
    FAIL("connected to a closed port");
  } catch (const TcpError& e) {
    CHECK(e.failure == Failure::io);
  }
}

TEST_CASE("stop() ends a server whose peer is idle, well before the idle timeout") {
  ServerOptions o;
  o.limits.idle_timeout = std::chrono::seconds(30);
  Server server(o, serve_measurements);
  auto c = connect("127.0.0.1", server.port(), server.token());
  const auto t0 = std::chrono::steady_clock::now();
  server.stop();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  CHECK(closed_by_peer(c.fd(), std::chrono::seconds(2)));
}
