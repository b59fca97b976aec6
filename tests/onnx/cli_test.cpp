// `dlscale networks import` and `--network MODEL.onnx` through the CLI: exit codes, what is
// printed, and that a failed import leaves no file behind. Needs libonnx.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "../cli/run_cli.hpp"

using dlscale::test::run_cli;
namespace fs = std::filesystem;

namespace {
const std::string models = DLSCALE_SOURCE_ROOT "/tests/onnx/models/";

struct TempDir {
  fs::path path = fs::temp_directory_path() / fmt::format("dlscale-onnx-cli-{}", ::getpid());
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};
}  // namespace

TEST_CASE("networks import --out writes a description that loads as the same network") {
  TempDir dir;
  const auto out = (dir.path / "resnet18.net").string();
  const auto r = run_cli({"networks", "import", models + "resnet18.onnx", "--out", out});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  // Input, 20 conv, 20 batchnorm, 17 relu, maxpool, 8 add, gavgpool, flatten, fc: 70 layers.
  // 11,689,512 x 4 bytes = 46.76 MB; 1.814 GMACs per sample (torchvision's published figure).
  CHECK(r.out == fmt::format("wrote {}: network resnet18, 70 layers, 11689512 parameters (46.76 MB fp32), "
                             "1.814 GMACs per sample\n", out));
  const auto from_net = run_cli({"networks", out, "--json"});
  const auto from_onnx = run_cli({"networks", models + "resnet18.onnx", "--json"});
  CHECK(from_net.rc == 0);
  CHECK(from_net.out == from_onnx.out);
  // Without --out the description goes to stdout.
  const auto printed = run_cli({"networks", "import", models + "resnet18.onnx"});
  std::ifstream in(out);
  CHECK(printed.out == std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
}

TEST_CASE("--network takes an ONNX model wherever it takes a network") {
  const auto r = run_cli({"predict", "--network", models + "resnet18.onnx", "--t-grad", "0.5",
                          "--t-comm", "0.4", "--scheme", "ring", "--mode", "sync-join", "--workers", "4"});
  CHECK(r.rc == 0);
  CHECK(r.out.starts_with("network resnet18, scheme ring"));
  // With a profile's [rates] and link, both t_grad and t_comm come from the model itself.
  const auto s = run_cli({"sweep", "--network", models + "mlp_mnist.onnx", "--profile",
                          DLSCALE_SOURCE_ROOT "/data/profiles/dev-vm-cpu-loopback.profile",
                          "--scheme", "ring", "--mode", "sync-join", "--workers", "1:4"});
  CHECK(s.rc == 0);
  // The profile's rates at its batch 32: fc 3 x 110,912 MACs x 32 / 2.745e10 MAC/s = 387.9 us;
  // relu (128+64+32) x 32 / 7.305e8 = 9.8 us; flatten 784 x 32 / 1.1556e9 = 21.7 us; softmax
  // 10 x 32 / 1.8647e8 = 1.7 us: 421.1 us.
  CHECK(s.out.find("t_grad 0.000421127 s estimated from the per-class rates") != std::string::npos);
}

TEST_CASE("a bad model is exit 2 with the file and what is wrong, and nothing is written") {
  TempDir dir;
  const auto bad = (dir.path / "bad.onnx").string();
  std::ofstream(bad) << "not a model at all\n";
  const auto out = (dir.path / "bad.net").string();
  const auto r = run_cli({"networks", "import", bad, "--out", out});
  CHECK(r.rc == 2);
  CHECK(r.err == "dlscale: " + bad + ": not an ONNX model, or truncated: protobuf cannot parse its 19 "
                 "bytes as a ModelProto; a complete .onnx file expected\n");
  CHECK_FALSE(fs::exists(out));
  CHECK(fs::directory_iterator(dir.path) != fs::directory_iterator());  // only bad.onnx
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
  const auto s = run_cli({"sweep", "--network", bad});
  CHECK(s.rc == 2);
  CHECK(s.err.starts_with("dlscale: " + bad + ": not an ONNX model"));
}

TEST_CASE("networks import: usage errors") {
  TempDir dir;
  CHECK(run_cli({"networks", "import"}).err ==
        "dlscale: networks import: an ONNX model file expected: dlscale networks import MODEL.onnx [--out FILE.net]\n");
  const auto model = models + "mlp_mnist.onnx";
  const auto r = run_cli({"networks", "import", model, "--out", dir.path.string()});
  CHECK(r.rc == 2);
  CHECK(r.err == fmt::format("dlscale: networks import: --out {}: exists and is not a regular file (links "
                             "are not followed); a regular file or a new path expected\n", dir.path.string()));
  CHECK(run_cli({"networks", "import", model, "--out", model}).err ==
        fmt::format("dlscale: networks import: --out {}: is the model itself; another path expected\n", model));
  const auto help = run_cli({"networks", "import", "--help"});
  CHECK(help.rc == 0);
  CHECK(help.out.starts_with("usage: dlscale networks import MODEL.onnx [--out FILE.net]"));
}
