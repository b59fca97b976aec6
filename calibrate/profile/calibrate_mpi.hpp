#pragma once
/// dlscale-calibrate's entry after parsing: a plain run, or under an MPI launcher the NCCL sweep
/// across every rank (one GPU each), after which rank 0 alone measures t_grad and TCP and
/// writes the profile while the other ranks exit 0.
#include <iosfwd>

#include "calibrate/profile/calibrate_args.hpp"

namespace dlscale::calib {

/// Returns the exit code; throws what run_calibration throws (and ConfigError for a launch
/// mpi_launch_refusal refuses).
int calibrate(const CalibrateArgs& a, std::ostream& out, std::ostream& log);

}  // namespace dlscale::calib
