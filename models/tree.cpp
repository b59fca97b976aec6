#include "dlscale/models/tree.hpp"

#include <algorithm>
#include <cassert>

namespace dlscale::models {

int tree_rounds(int workers) {
  assert(workers >= 1);
  int rounds = 0;
  for (long long reach = 1; reach < workers; reach *= 2) ++rounds;  // each round doubles the reach
  return rounds;
}

Seconds tree_allreduce(int workers, Bytes bytes, const LinkModel& link) {
  assert(link.beta.v > 0);
  // Reduce up the tree, then broadcast down it: every round moves the whole vector once.
  return (2.0 * tree_rounds(workers)) * link.time(bytes);
}

Bounds tree_sync_iter(int workers, Bytes bytes, const LinkModel& link, Seconds t_grad) {
  return exact(t_grad + tree_allreduce(workers, bytes, link));
}

Bounds tree_sync_iter(int workers, Seconds t_comm, Seconds t_grad) {
  return exact(t_grad + (2.0 * tree_rounds(workers)) * t_comm);
}

}  // namespace dlscale::models

namespace dlscale::models {

Seconds tree_allreduce(int workers, Bytes bytes, const Cluster& c) {
  assert(workers >= 1 && c.nic);
  const long long g = c.workers_per_node;
  const LinkModel across{c.nic->alpha, BytesPerSec{std::min(c.nic->beta.v, c.intra.beta.v)}};
  Seconds rounds{0};
  for (long long d = 1; d < workers; d *= 2) {
    // Senders w = d, 3d, 5d, ... (< N) send to w - d; the pair crosses nodes when w - d lies
    // on an earlier node, i.e. w mod G < d. Once d >= G every pair crosses; when 2d divides
    // G, w mod G is an odd multiple of d and none does (the common power-of-two G).
    bool crosses = d >= g;
    if (!crosses && g % (2 * d) != 0)
      for (long long w = d; !crosses && w < workers; w += 2 * d) crosses = w % g < d;
    rounds += (crosses ? across : c.intra).time(bytes);
  }
  return 2.0 * rounds;
}

}  // namespace dlscale::models
