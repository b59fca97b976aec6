#include "network/kinds.hpp"

#include <array>
#include <utility>

#include "detail/text.hpp"
#include "dlscale/error.hpp"

namespace dlscale {
namespace {

// The keyword of each kind as written in a description; its order is the order of the enum.
constexpr std::array<std::pair<LayerKind, std::string_view>, 14> keywords{{
    {LayerKind::input, "input"},     {LayerKind::conv, "conv"},
    {LayerKind::fc, "fc"},           {LayerKind::maxpool, "maxpool"},
    {LayerKind::avgpool, "avgpool"}, {LayerKind::global_avgpool, "gavgpool"},
    {LayerKind::batchnorm, "batchnorm"}, {LayerKind::lrn, "lrn"},
    {LayerKind::relu, "relu"},       {LayerKind::dropout, "dropout"},
    {LayerKind::concat, "concat"},   {LayerKind::add, "add"},
    {LayerKind::softmax, "softmax"}, {LayerKind::flatten, "flatten"},
}};


}  // namespace

std::string_view to_string(LayerKind k) {
  for (const auto& [kind, word] : keywords)
    if (kind == k) return word;
  return "?";
}

std::string_view to_string(Precision p) { return p == Precision::fp32 ? "fp32" : "fp16"; }

Precision parse_precision(std::string_view text) {
  if (detail::iequals(text, "fp32")) return Precision::fp32;
  if (detail::iequals(text, "fp16") || detail::iequals(text, "bf16")) return Precision::fp16;
  throw ConfigError("precision '" + std::string(text) + "': one of fp32, fp16, bf16 expected");
}

namespace network_detail {

std::optional<LayerKind> parse_kind(std::string_view word) {
  for (const auto& [kind, keyword] : keywords)
    if (keyword == word) return kind;
  return std::nullopt;
}

std::string kind_list() {
  std::string out;
  for (const auto& [kind, word] : keywords) out += (out.empty() ? "" : ", ") + std::string(word);
  return out;
}

}  // namespace network_detail
}  // namespace dlscale
