#pragma once
/// Owners of device memory, streams, events, library handles and cuDNN descriptors: created in
/// the constructor (checked), destroyed in the destructor, never copied.
#include <cstddef>
#include <cstdint>
#include <utility>

#include "calibrate/cuda/dtype.hpp"
#include "calibrate/cuda/gpu_check.hpp"

namespace dlscale::calib {

/// cudaMalloc'ed bytes on the current device (size 0: no allocation, null pointer).
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t bytes);
  DeviceBuffer(DeviceBuffer&& o) noexcept : p_(std::exchange(o.p_, nullptr)), bytes_(std::exchange(o.bytes_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer();
  void* get() const { return p_; }
  std::size_t bytes() const { return bytes_; }

 private:
  void* p_ = nullptr;
  std::size_t bytes_ = 0;
};

/// A handle made by Create and released by Destroy (both return a status).
template <class H, auto Create, auto Destroy>
class Owned {
 public:
  Owned() { check_gpu(Create(&h_), "create (descriptor, handle, stream or event)"); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() { if (h_) Destroy(h_); }  // errors at teardown are not actionable
  H get() const { return h_; }
  operator H() const { return h_; }

 private:
  H h_{};
};

inline cudaError_t create_event(cudaEvent_t* e) { return cudaEventCreate(e); }
inline cudaError_t create_stream(cudaStream_t* s) { return cudaStreamCreateWithFlags(s, cudaStreamNonBlocking); }

using Event = Owned<cudaEvent_t, create_event, cudaEventDestroy>;
using Stream = Owned<cudaStream_t, create_stream, cudaStreamDestroy>;
using CudnnHandle = Owned<cudnnHandle_t, cudnnCreate, cudnnDestroy>;
using CublasHandle = Owned<cublasHandle_t, cublasCreate_v2, cublasDestroy_v2>;
using TensorDesc = Owned<cudnnTensorDescriptor_t, cudnnCreateTensorDescriptor, cudnnDestroyTensorDescriptor>;
using FilterDesc = Owned<cudnnFilterDescriptor_t, cudnnCreateFilterDescriptor, cudnnDestroyFilterDescriptor>;
using ConvDesc = Owned<cudnnConvolutionDescriptor_t, cudnnCreateConvolutionDescriptor,
                       cudnnDestroyConvolutionDescriptor>;
using PoolDesc = Owned<cudnnPoolingDescriptor_t, cudnnCreatePoolingDescriptor, cudnnDestroyPoolingDescriptor>;
using ActivationDesc = Owned<cudnnActivationDescriptor_t, cudnnCreateActivationDescriptor,
                             cudnnDestroyActivationDescriptor>;
using LrnDesc = Owned<cudnnLRNDescriptor_t, cudnnCreateLRNDescriptor, cudnnDestroyLRNDescriptor>;
using DropoutDesc = Owned<cudnnDropoutDescriptor_t, cudnnCreateDropoutDescriptor, cudnnDestroyDropoutDescriptor>;

cudnnDataType_t cudnn_type(DType t);
cudaDataType_t cuda_type(DType t);

/// Packed NCHW tensor of `t` elements.
void set_nchw(cudnnTensorDescriptor_t d, DType t, std::int64_t n, std::int64_t c, std::int64_t h,
              std::int64_t w);
/// n x c x h x w view into a packed NCHW tensor with `total_c` channels (a concat slice).
void set_nchw_slice(cudnnTensorDescriptor_t d, DType t, std::int64_t n, std::int64_t c,
                    std::int64_t h, std::int64_t w, std::int64_t total_c);

/// The one device buffer the probe's convolutions share, and its size (the --workspace limit).
struct Workspace {
  DeviceBuffer buffer;
  std::size_t limit = 0;
};

}  // namespace dlscale::calib
