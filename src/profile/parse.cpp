// The profile parser: a line-oriented state machine over sections (format:
// data/profiles/README.md). Every rejection names file, line and field.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "detail/text.hpp"
#include "dlscale/error.hpp"
#include "dlscale/profile.hpp"
#include "network/kinds.hpp"
#include "profile/attrs.hpp"
#include "profile/cluster.hpp"
#include "profile/collective.hpp"

namespace dlscale {

namespace {

using detail::Where;
using profile_detail::KeyLine;
using profile_detail::read_attrs;


class Parser {
 public:
  explicit Parser(std::string_view source) : source_(source) { profile_.source = source; }

  void line(const detail::Line& l) {
    if (l.text.empty()) return;
    if (!saw_version_) return version(l);
    if (l.text.front() == '[') return open_section(l);
    const Where at{source_, l.number, first_word(l.text)};
    if (section_ == Section::top) top_key(l, at);
    else if (section_ == Section::machine) machine_key(l, at);
    else if (section_ == Section::cluster) cluster_key(l, at);
    else if (section_ == Section::rates) rates_key(split(l, at), at);
    else if (section_ == Section::network && at.field == "param") param(l, at);
    else if (section_ == Section::network) network_key(split(l, at), at);
    else if (section_ == Section::collective)
      collective_.key(profile_.collectives.back(), split(l, at), at);
    else link_key(split(l, at), at);
  }

  Profile finish(int last_line) {
    if (!saw_version_)
      throw ConfigError(fmt::format("{}:{}: format_version: file is empty; 'format_version 1' "
                                    "expected as the first line", source_, last_line));
    close_section(last_line);
    if (profile_.name.empty())
      throw ConfigError(fmt::format("{}: name: missing; a 'name NAME' line expected", source_));
    if (profile_.entries.empty())
      throw ConfigError(fmt::format("{}:{}: [network]: no network section; at least one "
                                    "'[network NAME]' expected", source_, last_line));
    profile_.provenance = top_source_;
    return std::move(profile_);
  }

 private:
  enum class Section { top, machine, rates, network, link, cluster, collective };

  static std::string_view first_word(std::string_view text) {
    return text.substr(0, text.find_first_of(" \t"));
  }
  KeyLine split(const detail::Line& l, const Where& at) const {
    return profile_detail::split_key_line(l.text, at);
  }

  void version(const detail::Line& l) {
    const auto words = detail::split_words(l.text);
    if (words[0] != "format_version" || words.size() != 2)
      throw ConfigError(fmt::format("{}:{}: format_version: expected 'format_version 1' as the "
                                    "first line, got '{}'", source_, l.number, l.text));
    detail::parse_int(words[1], Where{source_, l.number, "format_version"}, 1, 1);
    saw_version_ = true;
  }

  void top_key(const detail::Line& l, const Where& at) {
    const auto rest = detail::trim(l.text.substr(at.field.size()));
    std::string* target = at.field == "name"       ? &profile_.name
                          : at.field == "hardware" ? &profile_.hardware
                          : at.field == "source"   ? &top_source_
                                                   : nullptr;
    if (target == nullptr)
      throw ConfigError(fmt::format("{}: unknown key; expected name, hardware, source or a "
                                    "[machine] / [rates] / [network NAME] / [link NAME] section", at.str()));
    if (rest.empty()) throw ConfigError(fmt::format("{}: missing value", at.str()));
    if (!target->empty()) throw ConfigError(fmt::format("{}: given twice", at.str()));
    *target = std::string(rest);
  }

  void open_section(const detail::Line& l) {
    close_section(l.number);
    const Where at{source_, l.number, l.text};
    if (l.text.back() != ']')
      throw ConfigError(fmt::format("{}: unterminated section header; '[network NAME]' or "
                                    "'[link NAME]' expected", at.str()));
    const auto words = detail::split_words(l.text.substr(1, l.text.size() - 2));
    if (words.size() == 1 && words[0] == "machine") {
      if (machine_line_ > 0)
        throw ConfigError(fmt::format("{}: duplicate machine; first at line {}", at.str(),
                                      machine_line_));
      machine_line_ = l.number;
      section_ = Section::machine;
      return;
    }
    if (words.size() == 1 && words[0] == "cluster") {
      if (cluster_line_ > 0)
        throw ConfigError(fmt::format("{}: duplicate cluster; first at line {}", at.str(),
                                      cluster_line_));
      cluster_line_ = l.number;
      section_ = Section::cluster;
      return;
    }
    if (words.size() == 1 && words[0] == "rates") {
      if (profile_.rates)
        throw ConfigError(fmt::format("{}: duplicate rates; first at line {}", at.str(), rates_line_));
      rates_line_ = section_line_ = l.number;
      profile_.rates.emplace();
      section_ = Section::rates;
      return;
    }
    if (words.size() == 2 && words[0] == "collective") {
      profile_.collectives.push_back(profile_detail::CollectiveSection::open(words[1], at));
      collective_ = {};
      section_ = Section::collective;
      return;
    }
    if (words.size() != 2 || (words[0] != "network" && words[0] != "link"))
      throw ConfigError(fmt::format("{}: unknown section; '[machine]', '[cluster]', '[rates]', "
                                    "'[network NAME]', '[link NAME]' or '[collective NAME]' "
                                    "expected", at.str()));
    auto& seen = words[0] == "network" ? network_lines_ : link_lines_;
    if (const auto it = seen.find(detail::to_lower(words[1])); it != seen.end())
      throw ConfigError(fmt::format("{}: duplicate {}; first at line {}", at.str(), words[0],
                                    it->second));
    seen.emplace(detail::to_lower(words[1]), l.number);
    section_line_ = l.number;
    if (words[0] == "network") {
      section_ = Section::network;
      auto& e = profile_.entries.emplace_back();
      e.network = std::string(words[1]);
      e.line = l.number;
    } else {
      section_ = Section::link;
      profile_.links.emplace_back().name = std::string(words[1]);
      link_alpha_ = link_beta_ = false;
    }
  }

  void close_section(int next_line) {
    if (section_ == Section::collective) {
      const std::span<const ProfileCollective> all = profile_.collectives;
      collective_.close(all.back(), all.first(all.size() - 1), source_, next_line);
    }
    if (section_ == Section::rates && (profile_.rates->batch == 0 || profile_.rates->classes.empty()))
      throw ConfigError(fmt::format("{}:{}: {}: [rates] (line {}) is missing it; batch_size and "
                                    "at least one layer class expected", source_, next_line,
                                    profile_.rates->batch == 0 ? "batch_size" : "class",
                                    rates_line_));
    if (section_ == Section::network && profile_.entries.back().t_grad.empty())
      throw ConfigError(fmt::format("{}:{}: t_grad_s: network '{}' (line {}) has no t_grad_s; "
                                    "at least one expected", source_, next_line,
                                    profile_.entries.back().network, section_line_));
    if (section_ == Section::link && !(link_alpha_ && link_beta_))
      throw ConfigError(fmt::format("{}:{}: {}: link '{}' (line {}) is missing it; alpha_s and "
                                    "beta_Bps expected", source_, next_line,
                                    link_alpha_ ? "beta_Bps" : "alpha_s",
                                    profile_.links.back().name, section_line_));
  }

  void network_key(const KeyLine& kl, const Where& at) {
    auto& e = profile_.entries.back();
    if (kl.key == "t_grad_s") {
      GradSample g;
      g.t_grad = Seconds{detail::parse_bounded(kl.value, at, detail::seconds_bounds, "s")};
      read_attrs(kl, at, {"batch", "origin", "source"}, g.origin, g.source, &g.batch);
      for (const auto& other : e.t_grad)
        if (other.batch == g.batch)
          throw ConfigError(fmt::format("{}: duplicate t_grad_s for batch {}", at.str(),
                                        g.batch ? std::to_string(*g.batch) : "(none)"));
      e.t_grad.push_back(std::move(g));
    } else if (kl.key == "grad_sample_s") {
      GradSample g;
      g.t_grad = Seconds{detail::parse_bounded(kl.value, at, detail::seconds_bounds, "s")};
      read_attrs(kl, at, {"batch"}, g.origin, g.source, &g.batch);
      e.grad_samples.push_back(std::move(g));
    } else if (kl.key == "layer_s") {
      layer_time(e, kl, at);
    } else if (kl.key == "t_comm_s") {
      if (e.t_comm) throw ConfigError(fmt::format("{}: given twice", at.str()));
      e.t_comm = Seconds{detail::parse_bounded(kl.value, at, detail::seconds_bounds, "s")};
      read_attrs(kl, at, {"origin", "source"}, e.t_comm_origin, e.t_comm_source);
    } else {
      throw ConfigError(fmt::format("{}: unknown key; expected t_grad_s, grad_sample_s, "
                                    "layer_s, t_comm_s or param", at.str()));
    }
  }

  // `layer_s NAME forward=SECONDS backward=SECONDS [batch=N]`: one layer's medians.
  void layer_time(ProfileEntry& e, const KeyLine& kl, const Where& at) {
    LayerTime t{std::string(kl.value), {}, {}};
    std::optional<Seconds> forward, backward;
    std::optional<std::int64_t> batch;
    for (const auto& [name, value] : kl.attrs) {
      const Where field{at.source, at.line, name};
      if (name == "forward" || name == "backward") {
        auto& slot = name == "forward" ? forward : backward;
        if (slot) throw ConfigError(fmt::format("{}: given twice", field.str()));
        // A layer may take no measurable time (a flatten): 0 is allowed here.
        slot = Seconds{detail::parse_bounded(value, field, detail::latency_bounds, "s")};
      } else if (name == "batch") {
        batch = detail::parse_int(value, field, 1, 1 << 24);
      } else {
        throw ConfigError(fmt::format("{}: unknown attribute '{}'; forward, backward or batch "
                                      "expected", at.str(), name));
      }
    }
    if (!forward || !backward)
      throw ConfigError(fmt::format("{}: {}= missing; forward=SECONDS and backward=SECONDS "
                                    "expected", at.str(), forward ? "backward" : "forward"));
    if (!e.layer_times.empty() && batch != e.layer_batch)
      throw ConfigError(fmt::format("{}: batch {} differs from the first layer_s line's {}; one "
                                    "batch size per network expected", at.str(),
                                    batch ? std::to_string(*batch) : "(none)",
                                    e.layer_batch ? std::to_string(*e.layer_batch) : "(none)"));
    for (const auto& other : e.layer_times)
      if (other.layer == t.layer)
        throw ConfigError(fmt::format("{}: layer '{}' given twice", at.str(), t.layer));
    t.forward = *forward;
    t.backward = *backward;
    e.layer_batch = batch;
    e.layer_times.push_back(std::move(t));
  }

  // [rates]: `batch_size N [origin= source=]`, then `CLASS RATE` per layer class.
  void rates_key(const KeyLine& kl, const Where& at) {
    auto& r = *profile_.rates;
    if (kl.key == "batch_size") {
      if (r.batch != 0) throw ConfigError(fmt::format("{}: given twice", at.str()));
      r.batch = detail::parse_int(kl.value, at, 1, 1 << 24);
      read_attrs(kl, at, {"origin", "source"}, r.origin, r.source);
      return;
    }
    const auto kind = network_detail::parse_kind(kl.key);
    if (!kind || *kind == LayerKind::input)
      throw ConfigError(fmt::format("{}: unknown key; batch_size or a layer class ({}) expected",
                                    at.str(), network_detail::kind_list()));
    for (const auto& c : r.classes)
      if (c.kind == *kind) throw ConfigError(fmt::format("{}: given twice", at.str()));
    if (!kl.attrs.empty())
      throw ConfigError(fmt::format("{}: unknown attribute '{}'; none expected", at.str(),
                                    kl.attrs.front().first));
    r.classes.push_back({*kind, detail::parse_positive(kl.value, at, "work/s")});
  }

  // `KEY VALUE` in [cluster], values with units as on the command line.
  void cluster_key(const detail::Line& l, const Where& at) {
    const auto value = detail::trim(l.text.substr(at.field.size()));
    if (value.empty()) throw ConfigError(fmt::format("{}: missing value", at.str()));
    profile_detail::read_cluster_key(profile_.cluster, at.field, value, at);
  }

  // `KEY free text` in [machine]: what the calibration ran on.
  void machine_key(const detail::Line& l, const Where& at) {
    const auto& keys = machine_keys();
    if (std::find(keys.begin(), keys.end(), at.field) == keys.end())
      throw ConfigError(fmt::format("{}: unknown key; expected one of {}", at.str(),
                                    fmt::join(keys, ", ")));
    for (const auto& [key, value] : profile_.machine)
      if (key == at.field) throw ConfigError(fmt::format("{}: given twice", at.str()));
    const auto rest = detail::trim(l.text.substr(at.field.size()));
    if (rest.empty()) throw ConfigError(fmt::format("{}: missing value", at.str()));
    profile_.machine.emplace_back(std::string(at.field), std::string(rest));
  }

  // `param NAME INTEGER`: a network override such as the number of classes.
  void param(const detail::Line& l, const Where& at) {
    const auto words = detail::split_words(l.text);
    if (words.size() != 3)
      throw ConfigError(fmt::format("{}: expected 'param NAME INTEGER', got '{}'", at.str(),
                                    l.text));
    auto& params = profile_.entries.back().params;
    const std::string name(words[1]);
    if (params.contains(name))
      throw ConfigError(fmt::format("{} {}: given twice", at.str(), name));
    params[name] = detail::parse_int(words[2], Where{source_, l.number, words[1]}, 1,
                                     std::int64_t{1} << 40);
  }

  void link_key(const KeyLine& kl, const Where& at) {
    auto& link = profile_.links.back();
    if (kl.key == "alpha_s") {
      if (link_alpha_) throw ConfigError(fmt::format("{}: given twice", at.str()));
      link.model.alpha = Seconds{detail::parse_bounded(kl.value, at, detail::latency_bounds, "s")};
      link_alpha_ = true;
    } else if (kl.key == "beta_Bps") {
      if (link_beta_) throw ConfigError(fmt::format("{}: given twice", at.str()));
      link.model.beta = BytesPerSec{detail::parse_bounded(kl.value, at, detail::rate_bounds, "B/s")};
      link_beta_ = true;
    } else if (kl.key == "transfer_s") {
      TransferSample t;
      t.seconds = Seconds{detail::parse_bounded(kl.value, at, detail::seconds_bounds, "s")};
      bool has_bytes = false;
      for (const auto& [name, value] : kl.attrs) {
        if (name != "bytes")
          throw ConfigError(fmt::format("{}: unknown attribute '{}'; bytes= expected", at.str(), name));
        t.bytes = Bytes{static_cast<std::uint64_t>(
            detail::parse_int(value, Where{at.source, at.line, "bytes"}, 0, std::int64_t{1} << 50))};
        has_bytes = true;
      }
      if (!has_bytes)
        throw ConfigError(fmt::format("{}: bytes= missing; 'transfer_s SECONDS bytes=N' expected", at.str()));
      link.samples.push_back(t);
      return;
    } else if (kl.key == "max_relative_residual") {
      if (link.max_relative_residual) throw ConfigError(fmt::format("{}: given twice", at.str()));
      const double r = detail::parse_double(kl.value, at);
      if (!std::isfinite(r) || r < 0)
        throw ConfigError(fmt::format("{}: '{}' is not valid; a finite number >= 0 expected",
                                      at.str(), kl.value));
      link.max_relative_residual = r;
      if (!kl.attrs.empty())
        throw ConfigError(fmt::format("{}: unknown attribute '{}'; none expected", at.str(),
                                      kl.attrs.front().first));
      return;
    } else {
      throw ConfigError(fmt::format("{}: unknown key; expected alpha_s, beta_Bps, transfer_s or "
                                    "max_relative_residual", at.str()));
    }
    read_attrs(kl, at, {"origin", "source"}, link.origin, link.source);
  }

  std::string_view source_;
  Profile profile_;
  std::string top_source_;
  Section section_ = Section::top;
  bool saw_version_ = false, link_alpha_ = false, link_beta_ = false;
  int section_line_ = 0, machine_line_ = 0, rates_line_ = 0, cluster_line_ = 0;
  std::map<std::string, int> network_lines_, link_lines_;
  profile_detail::CollectiveSection collective_;
};

}  // namespace

const std::vector<std::string_view>& machine_keys() {
  static const std::vector<std::string_view> keys{
      "hosts", "cpu", "cores", "threads", "memory_bytes", "os", "compiler", "eigen",
      "gpu", "gpu_driver", "cuda", "cudnn", "nccl", "mpi", "command", "date"};
  return keys;
}

Profile parse_profile(std::string_view text, std::string_view source) {
  const auto lines = detail::split_lines(text, source);
  Parser parser(source);
  for (const auto& l : lines) parser.line(l);
  return parser.finish(lines.empty() ? 1 : lines.back().number);
}

}  // namespace dlscale
