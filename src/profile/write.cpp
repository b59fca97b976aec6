// Writing profiles: the exact inverse of parse.cpp, and an atomic save (temporary file in the
// same folder, flushed, then renamed), so an interrupted calibration never leaves a broken
// profile where a good one was.
#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/profile.hpp"
#include "profile/cluster.hpp"
#include "profile/collective.hpp"

namespace dlscale {
namespace {

// Free text ends at the line's end and a '#' starts a comment; an attribute ends at its
// closing quote. What the parser cannot read back is refused here rather than corrupted.
void check_text(std::string_view field, std::string_view text, bool quoted) {
  for (const char c : text)
    if (c == '\n' || c == '\r' || c == '#' || (quoted && c == '"'))
      throw ConfigError(fmt::format("profile: {}: '{}' cannot be written; text without line "
                                    "breaks, '#'{} expected", field, text,
                                    quoted ? " or '\"'" : ""));
}

std::string attrs(Origin origin, const std::string& source) {
  check_text("source", source, true);
  std::string out = fmt::format(" origin={}", to_string(origin));
  if (!source.empty()) out += fmt::format(" source=\"{}\"", source);
  return out;
}

void write_entry(fmt::memory_buffer& buf, const ProfileEntry& e) {
  auto it = fmt::appender(buf);
  check_text("network", e.network, true);
  fmt::format_to(it, "\n[network {}]\n", e.network);
  for (const auto& [name, value] : e.params) fmt::format_to(it, "param {} {}\n", name, value);
  for (const auto& g : e.t_grad) {
    fmt::format_to(it, "t_grad_s {}", g.t_grad.v);  // {} prints the shortest exact form
    if (g.batch) fmt::format_to(it, " batch={}", *g.batch);
    fmt::format_to(it, "{}\n", attrs(g.origin, g.source));
  }
  if (e.t_comm)
    fmt::format_to(it, "t_comm_s {}{}\n", e.t_comm->v, attrs(e.t_comm_origin, e.t_comm_source));
  for (const auto& g : e.grad_samples) {
    fmt::format_to(it, "grad_sample_s {}", g.t_grad.v);
    if (g.batch) fmt::format_to(it, " batch={}", *g.batch);
    fmt::format_to(it, "\n");
  }
  for (const auto& l : e.layer_times) {
    check_text("layer", l.layer, true);
    // The name is the line's value word: a blank or '=' would split it into attributes.
    if (l.layer.empty() || l.layer.find_first_of(" \t=") != std::string::npos)
      throw ConfigError(fmt::format("profile: layer: '{}' cannot be written; a name without "
                                    "blanks or '=' expected", l.layer));
    fmt::format_to(it, "layer_s {} forward={} backward={}", l.layer, l.forward.v, l.backward.v);
    if (e.layer_batch) fmt::format_to(it, " batch={}", *e.layer_batch);
    fmt::format_to(it, "\n");
  }
}

void write_link(fmt::memory_buffer& buf, const ProfileLink& l) {
  auto it = fmt::appender(buf);
  check_text("link", l.name, true);
  const auto a = attrs(l.origin, l.source);
  fmt::format_to(it, "\n[link {}]\nalpha_s {}{}\nbeta_Bps {}{}\n", l.name, l.model.alpha.v, a,
                 l.model.beta.v, a);
  if (l.max_relative_residual) fmt::format_to(it, "max_relative_residual {}\n", *l.max_relative_residual);
  for (const auto& t : l.samples) fmt::format_to(it, "transfer_s {} bytes={}\n", t.seconds.v, t.bytes.v);
}

}  // namespace

std::string format_profile(const Profile& p) {
  fmt::memory_buffer buf;
  auto it = fmt::appender(buf);
  check_text("name", p.name, true);
  check_text("hardware", p.hardware, false);
  check_text("source", p.provenance, false);
  fmt::format_to(it, "format_version 1\nname {}\n", p.name);
  if (!p.hardware.empty()) fmt::format_to(it, "hardware {}\n", p.hardware);
  if (!p.provenance.empty()) fmt::format_to(it, "source {}\n", p.provenance);
  if (!p.machine.empty()) {
    fmt::format_to(it, "\n[machine]\n");
    for (const auto& [key, value] : p.machine) {
      check_text(key, value, false);
      fmt::format_to(it, "{} {}\n", key, value);
    }
  }
  profile_detail::write_cluster(buf, p.cluster);
  if (p.rates) {
    fmt::format_to(it, "\n[rates]\nbatch_size {}{}\n", p.rates->batch, attrs(p.rates->origin, p.rates->source));
    for (const auto& c : p.rates->classes) fmt::format_to(it, "{} {}\n", to_string(c.kind), c.per_second);
  }
  for (const auto& e : p.entries) write_entry(buf, e);
  for (const auto& l : p.links) write_link(buf, l);
  for (const auto& c : p.collectives) {
    check_text("source", c.source, true);
    profile_detail::write_collective(buf, c);
  }
  return fmt::to_string(buf);
}

}  // namespace dlscale
