// The probe's memory estimate: equal to what the executor really allocates (a network without
// convolutions, whose buffers are all visible), overflow-checked for shapes from files, and
// saturated rather than wrapped for huge batches.
#include <doctest/doctest.h>

#include <cstdint>

#include "calibrate/cpu/executor.hpp"
#include "calibrate/cpu/memory.hpp"
#include "dlscale/error.hpp"

using namespace dlscale;
using namespace dlscale::calib;

namespace {

// Every per-layer buffer kind but the convolution scratch: y/dy, weights, batchnorm state,
// LRN scale, dropout mask, maxpool argmax, softmax labels, and a fan-out (scratch for the sum).
constexpr const char* chain = R"(name chain
input   data 3 8 8
batchnorm bn
lrn     norm
maxpool mp k=2 s=2
relu    r
fc      a 5 from=r
fc      b 5 from=r
add     sum from=a,b
dropout drop
fc      out 4
softmax prob
)";

template <class T>
std::uint64_t bytes_of(const std::vector<T>& v) { return v.size() * sizeof(T); }

}  // namespace

TEST_CASE("the estimate is what the executor allocates, fan-out scratch included") {
  const auto net = parse_network(chain, "chain");
  const int batch = 3;
  Executor<double> ex(net, batch);
  ex.forward_all();  // LRN scale, dropout mask and argmax are sized on the first pass
  ex.backward_all();
  std::uint64_t seen = 0, largest_fan_out = 0;
  for (std::size_t i = 0; i < ex.size(); ++i) {
    auto& s = ex.state(i);
    seen += bytes_of(s.y) + bytes_of(s.dy) + bytes_of(s.w) + bytes_of(s.b) + bytes_of(s.dw) +
            bytes_of(s.db) + bytes_of(s.arg) + bytes_of(s.saved) + bytes_of(s.bn.mean) +
            bytes_of(s.bn.inv_std);
    if (s.consumers > 1) largest_fan_out = std::max(largest_fan_out, bytes_of(s.dy));
  }
  CHECK(working_set_bytes(net, batch, sizeof(double)) == seen + largest_fan_out);
}

TEST_CASE("a shape whose element count overflows 64 bits never reaches the probe") {
  // c <= 2^24 and h, w <= 2^20 are each in range; c*h*w = 2^64 is not. The network parser
  // refuses it (with file, line and layer), so working_set_bytes and the Executor never see
  // it; their own checks below stay as a second line of defence (Dims products).
  CHECK_THROWS_WITH_AS(parse_network("name Ovf5\ninput data 16777216 1048576 1048576\nrelu r\n",
                                     "ovf5.net"),
                       "ovf5.net:2: layer 'data': elements per sample: count does not fit in 64 "
                       "bits; smaller sizes expected", ConfigError);
}

TEST_CASE("Dims products are checked") {
  CHECK(Dims{2, 3, 4, 5}.size() == 120);
  CHECK_THROWS_AS((Dims{1, std::int64_t{1} << 24, std::int64_t{1} << 20, std::int64_t{1} << 20}.sample()),
                  ConfigError);
  CHECK_THROWS_AS((Dims{std::int64_t{1} << 31, std::int64_t{1} << 24, 1 << 10, 1 << 10}.size()),
                  ConfigError);
}

TEST_CASE("a huge batch saturates the estimate and is refused with the figures") {
  const auto net = parse_network("name big\ninput data 16777216 1024 1024\nrelu r\n", "big.net");
  CHECK(working_set_bytes(net, 2147483647, 4) == UINT64_MAX);  // 2^75 bytes: saturated, not wrapped
  CHECK_THROWS_WITH_AS(check_fits_in_memory(net, 2147483647, "--batch"),
                       doctest::Contains("--batch 2147483647: big needs about more than 16 EiB "
                                         "(> 2^64-1 bytes: activations, gradients, im2col "
                                         "buffers, weights) but "),
                       ConfigError);
  const auto mlp = parse_network("name small\ninput data 1 4 4\nfc out 3\nsoftmax prob\n", "small.net");
  CHECK_NOTHROW(check_fits_in_memory(mlp, 64, "--batch"));
  CHECK(human_bytes(1536) == "1.5 KiB");
  CHECK(human_bytes(512) == "512 B");
}
