#include "profile/collective.hpp"

#include <cmath>
#include <utility>

#include "dlscale/error.hpp"

namespace dlscale::profile_detail {
namespace {

constexpr std::string_view collective_list =
    "all-reduce, reduce-scatter, all-gather, broadcast or reduce";

void no_attrs(const KeyLine& kl, const detail::Where& at) {
  if (!kl.attrs.empty())
    throw ConfigError(fmt::format("{}: unknown attribute '{}'; none expected", at.str(),
                                  kl.attrs.front().first));
}

void once(bool& seen, const detail::Where& at) {
  if (seen) throw ConfigError(fmt::format("{}: given twice", at.str()));
  seen = true;
}

// `sample_s SECONDS bytes=N [residual=R]`: one timed run of the collective.
CollectiveSample read_sample(const KeyLine& kl, const detail::Where& at) {
  CollectiveSample s;
  s.seconds = Seconds{detail::parse_bounded(kl.value, at, detail::seconds_bounds, "s")};
  bool has_bytes = false;
  for (const auto& [name, value] : kl.attrs) {
    const detail::Where attr{at.source, at.line, name};
    if (name == "bytes") {
      s.size = Bytes{static_cast<std::uint64_t>(detail::parse_int(value, attr, 0, std::int64_t{1} << 50))};
      has_bytes = true;
    } else if (name == "residual") {
      const double r = detail::parse_double(value, attr);
      if (!std::isfinite(r))
        throw ConfigError(fmt::format("{}: '{}' is not valid; a finite number expected",
                                      attr.str(), value));
      s.residual = r;
    } else {
      throw ConfigError(fmt::format("{}: unknown attribute '{}'; bytes= or residual= expected",
                                    at.str(), name));
    }
  }
  if (!has_bytes)
    throw ConfigError(fmt::format("{}: bytes= missing; 'sample_s SECONDS bytes=N' expected",
                                  at.str()));
  return s;
}

}  // namespace

ProfileCollective CollectiveSection::open(std::string_view name, const detail::Where& at) {
  const auto kind = parse_collective(name);
  if (!kind)
    throw ConfigError(fmt::format("{}: unknown collective '{}'; {} expected", at.str(), name,
                                  collective_list));
  ProfileCollective c;
  c.fit.collective = *kind;
  c.line = at.line;
  return c;
}

void CollectiveSection::key(ProfileCollective& c, const KeyLine& kl, const detail::Where& at) {
  if (kl.key == "scope") {
    once(scope_, at);
    const auto scope = parse_collective_scope(kl.value);
    if (!scope)
      throw ConfigError(fmt::format("{}: '{}' is not valid; intra-node or inter-node expected",
                                    at.str(), kl.value));
    c.fit.scope = *scope;
    no_attrs(kl, at);
  } else if (kl.key == "workers" || kl.key == "gpus_per_node") {
    const bool workers = kl.key == "workers";
    once(workers ? workers_ : gpus_, at);
    const auto v = static_cast<int>(detail::parse_int(kl.value, at, workers ? 2 : 1, 1'000'000));
    (workers ? c.fit.workers : c.fit.gpus_per_node) = v;
    no_attrs(kl, at);
  } else if (kl.key == "alpha_s") {
    once(alpha_, at);
    c.fit.alpha = Seconds{detail::parse_bounded(kl.value, at, detail::latency_bounds, "s")};
    read_attrs(kl, at, {"origin", "source"}, c.origin, c.source);
  } else if (kl.key == "busbw_Bps") {
    once(busbw_, at);
    c.fit.bus_bandwidth = BytesPerSec{detail::parse_bounded(kl.value, at, detail::rate_bounds, "B/s")};
    read_attrs(kl, at, {"origin", "source"}, c.origin, c.source);
  } else if (kl.key == "max_relative_residual") {
    if (c.max_relative_residual) throw ConfigError(fmt::format("{}: given twice", at.str()));
    const double r = detail::parse_double(kl.value, at);
    if (!std::isfinite(r) || r < 0)
      throw ConfigError(fmt::format("{}: '{}' is not valid; a finite number >= 0 expected",
                                    at.str(), kl.value));
    c.max_relative_residual = r;
    no_attrs(kl, at);
  } else if (kl.key == "sample_s") {
    c.samples.push_back(read_sample(kl, at));
  } else {
    throw ConfigError(fmt::format("{}: unknown key; expected scope, workers, gpus_per_node, "
                                  "alpha_s, busbw_Bps, max_relative_residual or sample_s",
                                  at.str()));
  }
}

void CollectiveSection::close(const ProfileCollective& c,
                              std::span<const ProfileCollective> earlier, std::string_view source,
                              int next_line) const {
  const auto name = to_string(c.fit.collective);
  const std::pair<bool, std::string_view> required[] = {{scope_, "scope"}, {workers_, "workers"},
      {gpus_, "gpus_per_node"}, {alpha_, "alpha_s"}, {busbw_, "busbw_Bps"}};
  for (const auto& [seen, field] : required)
    if (!seen)
      throw ConfigError(fmt::format("{}:{}: {}: collective '{}' (line {}) is missing it; scope, "
                                    "workers, gpus_per_node, alpha_s and busbw_Bps expected",
                                    source, next_line, field, name, c.line));
  const auto scope = to_string(c.fit.scope);
  const bool one_node = c.fit.workers <= c.fit.gpus_per_node;
  if (one_node != (c.fit.scope == CollectiveScope::intra_node))
    throw ConfigError(fmt::format(
        "{}:{}: workers: {} {} at N = {} with G = {} per node; {} expected", source, c.line,
        scope, name, c.fit.workers, c.fit.gpus_per_node,
        one_node ? "N > G (ranks on more than one node)" : "N <= G (ranks on one node)"));
  for (const auto& e : earlier)
    if (e.fit.collective == c.fit.collective && e.fit.scope == c.fit.scope)
      throw ConfigError(fmt::format("{}:{}: [collective {}]: duplicate {} section; first at line "
                                    "{}", source, c.line, name, scope, e.line));
}

void write_collective(fmt::memory_buffer& buf, const ProfileCollective& c) {
  auto it = fmt::appender(buf);
  const auto& f = c.fit;
  std::string attrs = fmt::format(" origin={}", to_string(c.origin));
  if (!c.source.empty()) attrs += fmt::format(" source=\"{}\"", c.source);
  fmt::format_to(it, "\n[collective {}]\nscope {}\nworkers {}\ngpus_per_node {}\n",
                 to_string(f.collective), to_string(f.scope), f.workers, f.gpus_per_node);
  fmt::format_to(it, "alpha_s {}{}\nbusbw_Bps {}{}\n", f.alpha.v, attrs, f.bus_bandwidth.v, attrs);
  if (c.max_relative_residual)
    fmt::format_to(it, "max_relative_residual {}\n", *c.max_relative_residual);
  for (const auto& s : c.samples) {
    fmt::format_to(it, "sample_s {} bytes={}", s.seconds.v, s.size.v);
    if (s.residual) fmt::format_to(it, " residual={}", *s.residual);
    fmt::format_to(it, "\n");
  }
}

}  // namespace dlscale::profile_detail
