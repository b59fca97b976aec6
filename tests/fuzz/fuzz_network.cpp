// libFuzzer target: the network description parser (data/networks/README.md).
// Input: the text of a .net file. Bad input must end in dlscale::ConfigError; anything else
// (a crash, a sanitizer report, another exception, a timeout or > 2 GB) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dlscale/error.hpp"
#include "dlscale/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const dlscale::Network net = dlscale::parse_network(text, "fuzz.net");
    // The totals that t_comm and calibration read: overflows show up here under UBSan.
    // The sum is unsigned (wraps) so that only the library's own arithmetic is checked.
    std::uint64_t sum = static_cast<std::uint64_t>(net.parameters()) +
                        static_cast<std::uint64_t>(net.forward_macs());
    for (const auto p : {dlscale::Precision::fp32, dlscale::Precision::fp16}) {
      sum += static_cast<std::uint64_t>(net.weight_bytes(p).v);
      for (const auto b : net.tensor_bytes(p)) sum += b;
    }
    for (const auto& layer : net.layers()) sum += static_cast<std::uint64_t>(layer.out.elements());
    volatile std::uint64_t sink = sum;
    (void)sink;
  } catch (const dlscale::ConfigError&) {
    // Rejected with a message: the expected outcome for bad input.
  }
  return 0;
}
