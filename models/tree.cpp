#include "dlscale/models/tree.hpp"

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
