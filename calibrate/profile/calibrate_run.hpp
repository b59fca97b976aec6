#pragma once
/// dlscale-calibrate's steps: t_grad per network (CPU probe), the TCP link and each network's
/// t_comm (TCP transport), then the profile, written atomically.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/cpu/runner.hpp"
#include "calibrate/profile/calibrate_args.hpp"
#include "dlscale/network.hpp"
#include "dlscale/profile.hpp"

namespace dlscale::calib {

/// A network's t_grad lines (at --batch first, then --batches) and every timed pass, and the
/// per-class rates at --batch.
struct GradEntry {
  ProfileEntry entry;
  std::vector<ClassRate> classes;
};
GradEntry measure_grad_entry(const Network& net, const CalibrateArgs& a, int threads,
                             std::ostream& log);
/// Adds one batch's measurement to `out` (CPU or GPU probe): its t_grad (median, `source`), raw
/// samples, and at `main_batch` the class rates and per-layer medians.
void record_batch(GradEntry& out, int batch, int main_batch, const GradMeasurement& m,
                  std::string source);

/// Refuses (ConfigError) an --estimate network with a layer class that no measured network has.
void check_estimable(const std::vector<Network>& measured, const std::vector<Network>& estimated);
/// The device's per-class rates at `batch`, pooled over the measured networks (total work /
/// total time per class): the profile's [rates] section.
ProfileRates pooled_rates(const std::vector<GradEntry>& measured, const CalibrateArgs& a, int threads);
/// An --estimate network's entry: t_grad from `rates`, t_comm from the link fit when there is
/// one; both origin=fitted.
ProfileEntry estimated_entry(const Network& net, const ProfileRates& rates, const ProfileLink* link);

/// The TCP link: raw one-way transfers of a size sweep and of each network's exact weight
/// size, the alpha/beta fit over the per-size medians, and the median at each network size.
struct TcpCalibration {
  ProfileLink link;
  bool fitted = false;               ///< false when fit_link refused the samples (see failure)
  std::string failure;
  std::vector<Seconds> t_comm;       ///< per network, in the order given
};
TcpCalibration measure_tcp(const std::vector<Bytes>& network_bytes, const CalibrateArgs& a,
                           std::ostream& log);

/// What every refusal left standing: the networks, the profile's path and where t_grad runs.
struct CalibrationPlan {
  std::vector<Network> nets, estimated;
  std::string out_path;
  bool gpu = false;
  std::string device_line;  ///< "device: ...", printed when the measuring starts
};
/// Every refusal, before the first measurement: ConfigError (exit 2) for bad input, nullopt
/// (exit 77, the reason printed on `log`) when a GPU is required and missing.
std::optional<CalibrationPlan> plan_calibration(const CalibrateArgs& a, std::ostream& log);
/// The measurements, the profile and its summary on `out`; returns the exit code. With --nccl
/// the collectives are `measured` when given (under MPI, across ranks, before this step),
/// else measured here on this node's GPUs in one process.
int finish_calibration(CalibrationPlan plan, const CalibrateArgs& a, std::ostream& out,
                       std::ostream& log, const std::vector<ProfileCollective>* measured);
/// plan_calibration then finish_calibration, one process.
int run_calibration(const CalibrateArgs& a, std::ostream& out, std::ostream& log);

}  // namespace dlscale::calib
