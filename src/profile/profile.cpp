#include "dlscale/profile.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "detail/text.hpp"
#include "dlscale/error.hpp"

namespace dlscale {

std::string_view to_string(Origin o) {
  switch (o) {
    case Origin::measured: return "measured";
    case Origin::fitted: return "fitted";
    case Origin::typed: return "typed";
    case Origin::derived: return "derived";
  }
  return "?";
}

const GradSample& ProfileEntry::grad_at(std::optional<std::int64_t> batch) const {
  if (t_grad.empty())
    throw ConfigError(fmt::format("network '{}': no t_grad_s in the profile", network));
  if (!batch) return t_grad.front();
  for (const auto& g : t_grad)
    if (g.batch == batch) return g;
  std::vector<std::string> have;
  for (const auto& g : t_grad) have.push_back(g.batch ? std::to_string(*g.batch) : "unknown");
  throw ConfigError(fmt::format("network '{}': t_grad_s: no sample at batch {}; the profile "
                                "has batch {}", network, *batch, fmt::join(have, ", ")));
}

const ProfileEntry* Profile::find(std::string_view network) const {
  for (const auto& e : entries)
    if (detail::iequals(e.network, network)) return &e;
  return nullptr;
}

const ProfileLink* Profile::link(std::string_view link_name) const {
  for (const auto& l : links)
    if (detail::iequals(l.name, link_name)) return &l;
  return nullptr;
}

const ProfileCollective* Profile::collective(Collective c, CollectiveScope scope) const {
  for (const auto& x : collectives)
    if (x.fit.collective == c && x.fit.scope == scope) return &x;
  return nullptr;
}

Profile load_profile_file(const std::filesystem::path& path) {
  return parse_profile(read_text_file(path), path.string());
}

Profile default_profile(const DataSource& data) {
  constexpr std::string_view file = "profiles/thesis-2017.profile";
  return parse_profile(data.read(file), data.describe(file));
}

}  // namespace dlscale
