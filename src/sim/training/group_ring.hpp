#pragma once
// Private to the training simulation: a ring phase among groups of workers, the pipeline of
// the ring all-reduce (ring.cpp) restricted to each group. Per-node aggregation and the
// hierarchical all-reduce chain several of them.
#include <functional>
#include <vector>

#include "sim/training/run.hpp"

namespace dlscale::sim::training {

class GroupRing {
 public:
  /// Every worker w sends `steps` chunks of `chunk` bytes to next[w] (a worker of its group);
  /// `done(w)` runs when w has received all `steps` chunks (at once when steps is 0).
  GroupRing(Run& r, int steps, Bytes chunk, std::vector<int> next, std::function<void(int)> done);
  /// Forgets the previous iteration's progress.
  void reset();
  /// Worker w holds its data: it may start sending.
  void enter(int w);

 private:
  // One send in flight per worker; step s+1 leaves once step s has left and the chunk of
  // step s from the previous worker has arrived.
  void try_send(int w);

  Run& r_;
  int steps_;
  Bytes chunk_;
  std::vector<int> next_;
  std::function<void(int)> done_;
  std::vector<int> sent_, received_;
  std::vector<char> ready_, busy_;
};

}  // namespace dlscale::sim::training
