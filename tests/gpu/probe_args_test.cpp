// The GPU and NCCL probes' command lines and the pooling geometry, without a GPU: what the
// probes print (after their name) and exit 2 with, word for word.
#include <doctest/doctest.h>

#include <vector>

#include "calibrate/cuda/gpu_probe_args.hpp"
#include "calibrate/cuda/pool_geometry.hpp"
#include "calibrate/nccl/nccl_probe_args.hpp"
#include "dlscale/error.hpp"

using namespace dlscale;
using namespace dlscale::calib;

namespace {

GpuProbeArgs gpu(std::vector<const char*> argv) {
  argv.insert(argv.begin(), "dlscale-gpu-probe");
  return parse_gpu_probe_args(static_cast<int>(argv.size()), argv.data());
}

NcclProbeArgs nccl(std::vector<const char*> argv) {
  argv.insert(argv.begin(), "dlscale-nccl-probe");
  return parse_nccl_probe_args(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("gpu probe: defaults, --quick and explicit values") {
  const auto a = gpu({"MNIST-MLP"});
  CHECK(a.network == "MNIST-MLP");
  CHECK(a.batch == 32);
  CHECK(a.dtype == DType::fp32);
  CHECK(a.repeat == 10);
  const auto q = gpu({"MNIST-MLP", "--quick", "--dtype", "bf16", "--batches", "1,8", "--repeat", "7"});
  CHECK(q.warmup == 1);
  CHECK(q.repeat == 7);
  CHECK(q.dtype == DType::bf16);
  CHECK(q.batches == std::vector<int>{1, 8});
  CHECK(gpu({"--help"}).help);
  CHECK(gpu({"--help"}).usage.find("77 no CUDA device") != std::string::npos);
}

TEST_CASE("gpu probe: bad input messages") {
  CHECK_THROWS_WITH_AS(gpu({"MNIST-MLP", "--batch", "0"}), "batch size 0 is invalid; 1 or more expected", ConfigError);
  CHECK_THROWS_WITH_AS(gpu({"MNIST-MLP", "--dtype", "fp8"}), "--dtype 'fp8': fp32, fp16 or bf16 expected", ConfigError);
  CHECK_THROWS_WITH_AS(gpu({"MNIST-MLP", "--batches", "4,0"}),
                       "--batches '4,0': comma-separated batch sizes of 1 or more expected", ConfigError);
  CHECK_THROWS_WITH_AS(gpu({}), "a network name or file expected; see --help", ConfigError);
  CHECK_THROWS_WITH_AS(gpu({"MNIST-MLP", "--sweep-csv", "x.csv"}), "--sweep-csv needs --batches", ConfigError);
  CHECK_THROWS_WITH_AS(gpu({"MNIST-MLP", "--workspace-mib", "-1"}),
                       "workspace -1 MiB is invalid; 0 to 1048576 expected", ConfigError);
  CHECK_THROWS_AS(gpu({"MNIST-MLP", "--no-such-flag"}), ConfigError);
  CHECK(to_string(parse_dtype("fp16")) == "fp16");
}

TEST_CASE("nccl probe: sizes, collectives and bad input") {
  CHECK(nccl({}).max_bytes == 64ull << 20);
  CHECK(nccl({"--help"}).help);
  CHECK(nccl({"--help"}).usage.find("77 no CUDA device") != std::string::npos);
  CHECK(nccl({"--quick"}).max_bytes == 64u << 10);
  CHECK(nccl({"--quick"}).iters == 5);
  CHECK(nccl({"--max-bytes", "2M"}).max_bytes == 2u << 20);
  CHECK(nccl({"--max-bytes", "4096"}).max_bytes == 4096);
  // MNIST-MLP: 111,146 fp32 parameters
  CHECK(nccl({"--network", "MNIST-MLP"}).max_bytes == 4 * 111146);
  CHECK(nccl({"--collectives", "all_reduce,send_recv"}).collectives ==
        std::vector<calib::Collective>{calib::Collective::all_reduce, calib::Collective::send_recv});
  CHECK_THROWS_WITH_AS(nccl({"--max-bytes", "512"}),
                       "largest size 512 B is invalid; 1024 (1 KiB, the first size) or more expected", ConfigError);
  CHECK_THROWS_WITH_AS(nccl({"--max-bytes", "1T"}),
                       "--max-bytes '1T': a byte count expected, e.g. 1048576, 1024K, 64M or 1G", ConfigError);
  CHECK_THROWS_WITH_AS(nccl({"--max-bytes", "-5"}),
                       "--max-bytes '-5': a byte count expected, e.g. 1048576, 1024K, 64M or 1G", ConfigError);
  CHECK_THROWS_WITH_AS(nccl({"--network", "VGG16", "--max-bytes", "1M"}),
                       "--max-bytes and --network both set the largest size; give one", ConfigError);
  CHECK_THROWS_WITH_AS(nccl({"--collectives", "all_reduce,gossip"}),
                       "--collectives: unknown collective 'gossip'; broadcast, reduce, all_reduce, all_gather, "
                       "reduce_scatter or send_recv expected", ConfigError);
  CHECK_THROWS_WITH_AS(nccl({"--iters", "0"}), "iters 0 is invalid; 1 or more expected", ConfigError);
  CHECK_THROWS_AS(nccl({"--network", "no-such-net"}), ConfigError);
}

TEST_CASE("pooling geometry: floor mode as is, ceil mode by extra padding, else refused") {
  Layer L;
  L.name = "pool1";
  L.kind = LayerKind::maxpool;
  L.kernel_h = L.kernel_w = 3;
  L.stride = 2;
  L.in = {64, 112, 112};
  L.out = {64, 55, 55};  // floor((112 - 3) / 2) + 1
  auto g = pool_geometry(L);
  CHECK(g.pad_h == 0);
  CHECK(g.note.empty());
  L.out = {64, 56, 56};  // ceil mode (GoogLeNet)
  g = pool_geometry(L);
  CHECK(g.pad_h == 1);
  CHECK(g.pad_w == 1);
  CHECK(floor_pool_size(112, 3, g.pad_h, 2) == 56);
  CHECK(g.note == "pool1: ceil mode emulated with padding 1 instead of 0 (same work, windows shifted)");
  L.out = {64, 70, 70};
  CHECK_THROWS_WITH_AS(pool_geometry(L),
                       "layer pool1: output 70x70 from input 112x112 (kernel 3, stride 2, pad 0) cannot be "
                       "reproduced by cuDNN's floor-mode pooling", ConfigError);
  L.kind = LayerKind::global_avgpool;
  L.in = {2048, 7, 7};
  L.out = {2048, 1, 1};
  g = pool_geometry(L);
  CHECK(g.window_h == 7);
  CHECK(g.window_w == 7);
  CHECK(floor_pool_size(7, g.window_h, g.pad_h, g.stride_h) == 1);
}
