// t_grad of one network on the CPU, at the main batch size and the sweep's, with every timed
// pass kept as a raw sample.
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "calibrate/cpu/runner.hpp"
#include "calibrate/profile/calibrate_run.hpp"

namespace dlscale::calib {

ProfileEntry measure_grad_entry(const Network& net, const CalibrateArgs& a, int threads,
                                std::ostream& log) {
  ProfileEntry e;
  e.network = net.name();
  std::vector<int> batches{a.batch};
  for (int b : a.batches)
    if (b != a.batch) batches.push_back(b);
  for (int b : batches) {
    fmt::print(log, "dlscale-calibrate: {} t_grad at batch {} ({} warm-up, {} timed)...\n",
               net.name(), b, a.warmup, a.repeat);
    log.flush();
    const GradMeasurement m = measure_grad(net, {b, a.warmup, a.repeat});
    GradSample g;
    g.batch = b;
    g.t_grad = m.t_grad.median;
    g.origin = Origin::measured;
    g.source = fmt::format("CPU Eigen fp32, threads {}, median of {} after {} warm-up "
                           "(range {:.4g}-{:.4g} s)", threads, a.repeat, a.warmup,
                           m.t_grad.min.v, m.t_grad.max.v);
    e.t_grad.push_back(g);
    for (const Seconds s : m.t_grad_samples) e.grad_samples.push_back({b, s, Origin::measured, {}});
  }
  return e;
}

}  // namespace dlscale::calib
