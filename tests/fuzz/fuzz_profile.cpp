// libFuzzer target: the profile parser (data/profiles/README.md) and its writer.
// Input: the text of a .profile file. Bad input must end in dlscale::ConfigError. A profile
// that parses is written back with format_profile, which promises text that parse_profile
// reads back to the same profile: a written profile that does not read back, or reads back
// differently, aborts (a finding), as does a crash, a sanitizer report or another exception.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dlscale/error.hpp"
#include "dlscale/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dlscale::Profile profile;
  try {
    profile = dlscale::parse_profile(text, "fuzz.profile");
  } catch (const dlscale::ConfigError&) {
    return 0;  // rejected with a message: the expected outcome for bad input
  }
  std::string written;
  try {
    written = dlscale::format_profile(profile);
  } catch (const dlscale::ConfigError&) {
    return 0;  // documented: text it cannot write (a line break, '#', '"' in an attribute)
  }
  try {
    const std::string again = dlscale::format_profile(dlscale::parse_profile(written, "written"));
    if (again != written) {
      std::fprintf(stderr, "fuzz_profile: format_profile output reads back differently\n"
                   "--- written\n%s--- read back and written again\n%s", written.c_str(),
                   again.c_str());
      std::abort();
    }
  } catch (const dlscale::ConfigError& e) {
    std::fprintf(stderr, "fuzz_profile: format_profile output does not read back: %s\n%s",
                 e.what(), written.c_str());
    std::abort();
  }
  return 0;
}
