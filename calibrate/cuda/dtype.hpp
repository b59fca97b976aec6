#pragma once
/// Element types the GPU probe runs in. Kept apart from dlscale::Precision, which folds bf16
/// into fp16 (same size) while the probe must tell them apart: they run different kernels.
#include <string_view>

namespace dlscale::calib {

enum class DType { fp32, fp16, bf16 };

std::string_view to_string(DType t);
/// "fp32", "fp16" or "bf16"; throws ConfigError naming the text otherwise.
DType parse_dtype(std::string_view text);
/// Bytes per element: 4 or 2.
constexpr int element_bytes(DType t) { return t == DType::fp32 ? 4 : 2; }

}  // namespace dlscale::calib
