#include "calibrate/cuda/gpu_runner.hpp"

#include <memory>

#include <fmt/format.h>

#include "dlscale/error.hpp"

namespace dlscale::calib {
namespace {

// Runs before the handles are created: they belong to the current device.
int select_device(int device) {
  DLSCALE_CUDA(cudaSetDevice, device);
  return device;
}

Seconds between(const Event& a, const Event& b) {
  float ms = 0;
  DLSCALE_CUDA(cudaEventElapsedTime, &ms, a, b);
  return Seconds{1e-3 * ms};
}

// One forward + backward pass with an event before the first step and after every step:
// marks[i] ends forward step i (i = 1 .. L-1), marks[L-1 + k] ends the k-th backward step.
Seconds one_pass(GpuNet& net, Event* marks, cudaStream_t stream, std::vector<LayerTiming>* timings) {
  const std::size_t L = net.size();
  DLSCALE_CUDA(cudaEventRecord, marks[0], stream);
  for (std::size_t i = 1; i < L; ++i) {
    net.forward(i);
    DLSCALE_CUDA(cudaEventRecord, marks[i], stream);
  }
  net.begin_backward();
  std::size_t k = L - 1;
  for (std::size_t i = L; i-- > 1;) {
    net.backward(i);
    DLSCALE_CUDA(cudaEventRecord, marks[++k], stream);
  }
  DLSCALE_CUDA(cudaEventSynchronize, marks[k]);
  if (timings) {
    for (std::size_t i = 1; i < L; ++i) {
      (*timings)[i - 1].forward_samples.push_back(between(marks[i - 1], marks[i]));
      const std::size_t end = 2 * (L - 1) - (i - 1);  // backward runs in reverse
      (*timings)[i - 1].backward_samples.push_back(between(marks[end - 1], marks[end]));
    }
  }
  return between(marks[0], marks[k]);
}

std::string name_of_device(int device) {
  cudaDeviceProp prop{};
  DLSCALE_CUDA(cudaGetDeviceProperties, &prop, device);
  return prop.name;
}

}  // namespace

GpuSession::GpuSession(int device, DType dtype, std::size_t workspace_bytes)
    : device_(select_device(device)), dtype_(dtype), name_(name_of_device(device)) {
  DLSCALE_CUDNN(cudnnSetStream, cudnn_, stream_);
  DLSCALE_CUBLAS(cublasSetStream_v2, cublas_, stream_);
  workspace_.buffer = DeviceBuffer(workspace_bytes);
  workspace_.limit = workspace_bytes;
}

GpuGradMeasurement GpuSession::measure(const Network& net, int batch, int warmup, int repeat) {
  if (batch < 1) throw ConfigError(fmt::format("batch size {} is invalid; 1 or more expected", batch));
  if (repeat < 1) throw ConfigError(fmt::format("repeat {} is invalid; 1 or more expected", repeat));
  if (warmup < 0) throw ConfigError(fmt::format("warmup {} is invalid; 0 or more expected", warmup));
  DLSCALE_CUDA(cudaSetDevice, device_);
  GpuGradMeasurement out;
  out.device = name_;
  out.dtype = dtype_;
  const GpuContext ctx{dtype_, batch, stream_, cudnn_, cublas_, &workspace_, &out.notes};
  GpuNet gnet(net, ctx);  // ctx outlives gnet: the steps keep a reference
  auto& m = out.m;
  m = {net.name(), batch, 0, warmup, repeat, {}, {}, {}, {}};
  for (std::size_t i = 1; i < gnet.size(); ++i) {
    const auto& L = gnet.layer(i);
    m.layers.push_back({L.name, L.kind, L.macs, L.out, {}, {}, {}, {}});
  }
  auto marks = std::make_unique<Event[]>(2 * gnet.size() - 1);
  for (int w = 0; w < warmup; ++w) one_pass(gnet, marks.get(), stream_, nullptr);
  for (int r = 0; r < repeat; ++r) m.t_grad_samples.push_back(one_pass(gnet, marks.get(), stream_, &m.layers));
  for (auto& l : m.layers) {
    l.forward = spread_of(l.forward_samples).median;
    l.backward = spread_of(l.backward_samples).median;
  }
  m.t_grad = spread_of(m.t_grad_samples);
  m.classes = class_rates(m.layers, batch);
  return out;
}

}  // namespace dlscale::calib
