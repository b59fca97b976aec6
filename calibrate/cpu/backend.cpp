#include "calibrate/cpu/backend.hpp"

#include <Eigen/Core>
#include <fmt/format.h>

#include "calibrate/cpu/conv_isa.hpp"
#include "config.hpp"
#include "dlscale/error.hpp"

#if DLSCALE_HAVE_ONEDNN
#include <dnnl.hpp>
#endif

namespace dlscale::calib {

std::string_view to_string(CpuBackend b) { return b == CpuBackend::onednn ? "onednn" : "eigen"; }

std::string describe(CpuBackend b) {
#if DLSCALE_HAVE_ONEDNN
  if (b == CpuBackend::onednn) {
    const auto* v = dnnl::version();
    return fmt::format("oneDNN {}.{}.{} fp32", v->major, v->minor, v->patch);
  }
#endif
  return b == CpuBackend::onednn ? "oneDNN (not built) fp32"
                                 : fmt::format("Eigen {}.{}.{} fp32 ({} conv and fc kernels)",
                                               EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION,
                                               EIGEN_MINOR_VERSION, eigen_kernel_isa());
}

bool backend_built(CpuBackend b) { return b == CpuBackend::eigen || DLSCALE_HAVE_ONEDNN; }

CpuBackend default_backend() { return DLSCALE_HAVE_ONEDNN ? CpuBackend::onednn : CpuBackend::eigen; }

CpuBackend parse_backend(std::string_view text, std::string_view option) {
  if (text == "auto") return default_backend();
  if (text == "eigen") return CpuBackend::eigen;
  if (text == "onednn") {
    if (!backend_built(CpuBackend::onednn))
      throw ConfigError(fmt::format("{} onednn: this build has no oneDNN; install libdnnl-dev and "
                                    "reconfigure with -Donednn=enabled, or use eigen", option));
    return CpuBackend::onednn;
  }
  throw ConfigError(fmt::format("{} '{}': unknown backend; auto, eigen or onednn expected", option, text));
}

}  // namespace dlscale::calib
