#pragma once
/// The server side of the measurement protocol, as a PeerHandler for Server:
///   data (n bytes)  -> the body is read and thrown away, then `ack` (1 byte) is sent
///   pull (u64 n)    -> a `data` frame of n bytes is sent (n is capped like any message)
///   bye, or a clean close between messages -> the session ends normally
/// Anything else drops the peer. Bodies stream through a 1 MiB buffer per peer, so the
/// memory a peer can make us use does not depend on the sizes it announces.
#include "calibrate/tcp/server.hpp"

namespace dlscale::tcp {

/// Serves one peer until it says bye or closes; throws TcpError to have it dropped.
void serve_measurements(Connection& c);

}  // namespace dlscale::tcp
