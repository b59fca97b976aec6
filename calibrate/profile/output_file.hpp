#pragma once
/// dlscale-calibrate's --out: checked before anything is measured, written at the end without
/// ever leaving a partial profile, and without replacing anything that is not a regular file.
///
/// The profile goes to a temporary `.NAME.XXXXXXXX.tmp` (NAME: the file name of --out, X: 8
/// lower-case hex digits) in the same folder, is fsync'ed, renamed over --out, and the folder
/// is fsync'ed, so that a crash or power loss leaves the old profile or the new one. The
/// temporary file is flock'ed while its writer lives; a run killed between writing it and the
/// rename leaves it behind, and the next run to the same --out removes it (only names of
/// exactly that form, only regular files, only when no live process holds the lock).
#include <filesystem>
#include <string>
#include <vector>

#include "dlscale/profile.hpp"

namespace dlscale::calib {

/// Throws ConfigError (naming --out) when `out` exists and is not a regular file (a symbolic
/// link is refused, not followed), or when its folder does not exist or is not writable.
void check_output_path(const std::filesystem::path& out);

/// Removes temporary files of the form above that dead runs left next to `out`; returns their
/// names. Errors are ignored: a file that cannot be removed is only clutter.
std::vector<std::string> remove_stale_temporaries(const std::filesystem::path& out);

/// Writes `p` to `out` as described above. Throws ConfigError (and removes its temporary file)
/// when it cannot, or when `out` is no longer a regular file or a new path.
void write_profile(const Profile& p, const std::filesystem::path& out);

}  // namespace dlscale::calib
