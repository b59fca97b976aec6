#include "dlscale/models/hierarchical.hpp"

#include <algorithm>
#include <cassert>

namespace dlscale::models {

Seconds hierarchical_allreduce(int workers, int per_node, Bytes bytes, const LinkModel& intra,
                               const LinkModel& inter) {
  assert(workers >= 1 && per_node >= 1 && intra.beta.v > 0 && inter.beta.v > 0);
  const int g = std::min(per_node, workers);
  const int m = (workers + g - 1) / g;
  const double shard = static_cast<double>(bytes.v) / g;  // what each worker owns after step 1
  // Steps 1 and 3: (G-1) chunk steps each on the intra-node link.
  const Seconds inside = (2.0 * (g - 1)) * (intra.alpha + Seconds{shard / intra.beta.v});
  // Step 2: a ring over M nodes on the shard, 2 (M-1) steps of shard / M.
  const Seconds across = (2.0 * (m - 1)) * (inter.alpha + Seconds{shard / m / inter.beta.v});
  return inside + across;
}

Bounds hierarchical_sync_iter(int workers, int per_node, Bytes bytes, const LinkModel& intra,
                              const LinkModel& inter, Seconds t_grad) {
  return exact(t_grad + hierarchical_allreduce(workers, per_node, bytes, intra, inter));
}

}  // namespace dlscale::models
