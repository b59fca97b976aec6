#include "calibrate/tcp/frame.hpp"

#include <string>

#include "calibrate/tcp/socket_io.hpp"

namespace dlscale::tcp {
namespace {

void put(std::byte* p, std::uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i, v >>= 8) p[i] = static_cast<std::byte>(v & 0xff);
}

std::uint64_t get(const std::byte* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<std::uint64_t>(p[i]);
  return v;
}

}  // namespace

HeaderBytes encode_header(FrameHeader h) {
  HeaderBytes b{};
  put(b.data(), frame_magic, 4);
  put(b.data() + 4, static_cast<std::uint16_t>(h.type), 2);
  put(b.data() + 8, h.length, 8);
  return b;
}

FrameHeader decode_header(const HeaderBytes& b, std::uint64_t max_length) {
  if (get(b.data(), 4) != frame_magic)
    throw TcpError(Failure::bad_magic, "not a dlscale frame (bad magic)");
  const auto type = get(b.data() + 4, 2);
  if (get(b.data() + 6, 2) != 0 || type < 1 || type > static_cast<int>(last_message_type))
    throw TcpError(Failure::bad_frame, "bad frame header (type " + std::to_string(type) + ")");
  const auto length = get(b.data() + 8, 8);
  if (length > max_length)
    throw TcpError(Failure::oversize, "frame announces " + std::to_string(length) +
                                          " bytes; the limit is " + std::to_string(max_length));
  return {static_cast<MessageType>(type), length};
}

std::array<std::byte, 8> encode_u64(std::uint64_t v) {
  std::array<std::byte, 8> b{};
  put(b.data(), v, 8);
  return b;
}

std::uint64_t decode_u64(const std::byte* p) { return get(p, 8); }

}  // namespace dlscale::tcp
