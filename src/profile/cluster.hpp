#pragma once
// Private to src/profile: the `[cluster]` section's keys, read and written (format:
// data/profiles/README.md).
#include <fmt/format.h>

#include "detail/text.hpp"
#include "dlscale/profile.hpp"

namespace dlscale::profile_detail {

/// One `KEY VALUE` line of `[cluster]`; throws ConfigError at `at` for an unknown key, a value
/// given twice or a bad value.
void read_cluster_key(ClusterSpec& c, std::string_view key, std::string_view value,
                      const detail::Where& at);
/// The section, or nothing when `c` is empty; rates in B/s and times in s, exact.
void write_cluster(fmt::memory_buffer& buf, const ClusterSpec& c);

}  // namespace dlscale::profile_detail
