#include "calibrate/tcp/service.hpp"

#include <vector>

namespace dlscale::tcp {

void serve_measurements(Connection& c) {
  std::vector<std::byte> scratch(std::size_t{1} << 20);
  const std::byte ack_payload[1] = {std::byte{1}};
  while (const auto h = c.receive_next_header()) {
    switch (h->type) {
      case MessageType::data:
        c.discard_body(h->length, scratch);
        c.send(MessageType::ack, ack_payload);
        break;
      case MessageType::pull: {
        if (h->length != 8) throw TcpError(Failure::bad_frame, "pull payload must be 8 bytes");
        const auto body = c.receive_body(*h);
        const auto n = decode_u64(body.data());
        if (n > c.limits().max_message_bytes)
          throw TcpError(Failure::oversize, "pull of " + std::to_string(n) + " bytes; the limit is " +
                                                std::to_string(c.limits().max_message_bytes));
        c.send_repeating(MessageType::data, n, scratch);
        break;
      }
      case MessageType::bye:
        return;
      default:
        throw TcpError(Failure::bad_frame, "unexpected message type " +
                                               std::to_string(static_cast<int>(h->type)));
    }
  }
}

}  // namespace dlscale::tcp
