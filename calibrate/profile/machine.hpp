#pragma once
/// What the calibration ran on, for the profile's [machine] section: read from /proc, uname,
/// the compiler and, when CUDA was built in, the CUDA runtime. Values are free text.
#include <string>
#include <utility>
#include <vector>

namespace dlscale::calib {

using MachineInfo = std::vector<std::pair<std::string, std::string>>;

/// Keys from dlscale::machine_keys(), in that order; `threads` is what the CPU probe used.
MachineInfo machine_info(int threads);

/// One line for the profile's `hardware` key: "CPU model, N cores, M GiB RAM[, GPU]".
std::string hardware_line(const MachineInfo& m);

}  // namespace dlscale::calib
