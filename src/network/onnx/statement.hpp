#pragma once
// Writing one imported layer as a .net statement: the native form (`conv c1 64 kh=3 ...`)
// where it reproduces the ONNX node exactly, else the given-counts form (`out= macs= tensor=`).
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <onnx/onnx_pb.h>

#include "dlscale/network.hpp"
#include "network/expand.hpp"
#include "network/onnx/ops.hpp"

namespace dlscale::onnx_import {

/// One layer as the ONNX node gives it, per sample.
struct Draft {
  std::string name;
  LayerKind kind = LayerKind::flatten;
  std::vector<std::string> from;
  Shape out;
  std::int64_t macs = 0;
  std::vector<std::pair<std::string, Dims>> tensors;  ///< trainable, in input order
};

/// A name a .net file accepts: letters, digits and _ - . / (others become _), no leading
/// '/', at most 200 bytes, never empty.
std::string sanitize_name(std::string_view name);
/// Text safe in a trailing comment: one line, at most 200 bytes.
std::string comment_safe(std::string_view text);

/// "type name args key=value from=a,b".
std::string format_statement(const network_detail::RawLayer& r);

/// The native statement of node `n` if it gives exactly `d` (checked by building it), given
/// the per-sample shapes of the layers it reads (`shapes`); nullopt otherwise.
std::optional<network_detail::RawLayer> native_statement(
    const onnx::NodeProto& n, const Draft& d, const std::unordered_map<std::string, Shape>& shapes);

/// The given-counts statement of `d`: `<class> name out=CxHxW macs=N tensor=NAME:AxB from=...`.
network_detail::RawLayer given_statement(const Draft& d);

}  // namespace dlscale::onnx_import
