// Importing ONNX models: the committed exports (tests/onnx/models, written by
// export_models.py with python3-torch) against torch's own parameter counts and the shipped
// .net files, and every class of bad input, each built here with the ONNX library's
// protobuf classes. Needs libonnx (the test is only built with -Donnx).
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include "dlscale/data.hpp"
#include "dlscale/error.hpp"
#include "dlscale/network.hpp"

using namespace dlscale;
namespace fs = std::filesystem;

namespace {

const fs::path models = fs::path(DLSCALE_SOURCE_ROOT) / "tests/onnx/models";

// `<model> <count>` lines of torch_params.txt: sum(p.numel()) as torch computed it at export.
std::map<std::string, std::int64_t> torch_counts() {
  std::ifstream in(models / "torch_params.txt");
  std::map<std::string, std::int64_t> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string name;
    std::int64_t n = 0;
    words >> name >> n;
    out[name] = n;
  }
  return out;
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / fmt::format("dlscale-onnx-test-{}", ::getpid());
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

std::string write_model(const fs::path& dir, const std::string& name, const onnx::ModelProto& m) {
  const auto path = (dir / name).string();
  std::ofstream out(path, std::ios::binary);
  m.SerializeToOstream(&out);
  return path;
}

std::string error_of(const std::string& path) {
  try {
    import_onnx(path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

void add_value(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>* list, const std::string& name,
               std::vector<std::int64_t> dims) {
  auto* v = list->Add();
  v->set_name(name);
  auto* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  for (auto d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
}

onnx::NodeProto* add_node(onnx::GraphProto* g, const std::string& op, std::vector<std::string> in,
                          std::vector<std::string> out, const std::string& name) {
  auto* n = g->add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (auto& i : in) n->add_input(i);
  for (auto& o : out) n->add_output(o);
  return n;
}

// x [1,4] -> Gemm(W [3,4], transB) -> Relu -> y: a valid model to break in one place.
onnx::ModelProto small_model() {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("import_test");
  auto* op = m.add_opset_import();
  op->set_version(17);
  auto* g = m.mutable_graph();
  g->set_name("small");
  add_value(g->mutable_input(), "x", {1, 4});
  auto* w = g->add_initializer();
  w->set_name("W");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(3);
  w->add_dims(4);
  for (int i = 0; i < 12; ++i) w->add_float_data(0.5f);
  auto* gemm = add_node(g, "Gemm", {"x", "W"}, {"h"}, "fc");
  auto* t = gemm->add_attribute();
  t->set_name("transB");
  t->set_type(onnx::AttributeProto::INT);
  t->set_i(1);
  add_node(g, "Relu", {"h"}, {"y"}, "relu");
  add_value(g->mutable_output(), "y", {1, 3});
  return m;
}

// a + b without GCC 12's false -Wrestrict on string concatenation in long test functions.
std::string cat(const std::string& a, std::string_view b) { return fmt::format("{}{}", a, b); }

}  // namespace

TEST_CASE("the exported models have torch's parameter counts") {
  const auto counts = torch_counts();
  REQUIRE(counts.size() == 4);
  for (const auto& [name, torch] : counts) {
    CAPTURE(name);
    const auto imported = import_onnx((models / (name + ".onnx")).string());
    CHECK(imported.network.parameters() == torch);
    CHECK(imported.notes.empty());
  }
}

TEST_CASE("MNIST-MLP and SqueezeNet equal the shipped .net files layer by layer") {
  const auto data = DataSource::directory(DLSCALE_SOURCE_ROOT "/data");
  for (const auto& [file, shipped_name] : {std::pair{"mlp_mnist.onnx", "MNIST-MLP"}, {"squeezenet.onnx", "SqueezeNet"}}) {
    CAPTURE(file);
    const auto onnx_net = import_onnx((models / file).string()).network;
    const auto shipped = load_network(shipped_name, data);
    CHECK(onnx_net.parameters() == shipped.parameters());
    CHECK(onnx_net.forward_macs() == shipped.forward_macs());
    CHECK(onnx_net.input() == shipped.input());
    CHECK(onnx_net.tensors().size() == shipped.tensors().size());
    CHECK(onnx_net.tensor_bytes(Precision::fp32) == shipped.tensor_bytes(Precision::fp32));
  }
}

TEST_CASE("convolutional models import as native statements, which the probes can run") {
  for (const auto* file : {"mlp_mnist.onnx", "squeezenet.onnx", "resnet18.onnx"}) {
    CAPTURE(file);
    std::istringstream lines(import_onnx((models / file).string()).net_text);
    int given = 0;
    for (std::string line; std::getline(lines, line);)
      given += !line.starts_with("#") && line.find(" out=") != std::string::npos;
    CHECK(given == 0);
  }
  // ResNet-18: 20 convolutions (17 3x3/7x7, 3 1x1 projections), 20 batch norms, 8 adds.
  const auto resnet = import_onnx((models / "resnet18.onnx").string()).network;
  std::map<LayerKind, int> kinds;
  for (const auto& l : resnet.layers()) ++kinds[l.kind];
  CHECK(kinds[LayerKind::conv] == 20);
  CHECK(kinds[LayerKind::batchnorm] == 20);
  CHECK(kinds[LayerKind::add] == 8);
  CHECK(kinds[LayerKind::fc] == 1);
}

TEST_CASE("the Transformer encoder: attention products counted from the inferred shapes") {
  const auto net = import_onnx((models / "transformer.onnx").string()).network;
  // Per layer: in-projection 32x64x192 = 393,216; scores 4 heads x 32x32 x 16 = 65,536;
  // weighted values 4 x 32x16 x 32 = 65,536; out-projection 32x64x64 = 131,072;
  // feed-forward 32x64x128 + 32x128x64 = 524,288: 1,179,648. Two layers and the head
  // (64 x 10 = 640 after mean pooling): 2,359,936.
  CHECK(net.forward_macs() == 2 * 1179648 + 640);
  CHECK(net.input() == Shape{32, 1, 1});
}

TEST_CASE("the written description reads back to the same network") {
  const auto imported = import_onnx((models / "transformer.onnx").string());
  const auto again = parse_network(imported.net_text, "again.net");
  CHECK(again.parameters() == imported.network.parameters());
  CHECK(again.forward_macs() == imported.network.forward_macs());
  CHECK(again.layers().size() == imported.network.layers().size());
  CHECK(again.tensor_bytes(Precision::fp16) == imported.network.tensor_bytes(Precision::fp16));
}

TEST_CASE("a valid hand-built model, and an operator dlscale does not know") {
  TempDir dir;
  auto m = small_model();
  auto net = import_onnx(write_model(dir.path, "small.onnx", m)).network;
  CHECK(net.parameters() == 12);   // W 3x4, no bias
  CHECK(net.forward_macs() == 12); // 3 outputs x 4
  // A custom-domain operator between Gemm and Relu: no shape inference, no formula.
  auto* g = m.mutable_graph();
  g->mutable_node(1)->set_input(0, "h2");
  auto* custom = add_node(g, "FancyNorm", {"h"}, {"h2"}, "fancy");
  custom->set_domain("com.example");
  auto* op = m.add_opset_import();
  op->set_domain("com.example");
  op->set_version(1);
  const auto imported = import_onnx(write_model(dir.path, "custom.onnx", m));
  REQUIRE(imported.notes.size() == 2);
  CHECK(imported.notes[0] == "node 'fancy' (FancyNorm): no ONNX shape inference; its output is assumed to have its input's shape 1x3");
  CHECK(imported.notes[1] == "node 'fancy' (com.example.FancyNorm): an operator dlscale does not know: 0 multiply-adds, priced as a copy of its output (flatten)");
  const auto& layers = imported.network.layers();
  REQUIRE(layers.size() == 4);
  CHECK(layers[2].name == "fancy");
  CHECK(layers[2].kind == LayerKind::flatten);
  CHECK(layers[2].macs == 0);
  CHECK(layers[3].out == Shape{3, 1, 1});
}

namespace {
// A Constant node holding an int64 tensor of `dims` with `values`.
void add_constant(onnx::GraphProto* g, const std::string& out, std::vector<std::int64_t> dims,
                  std::vector<std::int64_t> values) {
  auto* n = add_node(g, "Constant", {}, {out}, out);
  auto* a = n->add_attribute();
  a->set_name("value");
  a->set_type(onnx::AttributeProto::TENSOR);
  auto* t = a->mutable_t();
  t->set_data_type(onnx::TensorProto::INT64);
  for (auto d : dims) t->add_dims(d);
  for (auto v : values) t->add_int64_data(v);
}
}  // namespace

TEST_CASE("shape arithmetic ONNX cannot follow (Div) is folded, so the Slice after it has a shape") {
  // x [1,6]; Slice(x, starts [0], ends [Shape(x)[1] / 3], axes [1]) is [1,2]; then Relu.
  // torch writes attention's q/k/v split this way; ONNX 1.12 infers through Gather but not Div.
  onnx::ModelProto m = small_model();
  auto* g = m.mutable_graph();
  g->clear_node();
  g->clear_initializer();
  g->clear_output();
  g->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(1)->set_dim_value(6);
  add_node(g, "Shape", {"x"}, {"s"}, "shape");
  add_constant(g, "one", {}, {1});
  add_node(g, "Gather", {"s", "one"}, {"width"}, "gather");
  add_constant(g, "three", {}, {3});
  add_node(g, "Div", {"width", "three"}, {"third"}, "div");
  add_constant(g, "axis0", {1}, {0});
  add_node(g, "Unsqueeze", {"third", "axis0"}, {"ends"}, "unsqueeze");
  add_constant(g, "zero", {1}, {0});
  add_constant(g, "axis1", {1}, {1});
  add_node(g, "Slice", {"x", "zero", "ends", "axis1"}, {"xs"}, "slice");
  add_node(g, "Relu", {"xs"}, {"y"}, "relu");
  add_value(g->mutable_output(), "y", {1, 2});
  TempDir dir;
  const auto imported = import_onnx(write_model(dir.path, "slice.onnx", m));
  const auto& layers = imported.network.layers();
  REQUIRE(layers.size() == 3);  // input, slice, relu: Shape/Gather/Div compute sizes, not data
  CHECK(layers[1].name == "slice");
  CHECK(layers[1].out == Shape{2, 1, 1});  // 6 / 3 = 2 columns
  CHECK(layers[2].out == Shape{2, 1, 1});
  CHECK(imported.notes.empty());
}

TEST_CASE("bad input: each class is a ConfigError naming the file and what is wrong") {
  TempDir dir;
  const auto at = [&](const std::string& name) { return (dir.path / name).string(); };

  SUBCASE("not ONNX") {
    std::ofstream(at("text.onnx")) << "name MNIST-MLP\ninput image 1 28 28\n";
    CHECK(error_of(at("text.onnx")) == cat(at("text.onnx"), ": not an ONNX model, or truncated: protobuf "
          "cannot parse its 35 bytes as a ModelProto; a complete .onnx file expected"));
    std::ofstream(at("empty.onnx")).flush();  // protobuf reads 0 bytes as an empty message
    CHECK(error_of(at("empty.onnx")) == cat(at("empty.onnx"), ": not an ONNX model: no ir_version; a "
          "ModelProto with ir_version and graph expected"));
    CHECK(error_of(at("missing.onnx")) == cat(at("missing.onnx"), ": no such file; an ONNX model file expected"));
    CHECK(error_of(dir.path.string()) == dir.path.string() + ": not a regular file; an ONNX model file expected");
  }
  SUBCASE("truncated") {
    std::ifstream in(models / "mlp_mnist.onnx", std::ios::binary);
    const std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Cut inside the weights: the length prefix promises more bytes than follow.
    std::ofstream(at("cut.onnx"), std::ios::binary) << whole.substr(0, whole.size() / 2);
    CHECK(error_of(at("cut.onnx")) == fmt::format("{}: not an ONNX model, or truncated: protobuf cannot parse "
          "its {} bytes as a ModelProto; a complete .onnx file expected", at("cut.onnx"), whole.size() / 2));
  }
  SUBCASE("a cycle") {
    auto m = small_model();
    // fc reads the Relu's output: fc -> relu -> fc.
    *m.mutable_graph()->mutable_node(0)->mutable_input(0) = std::string("y");
    CHECK(error_of(write_model(dir.path, "cycle.onnx", m)) == cat(at("cycle.onnx"),
          ": nodes form a cycle relu -> fc -> relu; an acyclic graph expected (a node's inputs must "
          "not depend on its outputs)"));
  }
  SUBCASE("unknown opset and IR version") {
    auto m = small_model();
    m.mutable_opset_import(0)->set_version(99);
    CHECK(error_of(write_model(dir.path, "opset.onnx", m)) == cat(at("opset.onnx"),
          ": opset 99 is unknown to this ONNX library (1.12 knows 1 to 17); export with opset_version <= 17"));
    m.clear_opset_import();
    CHECK(error_of(write_model(dir.path, "noopset.onnx", m)) == cat(at("noopset.onnx"),
          ": no opset_import for the default domain (ai.onnx); an opset in [1, 17] expected"));
    auto n = small_model();
    n.set_ir_version(42);
    CHECK(error_of(write_model(dir.path, "ir.onnx", n)) == cat(at("ir.onnx"),
          ": IR version 42 is newer than this ONNX library reads (up to 8); a model exported for "
          "ONNX 1.12 (IR <= 8) expected"));
  }
  SUBCASE("dimensions that overflow") {
    auto m = small_model();
    auto* w = m.mutable_graph()->mutable_initializer(0);
    w->clear_float_data();
    w->set_dims(0, 1LL << 40);
    w->set_dims(1, 1LL << 40);  // 2^80 elements
    CHECK(error_of(write_model(dir.path, "huge_w.onnx", m)) == cat(at("huge_w.onnx"),
          ": initializer 'W': elements: count does not fit in 64 bits; smaller sizes expected"));
    auto n = small_model();
    n.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()
        ->mutable_dim(1)->set_dim_value(1LL << 62);
    CHECK(error_of(write_model(dir.path, "huge_x.onnx", n)) == cat(at("huge_x.onnx"),
          ": input 'x': dimension 1 is 4611686018427387904; a size in [1, 1099511627776] expected"));
  }
  SUBCASE("data that does not match its dims") {
    auto m = small_model();
    m.mutable_graph()->mutable_initializer(0)->add_float_data(1.0f);  // 13 values for 3x4
    CHECK(error_of(write_model(dir.path, "corrupt.onnx", m)) == cat(at("corrupt.onnx"),
          ": initializer 'W': 13 elements of data for dims 3x4 (12 expected); the file is corrupt"));
  }
  SUBCASE("a file over protobuf's 2 GiB limit is refused before it is read") {
    // Sparse: 2^31 bytes of size, no disk blocks, never read.
    { std::ofstream(at("big.onnx")).flush(); }
    fs::resize_file(at("big.onnx"), 1ULL << 31);
    CHECK(error_of(at("big.onnx")) == cat(at("big.onnx"), ": 2147483648 bytes: protobuf parses at most "
          "2147483647 bytes (2 GiB - 1) as one message; save the model with its weights as external "
          "data (onnx.save_model(model, path, save_as_external_data=True)) and import the small .onnx file"));
  }
  SUBCASE("two data inputs, a symbolic size, a dangling input") {
    auto m = small_model();
    add_value(m.mutable_graph()->mutable_input(), "mask", {1, 4});
    m.mutable_graph()->mutable_node(1)->add_input("mask");
    CHECK(error_of(write_model(dir.path, "two.onnx", m)) == cat(at("two.onnx"),
          ": 2 data inputs (x, mask); one graph input that is not an initializer expected"));
    auto n = small_model();
    n.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()
        ->mutable_dim(1)->set_dim_param("features");
    CHECK(error_of(write_model(dir.path, "sym.onnx", n)) == cat(at("sym.onnx"),
          ": input 'x': dimension 1 is symbolic ('features'); a model exported with a fixed input size expected"));
    auto d = small_model();
    d.mutable_graph()->mutable_node(1)->set_input(0, "nowhere");
    CHECK(error_of(write_model(dir.path, "dangling.onnx", d)) == cat(at("dangling.onnx"),
          ": node 'relu' (Relu): input 'nowhere' is neither a graph input, an initializer nor a "
          "node's output; a connected graph expected"));
  }
}

TEST_CASE("--param is refused for an ONNX model: its sizes are fixed") {
  NetworkParams p;
  p.values["classes"] = 10;
  const auto path = (models / "mlp_mnist.onnx").string();
  CHECK_THROWS_WITH_AS(load_network(path, DataSource::embedded(), p),
                       (path + ": param override 'classes': an ONNX model has fixed sizes and no "
                        "params; export it again at the size wanted").c_str(), ConfigError);
}
