// Saving a profile (dlscale-calibrate's --out): type checks, the fsync'ed write-and-rename, and
// the removal of dead runs' temporaries.
// POSIX calls rather than std::filesystem where it matters: lstat (a symbolic link must be
// seen, not followed), O_EXCL|O_NOFOLLOW, flock and fsync have no portable equivalent.
#include "dlscale/profile.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <system_error>

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale {
namespace {

namespace fs = std::filesystem;

fs::path folder_of(const fs::path& out) {
  return out.has_parent_path() ? out.parent_path() : fs::path(".");
}

std::string_view kind_of(mode_t m) {
  if (S_ISLNK(m)) return "a symbolic link";
  if (S_ISDIR(m)) return "a directory";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

/// ".NAME." and ".tmp" around 8 lower-case hex digits: the only names we create, and remove.
bool is_our_temporary(const std::string& name, const std::string& target) {
  const std::string head = "." + target + ".";
  if (name.size() != head.size() + 8 + 4 || name.compare(0, head.size(), head) != 0 ||
      name.compare(name.size() - 4, 4, ".tmp") != 0)
    return false;
  for (std::size_t i = head.size(); i < head.size() + 8; ++i)
    if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f'))) return false;
  return true;
}

bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/// True when `path` still names the file open as `fd`.
bool still_named(int fd, const fs::path& path) {
  struct stat open_st{}, named{};
  return ::fstat(fd, &open_st) == 0 && ::lstat(path.c_str(), &named) == 0 && same_file(open_st, named);
}

/// ConfigError "--out PATH: what: strerror(err)"; callers take errno before formatting `what`.
[[noreturn]] void fail(const fs::path& out, int err, const std::string& what) {
  throw ConfigError(fmt::format("--out {}: {}: {}", out.string(), what, std::strerror(err)));
}

/// Our temporary file, created and locked; retried when a concurrent cleanup removed the name
/// between the open and the lock (it takes the lock first, so we wait, then see the name gone).
std::pair<int, fs::path> create_temporary(const fs::path& out) {
  std::random_device seed;  // a unique name only; nothing depends on its value
  for (int attempt = 0; attempt < 100; ++attempt) {
    const auto tmp = folder_of(out) / fmt::format(".{}.{:08x}.tmp", out.filename().string(),
                                                  static_cast<std::uint32_t>(seed()));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST) continue;
    if (const int err = errno; fd < 0) fail(out, err, fmt::format("cannot create {}", tmp.string()));
    if (::flock(fd, LOCK_EX) == 0 && still_named(fd, tmp)) return {fd, tmp};
    ::close(fd);
  }
  fail(out, EEXIST, "cannot create a temporary file next to it");
}

void write_text(int fd, const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::system_error(n < 0 ? errno : EIO, std::generic_category());
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

void check_profile_output(const fs::path& out) {
  struct stat st{};
  if (::lstat(out.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode))
      throw ConfigError(fmt::format("--out {}: is {}; a regular file or a new path expected{}",
                                    out.string(), kind_of(st.st_mode),
                                    S_ISLNK(st.st_mode) ? " (links are not followed: give the "
                                                          "target's path)" : ""));
  } else if (const int err = errno; err != ENOENT) {
    fail(out, err, "cannot check it");
  }
  const auto folder = folder_of(out);
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    const int err = errno;
    fail(out, err, fmt::format("cannot write in folder {}", folder.string()));
  }
}

std::vector<std::string> remove_stale_profile_temporaries(const fs::path& out) {
  std::vector<std::string> removed;
  std::error_code ec;
  const auto target = out.filename().string();
  for (fs::directory_iterator it(folder_of(out), ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (!is_our_temporary(name, target)) continue;
    // O_NONBLOCK: a FIFO of that name must not hang us; O_NOFOLLOW: nor a link lead elsewhere.
    const int fd = ::open(it->path().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st{};
    // The lock is free only when its writer is dead; the name must still be this file.
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0 &&
        still_named(fd, it->path()) && ::unlink(it->path().c_str()) == 0)
      removed.push_back(name);
    ::close(fd);
  }
  return removed;
}

void save_profile(const Profile& p, const fs::path& out) {
  const std::string text = format_profile(p);
  parse_profile(text, out.string());  // never write what would not load back
  auto [fd, tmp] = create_temporary(out);
  try {
    try {
      write_text(fd, text);
      if (::fsync(fd) != 0) throw std::system_error(errno, std::generic_category());
    } catch (const std::system_error& e) {
      fail(out, e.code().value(), fmt::format("cannot write the profile (via {})", tmp.string()));
    }
    check_profile_output(out);  // replaced by a link or a device while we measured: still refused
    if (::rename(tmp.c_str(), out.c_str()) != 0) {
      const int err = errno;
      fail(out, err, "cannot replace the profile");
    }
  } catch (...) {
    ::unlink(tmp.c_str());
    ::close(fd);
    throw;
  }
  ::close(fd);
  // The rename is durable only once the folder is on disk; a failure here is not fatal (the
  // profile is in place), so it is not reported.
  if (const int dir = ::open(folder_of(out).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace dlscale
