// The description format: params, shapes, counts and block templates on small inline texts.
#include <doctest/doctest.h>

#include "dlscale/error.hpp"
#include "dlscale/network.hpp"
#include "find_layer.hpp"

using namespace dlscale;

namespace {
using test::layer;
}  // namespace

TEST_CASE("precision names round-trip; bf16 is stored like fp16") {
  CHECK(to_string(Precision::fp32) == "fp32");
  CHECK(to_string(Precision::fp16) == "fp16");
  CHECK(parse_precision("FP32") == Precision::fp32);
  CHECK(parse_precision("bf16") == Precision::fp16);
  CHECK_THROWS_WITH_AS(parse_precision("fp8"), "precision 'fp8': one of fp32, fp16, bf16 expected",
                       ConfigError);
  CHECK(to_string(LayerKind::global_avgpool) == "gavgpool");
  CHECK(to_string(LayerKind::batchnorm) == "batchnorm");
}

TEST_CASE("MNIST MLP 784-128-64-32-10 from the shipped file") {
  const auto n = load_network("mnist-mlp", DataSource::from_environment());
  // params: 784*128+128 = 100,480; 128*64+64 = 8,256; 64*32+32 = 2,080; 32*10+10 = 330
  //         total 100,480 + 8,256 + 2,080 + 330 = 111,146
  CHECK(n.parameters() == 111'146);
  // MACs: 784*128 + 128*64 + 64*32 + 32*10 = 100,352 + 8,192 + 2,048 + 320 = 110,912
  CHECK(n.forward_macs() == 110'912);
  CHECK(n.weight_bytes(Precision::fp32).v == 444'584u);  // 111,146 * 4
  CHECK(n.weight_bytes(Precision::fp16).v == 222'292u);  // 111,146 * 2
  REQUIRE(n.tensors().size() == 8);                      // weight + bias of 4 fc layers
  CHECK(n.tensors()[0].name == "fc1/weight");
  CHECK(n.tensors()[0].dims == std::vector<std::int64_t>{128, 784});
  CHECK(n.tensors()[7].name == "fc4/bias");
  CHECK(n.tensor_bytes(Precision::fp32)[1] == 512u);     // fc1 bias: 128 * 4
  CHECK(n.input() == Shape{1, 28, 28});
}

TEST_CASE("a conv layer by hand: shape, params and MACs") {
  const auto n = parse_network(
      "name T\ninput x 3 224 224\nconv c1 64 k=7 s=2 p=3\nmaxpool p1 k=3 s=2 ceil=1\n", "t.net");
  const auto& c = layer(n, "c1");
  // out = floor((224 + 2*3 - 7)/2) + 1 = floor(223/2) + 1 = 112
  CHECK(c.out == Shape{64, 112, 112});
  // params = 7*7*3*64 + 64 = 9,408 + 64 = 9,472
  CHECK(c.params == 9'472);
  // MACs = 112*112*64 outputs * 7*7*3 = 802,816 * 147 = 118,013,952
  CHECK(c.macs == 118'013'952);
  // ceil mode: ceil((112 - 3)/2) + 1 = ceil(54.5) + 1 = 56 (floor would give 55)
  CHECK(layer(n, "p1").out == Shape{64, 56, 56});
}

TEST_CASE("groups, bias=0, batchnorm, separate kh/kw and padding") {
  const auto n = parse_network(
      "name T\ninput x 32 17 17\nconv a 64 k=3 p=1 g=4 bias=0\nbatchnorm bn\n"
      "conv b 8 kh=1 kw=7 ph=0 pw=3\n", "t.net");
  // a: 3*3*(32/4)*64 = 4,608, no bias
  CHECK(layer(n, "a").params == 4'608);
  CHECK(layer(n, "bn").params == 128);  // gamma + beta of 64 channels
  // b: 1*7*64*8 + 8 = 3,592; height 17 - 1 + 1 = 17, width 17 + 6 - 7 + 1 = 17
  CHECK(layer(n, "b").params == 3'592);
  CHECK(layer(n, "b").out == Shape{8, 17, 17});
  CHECK(n.tensors()[1].name == "bn/gamma");
  CHECK(n.parameters() == 4'608 + 128 + 3'592);
}

TEST_CASE("params and overrides substitute into layers") {
  const char* text = "name T\nparam classes 10\nparam input 32\ninput x 3 $input $input\nfc out $classes\n";
  CHECK(parse_network(text, "t.net").parameters() == 3 * 32 * 32 * 10 + 10);
  const auto n = parse_network(text, "t.net", {{{"classes", 5}, {"input", 8}}});
  CHECK(n.parameters() == 3 * 8 * 8 * 5 + 5);  // 965
  CHECK(n.params().at("classes") == 5);
}

TEST_CASE("blocks expand with prefixed names, `in`, from= and block aliases") {
  const auto n = parse_network(R"(name T
block fire(s, e1, e3)
  conv squeeze $s k=1
  conv expand1 $e1 k=1 from=squeeze
  conv expand3 $e3 k=3 p=1 from=squeeze
  concat cat from=expand1,expand3
end
block res(c)
  conv a $c k=3 p=1
  add sum from=a,in
end
input x 8 10 10
fire f1 2 4 4
fire f2 2 4 4
res r1 8
conv last 1 k=1 from=f1
)", "t.net");
  // f1/squeeze: 8*2 + 2 = 18; expand1: 2*4 + 4 = 12; expand3: 9*2*4 + 4 = 76 -> 106 per fire
  CHECK(layer(n, "f1/squeeze").params == 18);
  CHECK(layer(n, "f1/cat").out == Shape{8, 10, 10});
  CHECK(layer(n, "f2/squeeze").inputs == std::vector<std::string>{"f1/cat"});
  CHECK(layer(n, "r1/sum").inputs == std::vector<std::string>{"r1/a", "f2/cat"});
  CHECK(layer(n, "last").inputs == std::vector<std::string>{"f1/cat"});  // block name = last layer
  // r1/a: 9*8*8 + 8 = 584; last: 8*1 + 1 = 9
  CHECK(n.parameters() == 2 * 106 + 584 + 9);
}

TEST_CASE("model order is file order when the file lists inputs first, else topological") {
  const auto n = parse_network("name T\ninput x 1 4 4\nrelu b from=a\nrelu a from=x\n", "t.net");
  REQUIRE(n.layers().size() == 3);
  CHECK(n.layers()[1].name == "a");
  CHECK(n.layers()[2].name == "b");
}
