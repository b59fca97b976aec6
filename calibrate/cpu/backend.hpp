#pragma once
/// Which kernels the CPU gradient probe runs: Eigen (always built; the reference the
/// finite-difference tests check) or oneDNN (the library PyTorch's CPU path uses; built when
/// libdnnl-dev is found, Meson feature `onednn`). The probe prints the one it used.
#include <string>
#include <string_view>

namespace dlscale::calib {

enum class CpuBackend { eigen, onednn };

/// "eigen" or "onednn".
std::string_view to_string(CpuBackend b);
/// The backend, its library version and precision, for reports and profiles:
/// "oneDNN 2.6.3 fp32" or "Eigen 3.4.0 fp32 (x86-64-v3 conv and fc kernels)".
std::string describe(CpuBackend b);
/// Whether this build has the backend.
bool backend_built(CpuBackend b);
/// oneDNN when built, else Eigen.
CpuBackend default_backend();
/// "auto", "eigen" or "onednn" from the command line; ConfigError naming `option` for anything
/// else and for a backend this build lacks.
CpuBackend parse_backend(std::string_view text, std::string_view option);

}  // namespace dlscale::calib
