// Regression tests of the reliability audit for network descriptions: expansion that would
// need gigabytes (defect 3) and counts that overflow 64 bits (defect 6). Each case failed on
// main at 8aebcb8 (the bombs ran out of memory, the overflows were signed-overflow UB that
// printed wrapped totals) and must now be one ConfigError naming file, line and layer.
#include <doctest/doctest.h>

#include <string>

#include <fmt/format.h>

#include "dlscale/error.hpp"
#include "dlscale/network.hpp"

using namespace dlscale;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_network(text, "t.net");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

// `levels` blocks, each instantiating the one below `fan` times; the innermost has `leaves`
// relu layers called `leaf_name` + index.
std::string nested(int levels, int fan, int leaves, const std::string& leaf_name) {
  std::string t = "name Bomb\nblock b0(x)\n";
  for (int i = 0; i < leaves; ++i) t += fmt::format("relu {}{}\n", leaf_name, i);
  t += "end\n";
  for (int l = 1; l < levels; ++l) {
    t += fmt::format("block b{}(x)\n", l);
    for (int i = 0; i < fan; ++i) t += fmt::format("b{} i{} 1\n", l - 1, i);
    t += "end\n";
  }
  return t + fmt::format("input data 3 8 8\nb{} top 1\n", levels - 1);
}

}  // namespace

TEST_CASE("a block argument repeated at every level cannot grow a word past a line") {
  // Each level doubles the argument: after 13 levels one word would be 2^13 x 'abc' = 24 KiB,
  // after 40 it would be terabytes. The first word past 4096 bytes stops it (level 11).
  std::string t = "name Bomb\nblock a0(s)\nrelu r_$s\nend\n";
  for (int l = 1; l <= 40; ++l)
    t += fmt::format("block a{}(s)\na{} x $s$s\nend\n", l, l - 1);
  t += "input data 3 8 8\na40 top abc\n";
  const auto e = error_of(t);
  CHECK(e.find("grows past 4096 bytes after substituting '$' arguments; shorter arguments "
               "expected") != std::string::npos);
  CHECK(e.starts_with("t.net:"));
}

TEST_CASE("instance prefixes cannot make a layer name longer than a line") {
  // 16 levels of 1000-byte instance names: a leaf's full name would be 16,000 bytes.
  std::string t = "name Long\nblock b0(x)\nrelu r\nend\n";
  const std::string long_name(1000, 'n');
  for (int l = 1; l < 16; ++l)
    t += fmt::format("block b{}(x)\nb{} {} 1\nend\n", l, l - 1, long_name);
  t += "input data 3 8 8\nb15 " + long_name + " 1\n";
  CHECK(error_of(t).find("the full name (block instance prefixes included) is longer than 4096 "
                         "bytes") != std::string::npos);
}

TEST_CASE("the whole expansion is bounded in bytes, below the layer count limit") {
  // 10 x 10 x 10 instances of 10 leaves with 3000-byte names: 10,000 layers (under the
  // 100,000-layer cap) but about 10,000 x 3 x 3 KB = 90 MB of names, past the 32 MiB budget.
  const auto e = error_of(nested(4, 10, 10, std::string(3000, 'q')));
  CHECK(e.find("the expanded description exceeds 32 MiB of names and arguments; fewer block "
               "instances or shorter names expected") != std::string::npos);
  // The same shape with short names is an ordinary 10,000-layer network.
  CHECK(error_of(nested(4, 10, 10, "r")) == "no error");
}

TEST_CASE("an input whose c*h*w does not fit in 64 bits") {
  CHECK(error_of("name Ovf5\ninput data 16777216 1048576 1048576\nrelu r\n") ==
        "t.net:2: layer 'data': elements per sample: count does not fit in 64 bits; smaller "
        "sizes expected");
}

TEST_CASE("parameter totals that overflow") {
  // Each fc has 2^44 inputs x 2^18 outputs = 2^62 weights: one fits in int64, its bytes
  // (x 4) do not, so the first fc already fails; the second would overflow the sum.
  CHECK(error_of("name Ovf4\ninput data 16777216 1048576 1\nfc a 262144\nfc b 262144 from=data\n") ==
        "t.net:3: layer 'a': bytes of the network's weights: count does not fit in 64 bits; "
        "smaller sizes expected");
  // 2^60 weights per fc (2^44 x 2^16): one fits with its bytes (2^62); two are 2^61 weights,
  // 2^63 bytes, one past int64, so the second layer fails.
  CHECK(error_of("name Sum\ninput data 16777216 1048576 1\nfc a 65536\nfc b 65536 from=data\n") ==
        "t.net:4: layer 'b': bytes of the network's weights: count does not fit in 64 bits; "
        "smaller sizes expected");
}

TEST_CASE("concatenated channels whose product overflows") {
  // 2^24 x 2^20 x 2^19 = 2^63 elements per branch, 2^23 channels: 2^22 x 2^20 x 2^19 = 2^61
  // fits; the concat of four has 2^24 channels: 2^24 x 2^20 x 2^19 = 2^63, one past int64.
  CHECK(error_of("name Cat\ninput data 4194304 1048576 524288\nrelu a\nrelu b from=data\n"
                 "relu c from=data\nrelu d from=data\nconcat j from=a,b,c,d\n") ==
        "t.net:7: layer 'j': output elements per sample: count does not fit in 64 bits; "
        "smaller sizes expected");
}
