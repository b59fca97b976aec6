#pragma once
// Layer keywords of the description format, shared by the expander and shape inference.
#include <optional>
#include <string>
#include <string_view>

#include "dlscale/network.hpp"

namespace dlscale::network_detail {

/// The kind whose keyword (to_string(LayerKind)) is `word`, if any.
std::optional<LayerKind> parse_kind(std::string_view word);
/// "input, conv, fc, ..." for messages.
std::string kind_list();

}  // namespace dlscale::network_detail
