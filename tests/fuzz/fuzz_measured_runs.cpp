// libFuzzer target: the measured-runs CSV parser (docs/measured-runs.md) behind `dlscale
// validate --measured` and `dlscale report --measured`. Input: the text of the CSV. Bad input
// must end in dlscale::ConfigError naming the file, line and column; a crash, a sanitizer
// report or another exception is a finding. Rows that parse are not scored (the simulator
// would turn a large `workers` into a long run, not a finding).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dlscale/error.hpp"
#include "dlscale/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)dlscale::parse_measured_runs(text, "fuzz.csv");
  } catch (const dlscale::ConfigError&) {
    // rejected with a message: the expected outcome for bad input
  }
  return 0;
}
