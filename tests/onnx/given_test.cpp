// The given-counts form of a .net layer (out= macs= tensor=), which the ONNX importer writes
// for operators no native statement reproduces. Built with or without libonnx.
#include <doctest/doctest.h>

#include <string>

#include "dlscale/error.hpp"
#include "dlscale/network.hpp"

using namespace dlscale;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_network(text, "g.net");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}
const std::string head = "name G\ninput x 32 1 1\n";
}  // namespace

TEST_CASE("a given layer takes its shape, multiply-adds and tensors as written") {
  const auto net = parse_network(head +
      "flatten emb out=32x64x1 tensor=embed.weight:1000x64 from=x\n"
      "fc proj out=32x192x1 macs=393216 tensor=w:192x64 tensor=b:192\n"
      "batchnorm ln out=32x192x1 tensor=gamma:192 tensor=beta:192\n", "g.net");
  const auto& L = net.layers();
  REQUIRE(L.size() == 4);
  CHECK(L[1].kind == LayerKind::flatten);
  CHECK(L[1].out == Shape{32, 64, 1});
  CHECK(L[1].params == 64000);  // 1000 x 64
  CHECK(L[2].kind == LayerKind::fc);
  CHECK(L[2].macs == 393216);
  CHECK(L[2].params == 192 * 64 + 192);
  CHECK(L[2].in == Shape{32, 64, 1});
  CHECK(L[3].macs == 0);
  // 64000 + 12288 + 192 + 192 + 192
  CHECK(net.parameters() == 76864);
  REQUIRE(net.tensors().size() == 5);
  CHECK(net.tensors()[1].name == "w");
  CHECK(net.tensors()[1].dims == std::vector<std::int64_t>{192, 64});
}

TEST_CASE("a given layer may join inputs of any shape (broadcasting)") {
  const auto net = parse_network(head + "flatten a out=32x64x1\nadd s out=32x64x1 from=a,x\n", "g.net");
  CHECK(net.layers().back().out == Shape{32, 64, 1});
}

TEST_CASE("bad given layers name the file, line and what was expected") {
  CHECK(error_of(head + "fc f out=32x64\n") == "g.net:3: layer 'f': out=32x64: CxHxW expected (three sizes)");
  CHECK(error_of(head + "fc f out=32x0x1\n") ==
        "g.net:3: layer 'f': out: 0 is out of range; an integer in [1, 1099511627776] expected");
  CHECK(error_of(head + "fc f 10 out=1x1x1\n") ==
        "g.net:3: layer 'f': a layer with out= takes no values; '10' given (out=CxHxW macs=N tensor=NAME:AxB expected)");
  CHECK(error_of(head + "fc f out=1x1x1 k=3\n") ==
        "g.net:3: layer 'f': unknown option 'k' for a layer with out=; one of out, macs, tensor");
  CHECK(error_of(head + "fc f out=1x1x1 tensor=w\n") == "g.net:3: layer 'f': tensor=w: NAME:AxB expected");
  CHECK(error_of(head + "fc f out=1x1x1 macs=-1\n") ==
        "g.net:3: layer 'f': macs: -1 is out of range; an integer in [0, 9223372036854775807] expected");
  // 2^40 x 2^40 elements do not fit in 64 bits.
  CHECK(error_of(head + "fc f out=1x1x1 tensor=w:1099511627776x1099511627776\n") ==
        "g.net:3: layer 'f': elements of tensor 'w': count does not fit in 64 bits; smaller sizes expected");
  CHECK(error_of(head + "fc f out=1099511627776x1099511627776x1\n") ==
        "g.net:3: layer 'f': output elements per sample: count does not fit in 64 bits; smaller sizes expected");
  CHECK(error_of(head + "fc f out=1x1x1 out=1x1x1\n") == "g.net:3: layer 'f': out= given twice; one expected");
}
