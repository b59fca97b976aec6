// The names of schemes and modes, as the CLI and the printers spell them.
#include "dlscale/scenario.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale {
namespace {

// Lower case, '_' read as '-', so "Sync_Join" and "sync-join" are the same.
std::string normalise(std::string_view text) {
  std::string s(text);
  for (char& c : s) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

constexpr std::array<std::pair<std::string_view, Scheme>, 9> scheme_names{{
    {"central", Scheme::central},
    {"central-semaphore", Scheme::central_semaphore},
    {"sharded", Scheme::sharded},
    {"distributed", Scheme::sharded},  // the thesis's estimate.py name
    {"sharded-placed", Scheme::sharded_placed},
    {"sharded-lpt", Scheme::sharded_lpt},
    {"ring", Scheme::ring},
    {"tree", Scheme::tree},
    {"hierarchical", Scheme::hierarchical},
}};

constexpr std::array<std::pair<std::string_view, Mode>, 5> mode_names{{
    {"sync-join", Mode::sync_join},
    {"sync-split", Mode::sync_split},
    {"async", Mode::async},
    {"join", Mode::sync_join},  // the thesis's train.py names
    {"split", Mode::sync_split},
}};

}  // namespace

std::string_view to_string(Scheme s) {
  switch (s) {
    case Scheme::central: return "central";
    case Scheme::central_semaphore: return "central-semaphore";
    case Scheme::sharded: return "sharded";
    case Scheme::sharded_placed: return "sharded-placed";
    case Scheme::sharded_lpt: return "sharded-lpt";
    case Scheme::ring: return "ring";
    case Scheme::tree: return "tree";
    case Scheme::hierarchical: return "hierarchical";
  }
  return "?";
}

std::string_view to_string(Mode m) {
  switch (m) {
    case Mode::sync_join: return "sync-join";
    case Mode::sync_split: return "sync-split";
    case Mode::async: return "async";
  }
  return "?";
}

std::string_view to_string(OverlapPolicy p) {
  switch (p) {
    case OverlapPolicy::none: return "none";
    case OverlapPolicy::tensor: return "tensor";
    case OverlapPolicy::buckets: return "buckets";
  }
  return "?";
}

Scheme parse_scheme(std::string_view text) {
  const std::string key = normalise(text);
  for (const auto& [name, scheme] : scheme_names)
    if (name == key) return scheme;
  throw ConfigError(fmt::format(
      "scheme '{}': unknown; one of central, central-semaphore, sharded (or distributed), "
      "sharded-placed, sharded-lpt, ring, tree, hierarchical",
      text));
}

Mode parse_mode(std::string_view text) {
  const std::string key = normalise(text);
  for (const auto& [name, mode] : mode_names)
    if (name == key) return mode;
  throw ConfigError(
      fmt::format("mode '{}': unknown; one of sync-join (or join), sync-split (or split), async",
                  text));
}

const std::vector<Scheme>& all_schemes() {
  static const std::vector<Scheme> schemes{Scheme::central,        Scheme::central_semaphore,
                                           Scheme::sharded,        Scheme::sharded_placed,
                                           Scheme::sharded_lpt,    Scheme::ring,
                                           Scheme::tree};
  return schemes;
}

const std::vector<Mode>& all_modes() {
  static const std::vector<Mode> modes{Mode::sync_join, Mode::sync_split, Mode::async};
  return modes;
}

bool supports(Scheme s, Mode m) {
  const bool allreduce = s == Scheme::ring || s == Scheme::tree || s == Scheme::hierarchical;
  return !(allreduce && m == Mode::async);
}

AllreduceInputs allreduce_inputs(const Scenario& s) {
  AllreduceInputs in{s.link, s.cluster};
  const AllreduceLinks& a = s.allreduce;
  if (a.inter) {
    if (in.cluster && in.cluster->nic) in.cluster->nic = a.inter;
    else in.link = a.inter;
  }
  if (a.intra && in.cluster) in.cluster->intra = *a.intra;
  return in;
}

}  // namespace dlscale
