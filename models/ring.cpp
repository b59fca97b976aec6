#include "dlscale/models/ring.hpp"

#include <algorithm>
#include <cassert>

namespace dlscale::models {

Seconds ring_allreduce(int workers, Bytes bytes, const LinkModel& link) {
  assert(workers >= 1 && link.beta.v > 0);
  const double n = workers;
  // Reduce-scatter and all-gather: N-1 steps each, one chunk of bytes/N per step.
  const Seconds chunk = link.alpha + Seconds{static_cast<double>(bytes.v) / n / link.beta.v};
  return (2.0 * (n - 1)) * chunk;
}

Bounds ring_sync_iter(int workers, Bytes bytes, const LinkModel& link, Seconds t_grad) {
  return exact(t_grad + ring_allreduce(workers, bytes, link));
}

Bounds ring_sync_iter(int workers, Seconds t_comm, Seconds t_grad) {
  assert(workers >= 1);
  const double n = workers;
  return exact(t_grad + (2.0 * (n - 1)) * (t_comm / n));
}

}  // namespace dlscale::models

namespace dlscale::models {

Seconds ring_allreduce(int workers, Bytes bytes, const Cluster& c) {
  assert(workers >= 1 && c.nic);
  const double chunk = static_cast<double>(bytes.v) / workers;
  // One hop crossing nodes goes worker link -> NIC -> NIC -> worker link: its rate is the
  // narrower of the two, and its latency the inter-node one.
  const LinkModel hop = c.nodes(workers) > 1
      ? LinkModel{c.nic->alpha, BytesPerSec{std::min(c.nic->beta.v, c.intra.beta.v)}}
      : c.intra;
  return (2.0 * (workers - 1)) * (hop.alpha + Seconds{chunk / hop.beta.v});
}

}  // namespace dlscale::models
