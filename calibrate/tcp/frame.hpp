#pragma once
/// The wire format: every message is a 16-byte header then `length` payload bytes.
///   offset 0  u32 magic  "DLST" (0x444C5354): garbage and other protocols are caught at once
///   offset 4  u16 type   MessageType
///   offset 6  u16 zero   reserved; must be 0, so a later version can use it
///   offset 8  u64 length payload bytes; checked against the receiver's cap before anything
///                        is read or allocated
/// All fields big-endian (network order).
#include <array>
#include <cstddef>
#include <cstdint>

namespace dlscale::tcp {

inline constexpr std::uint32_t frame_magic = 0x444C5354;  // "DLST"
inline constexpr std::size_t header_bytes = 16;

enum class MessageType : std::uint16_t {
  hello = 1,    ///< client -> server, payload: the token (hex text)
  welcome = 2,  ///< server -> client, empty: the token was right
  data = 3,     ///< payload bytes; the measurement service answers with `ack`
  ack = 4,      ///< 1-byte payload: "all of your data arrived"
  pull = 5,     ///< payload: u64 n; the measurement service answers with a data frame of n bytes
  bye = 6,      ///< empty: orderly end of a session
  /// empty: client -> server, "may I send now?"; answered by `ack` when it is this peer's
  /// turn (dlscale-ps's access semaphore: a grant must come before the bytes leave the
  /// sender, since a push already in the socket buffers would share the link anyway)
  turn = 7,
};
/// The highest MessageType: decode_header refuses anything above it.
inline constexpr MessageType last_message_type = MessageType::turn;

struct FrameHeader {
  MessageType type = MessageType::data;
  std::uint64_t length = 0;
};

using HeaderBytes = std::array<std::byte, header_bytes>;

HeaderBytes encode_header(FrameHeader h);

/// Decodes and checks: magic, reserved field, known type, length <= max_length.
/// Throws TcpError(bad_magic | bad_frame | oversize).
FrameHeader decode_header(const HeaderBytes& bytes, std::uint64_t max_length);

/// u64 in network order, for the `pull` payload.
std::array<std::byte, 8> encode_u64(std::uint64_t v);
std::uint64_t decode_u64(const std::byte* p);

}  // namespace dlscale::tcp
