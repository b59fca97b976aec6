#pragma once
// Private to src/profile: the `[collective NAME]` sections, read line by line, checked when
// they close, and written (format: data/profiles/README.md).
#include <span>
#include <string_view>

#include <fmt/format.h>

#include "detail/text.hpp"
#include "dlscale/profile.hpp"
#include "profile/attrs.hpp"

namespace dlscale::profile_detail {

/// The state of one open `[collective NAME]` section: which required keys it has seen.
class CollectiveSection {
 public:
  /// The section `[collective NAME]` at `at` (field: the header); throws ConfigError for a
  /// NAME that is not one of the five collectives.
  static ProfileCollective open(std::string_view name, const detail::Where& at);
  /// One `KEY VALUE [attrs]` line; throws ConfigError at `at` for an unknown key or attribute,
  /// a key given twice or a bad value.
  void key(ProfileCollective& c, const KeyLine& kl, const detail::Where& at);
  /// Checks the finished section `c` against the ones before it; `next_line` is the line that
  /// closed it. Throws ConfigError naming the missing field, a duplicate (collective, scope),
  /// or an N and G that contradict the scope.
  void close(const ProfileCollective& c, std::span<const ProfileCollective> earlier,
             std::string_view source, int next_line) const;

 private:
  bool scope_ = false, workers_ = false, gpus_ = false, alpha_ = false, busbw_ = false;
};

/// The section, exactly as CollectiveSection reads it back.
void write_collective(fmt::memory_buffer& buf, const ProfileCollective& c);

}  // namespace dlscale::profile_detail
