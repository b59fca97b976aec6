// The ONNX operator table: layer classes, multiply-adds per operator (each expected value
// derived in its comment), per-sample shapes and overflow. Built with or without libonnx.
#include <doctest/doctest.h>

#include <string>

#include "dlscale/error.hpp"
#include "network/onnx/ops.hpp"

using namespace dlscale;
using namespace dlscale::onnx_import;

namespace {
std::string error_of(auto&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("Conv: output elements x (C_in / groups) x kernel") {
  // ResNet's first conv: x [1,3,224,224], W [64,3,7,7], y [1,64,112,112]:
  // 64*112*112 = 802,816 outputs, each a dot product of 3*7*7 = 147: 118,013,952.
  CHECK(node_macs("Conv", {{1, 3, 224, 224}, {64, 3, 7, 7}}, {1, 64, 112, 112}, false) == 118013952);
  // Depthwise 3x3 over 32 channels (group 32): W [32,1,3,3]; y [1,32,10,10]:
  // 3200 outputs x 1*3*3 = 28,800 (W's dim 1 is already C_in / groups).
  CHECK(node_macs("Conv", {{1, 32, 10, 10}, {32, 1, 3, 3}, {32}}, {1, 32, 10, 10}, false) == 28800);
}

TEST_CASE("ConvTranspose: input elements x (C_out / groups) x kernel") {
  // x [1,8,4,4], W [8,2,3,3] (C_in 8, C_out/groups 2), stride 2 -> y [1,2,9,9]:
  // each of the 8*4*4 = 128 inputs is scattered over 2*3*3 = 18 outputs: 2304.
  CHECK(node_macs("ConvTranspose", {{1, 8, 4, 4}, {8, 2, 3, 3}}, {1, 2, 9, 9}, false) == 2304);
}

TEST_CASE("Gemm and MatMul: output elements x the reduced dimension") {
  // MNIST-MLP's fc1: A [1,784], B [128,784] (transB), y [1,128]: 128 x 784 = 100,352.
  CHECK(node_macs("Gemm", {{1, 784}, {128, 784}, {128}}, {1, 128}, false) == 100352);
  // transA: A [784,5] is read as [5,784]; y [5,128]: 640 x 784 = 501,760.
  CHECK(node_macs("Gemm", {{784, 5}, {784, 128}}, {5, 128}, true) == 501760);
  // Attention scores: Q [1,4,32,16] x K^T [1,4,16,32] -> [1,4,32,32]: 4096 x 16 = 65,536.
  CHECK(node_macs("MatMul", {{1, 4, 32, 16}, {1, 4, 16, 32}}, {1, 4, 32, 32}, false) == 65536);
  // A linear layer on a sequence: [32,1,64] x [64,192] -> [32,1,192]: 6144 x 64 = 393,216.
  CHECK(node_macs("MatMul", {{32, 1, 64}, {64, 192}}, {32, 1, 192}, false) == 393216);
  // A 1-D left operand [64] x [64,10] -> [10]: 10 x 64 = 640.
  CHECK(node_macs("MatMul", {{64}, {64, 10}}, {10}, false) == 640);
}

TEST_CASE("every other operator counts no multiply-adds: [rates] prices it by output elements") {
  // As in a .net file (data/networks/README.md): only conv and fc count multiply-adds; a
  // normalization, pooling, activation or element-wise layer costs its output elements at
  // its class's rate, so its multiply-adds are 0 whatever its size.
  for (const auto* op : {"BatchNormalization", "LayerNormalization", "MaxPool", "AveragePool",
                         "GlobalAveragePool", "Relu", "Gelu", "Sigmoid", "Tanh", "Softmax", "Add",
                         "Mul", "Concat", "Flatten", "Reshape", "Transpose", "Dropout", "LRN",
                         "Gather", "SomethingNew"}) {
    CAPTURE(op);
    CHECK(node_macs(op, {{1, 64, 56, 56}, {64}}, {1, 64, 56, 56}, false) == 0);
  }
}

TEST_CASE("operators map onto dlscale's layer classes") {
  using K = LayerKind;
  const std::pair<const char*, LayerKind> expected[] = {
      {"Conv", K::conv}, {"ConvTranspose", K::conv}, {"Gemm", K::fc}, {"MatMul", K::fc},
      {"BatchNormalization", K::batchnorm}, {"LayerNormalization", K::batchnorm},
      {"MaxPool", K::maxpool}, {"AveragePool", K::avgpool}, {"GlobalAveragePool", K::global_avgpool},
      {"Relu", K::relu}, {"Gelu", K::relu}, {"Sigmoid", K::relu}, {"Tanh", K::relu},
      {"Softmax", K::softmax}, {"Add", K::add}, {"Mul", K::add}, {"Concat", K::concat},
      {"Flatten", K::flatten}, {"Reshape", K::flatten}, {"Transpose", K::flatten},
      {"Dropout", K::dropout}, {"LRN", K::lrn}, {"Gather", K::flatten}};
  for (const auto& [op, kind] : expected) {
    CAPTURE(op);
    CHECK(classify(op).known);
    CHECK(classify(op).kind == kind);
  }
  CHECK_FALSE(classify("NonMaxSuppression").known);
  CHECK(classify("NonMaxSuppression").kind == K::flatten);
  CHECK_FALSE(classify("").known);
}

TEST_CASE("weights: BatchNormalization's running statistics are not trained") {
  CHECK(may_hold_weights("BatchNormalization", 1));  // scale (gamma)
  CHECK(may_hold_weights("BatchNormalization", 2));  // B (beta)
  CHECK_FALSE(may_hold_weights("BatchNormalization", 3));
  CHECK_FALSE(may_hold_weights("BatchNormalization", 4));
  CHECK(may_hold_weights("Conv", 1));
  CHECK_FALSE(may_hold_weights("Reshape", 1));  // the target shape
  CHECK_FALSE(may_hold_weights("Dropout", 1));  // the ratio
}

TEST_CASE("per-sample shapes drop the batch dimension") {
  CHECK(per_sample_shape({1, 3, 224, 224}, 1, "x") == Shape{3, 224, 224});
  CHECK(per_sample_shape({8, 3, 224, 224}, 8, "x") == Shape{3, 224, 224});
  CHECK(per_sample_shape({1, 784}, 1, "x") == Shape{784, 1, 1});
  CHECK(per_sample_shape({1, 32, 64}, 1, "x") == Shape{32, 64, 1});
  // A tensor whose first dimension is not the batch (torch's [seq, batch, d] inside
  // attention) is one sample's whole tensor at batch 1 ...
  CHECK(per_sample_shape({32, 1, 64}, 1, "x") == Shape{32, 1, 64});
  // ... and at batch 8 its elements are shared out: 32*8*64 / 8 = 2048.
  CHECK(per_sample_shape({32, 8, 64}, 8, "x") == Shape{2048, 1, 1});
  // Rank 5 folds the trailing dimensions into w: [2,3,4,5] -> 2 x 3 x 20.
  CHECK(per_sample_shape({1, 2, 3, 4, 5}, 1, "x") == Shape{2, 3, 20});
  CHECK(per_sample_shape({1}, 1, "x") == Shape{1, 1, 1});
  CHECK(error_of([] { per_sample_shape({1, 0, 5}, 1, "m.onnx: y"); }) ==
        "m.onnx: y: a dimension is 0; every dimension >= 1 expected");
}

TEST_CASE("element counts that overflow or are negative are errors, not wrapped numbers") {
  // 2^32 x 2^32 = 2^64 does not fit in a signed 64-bit count.
  CHECK(error_of([] { element_count({1LL << 32, 1LL << 32}, "w"); }) ==
        "w: count does not fit in 64 bits; smaller sizes expected");
  CHECK(error_of([] { element_count({3, -1}, "w"); }) == "w: dimension -1 is negative; sizes >= 0 expected");
  CHECK(error_of([] { node_macs("Conv", {{1, 1LL << 20, 1LL << 20}, {1LL << 20, 1LL << 20, 1LL << 20}},
                                {1, 1LL << 20, 1LL << 20}, false); }) ==
        "Conv: multiply-adds: count does not fit in 64 bits; smaller sizes expected");
  CHECK(error_of([] { node_macs("MatMul", {{}, {4, 4}}, {4}, false); }) ==
        "MatMul: input 0 has no shape; a tensor of rank >= 1 expected");
}
