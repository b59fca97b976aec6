#pragma once
/// Owners of device memory, streams, events and library handles: created in the constructor
/// (checked), released in the destructor, never copied.
#include <cstddef>
#include <utility>

#include "calibrate/cuda/cuda_check.hpp"

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

/// A handle made by Create and released by Destroy; Check throws on a failed Create.
template <class H, auto Create, auto Destroy, auto Check>
class Owned {
 public:
  Owned() { Check(Create(&h_), "create (handle, descriptor, stream or event)"); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() { if (h_) Destroy(h_); }  // a failure at teardown is not actionable
  H get() const { return h_; }
  operator H() const { return h_; }

 private:
  H h_{};
};

inline cudaError_t create_event(cudaEvent_t* e) { return cudaEventCreate(e); }
inline cudaError_t create_stream(cudaStream_t* s) { return cudaStreamCreateWithFlags(s, cudaStreamNonBlocking); }

/// Both belong to the device current when they are created.
using Event = Owned<cudaEvent_t, create_event, cudaEventDestroy, check_cuda>;
using Stream = Owned<cudaStream_t, create_stream, cudaStreamDestroy, check_cuda>;

}  // namespace dlscale::calib
