#pragma once
/// Run-time instruction-set dispatch of the hot Eigen kernels (conv and fc: im2col and GEMM).
/// The default build targets plain x86-64 (SSE2), so that the binary runs on any x86-64 CPU;
/// conv.cpp is compiled a second time for x86-64-v3 (AVX2, FMA) into its own namespace, and
/// conv_forward & co. (conv_dispatch.cpp) call that copy when the CPU has it. That copy sees
/// Eigen under another namespace name (conv_x86_64_v3.cpp), so none of its AVX2 template
/// instances can be picked by the linker for the baseline code (one definition rule).
/// DLSCALE_CPU_ISA=baseline in the environment forces the baseline copy.
#include <string_view>

#include "calibrate/cpu/conv.hpp"

namespace dlscale::calib {

#define DLSCALE_DECLARE_CONV_KERNELS                                                             \
  template <class T>                                                                             \
  void conv_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y,                  \
                    ConvScratch<T>& s);                                                          \
  template <class T>                                                                             \
  void conv_backward(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db, \
                     ConvScratch<T>& s);                                                         \
  template <class T>                                                                             \
  void fc_forward(std::int64_t batch, std::int64_t in, std::int64_t out, const T* x, const T* w,  \
                  const T* b, T* y);                                                             \
  template <class T>                                                                             \
  void fc_backward(std::int64_t batch, std::int64_t in, std::int64_t out, const T* x, const T* w, \
                   const T* dy, T* dx, T* dw, T* db);

namespace baseline {
DLSCALE_DECLARE_CONV_KERNELS
}
namespace x86_64_v3 {
DLSCALE_DECLARE_CONV_KERNELS
}
#undef DLSCALE_DECLARE_CONV_KERNELS

/// The kernels' instruction set in use: "x86-64-v3" (AVX2, FMA) or "x86-64" (SSE2).
std::string_view eigen_kernel_isa();

}  // namespace dlscale::calib
