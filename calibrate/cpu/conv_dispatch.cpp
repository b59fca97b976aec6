// conv_forward & co.: the x86-64-v3 copy where the CPU has AVX2 and FMA and the build has the
// copy, else the baseline one. Decided once per process.
#include <cstdlib>
#include <string_view>

#include "calibrate/cpu/conv_isa.hpp"

namespace dlscale::calib {
namespace {

bool use_v3() {
  static const bool v3 = [] {
#if DLSCALE_HAVE_X86_64_V3_KERNELS
    const char* forced = std::getenv("DLSCALE_CPU_ISA");
    if (forced != nullptr && std::string_view(forced) == "baseline") return false;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
           __builtin_cpu_supports("bmi2");
#else
    return false;
#endif
  }();
  return v3;
}

}  // namespace

std::string_view eigen_kernel_isa() { return use_v3() ? "x86-64-v3" : "x86-64"; }

#if DLSCALE_HAVE_X86_64_V3_KERNELS
#define DLSCALE_PICK(f, ...) (use_v3() ? x86_64_v3::f(__VA_ARGS__) : baseline::f(__VA_ARGS__))
#else
#define DLSCALE_PICK(f, ...) baseline::f(__VA_ARGS__)
#endif

template <class T>
void conv_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y, ConvScratch<T>& s) {
  DLSCALE_PICK(conv_forward<T>, g, x, w, b, y, s);
}
template <class T>
void conv_backward(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db,
                   ConvScratch<T>& s) {
  DLSCALE_PICK(conv_backward<T>, g, x, w, dy, dx, dw, db, s);
}
template <class T>
void fc_forward(std::int64_t batch, std::int64_t in, std::int64_t out, const T* x, const T* w,
                const T* b, T* y) {
  DLSCALE_PICK(fc_forward<T>, batch, in, out, x, w, b, y);
}
template <class T>
void fc_backward(std::int64_t batch, std::int64_t in, std::int64_t out, const T* x, const T* w,
                 const T* dy, T* dx, T* dw, T* db) {
  DLSCALE_PICK(fc_backward<T>, batch, in, out, x, w, dy, dx, dw, db);
}

template void conv_forward<float>(const ConvGeom&, const float*, const float*, const float*, float*, ConvScratch<float>&);
template void conv_forward<double>(const ConvGeom&, const double*, const double*, const double*, double*, ConvScratch<double>&);
template void conv_backward<float>(const ConvGeom&, const float*, const float*, const float*, float*, float*, float*, ConvScratch<float>&);
template void conv_backward<double>(const ConvGeom&, const double*, const double*, const double*, double*, double*, double*, ConvScratch<double>&);
template void fc_forward<float>(std::int64_t, std::int64_t, std::int64_t, const float*, const float*, const float*, float*);
template void fc_forward<double>(std::int64_t, std::int64_t, std::int64_t, const double*, const double*, const double*, double*);
template void fc_backward<float>(std::int64_t, std::int64_t, std::int64_t, const float*, const float*, const float*, float*, float*, float*);
template void fc_backward<double>(std::int64_t, std::int64_t, std::int64_t, const double*, const double*, const double*, double*, double*, double*);

}  // namespace dlscale::calib
