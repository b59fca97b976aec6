#pragma once
/// cuDNN and cuBLAS handles and descriptors (see cuda_resources.hpp), and descriptor helpers.
#include <cstddef>
#include <cstdint>

#include "calibrate/cuda/dtype.hpp"
#include "calibrate/cuda/cuda_resources.hpp"
#include "calibrate/cuda/gpu_check.hpp"

namespace dlscale::calib {

using CudnnHandle = Owned<cudnnHandle_t, cudnnCreate, cudnnDestroy, check_cudnn>;
using CublasHandle = Owned<cublasHandle_t, cublasCreate_v2, cublasDestroy_v2, check_cublas>;
using TensorDesc = Owned<cudnnTensorDescriptor_t, cudnnCreateTensorDescriptor, cudnnDestroyTensorDescriptor, check_cudnn>;
using FilterDesc = Owned<cudnnFilterDescriptor_t, cudnnCreateFilterDescriptor, cudnnDestroyFilterDescriptor, check_cudnn>;
using ConvDesc = Owned<cudnnConvolutionDescriptor_t, cudnnCreateConvolutionDescriptor,
                       cudnnDestroyConvolutionDescriptor, check_cudnn>;
using PoolDesc = Owned<cudnnPoolingDescriptor_t, cudnnCreatePoolingDescriptor, cudnnDestroyPoolingDescriptor, check_cudnn>;
using ActivationDesc = Owned<cudnnActivationDescriptor_t, cudnnCreateActivationDescriptor,
                             cudnnDestroyActivationDescriptor, check_cudnn>;
using LrnDesc = Owned<cudnnLRNDescriptor_t, cudnnCreateLRNDescriptor, cudnnDestroyLRNDescriptor, check_cudnn>;
using DropoutDesc = Owned<cudnnDropoutDescriptor_t, cudnnCreateDropoutDescriptor, cudnnDestroyDropoutDescriptor, check_cudnn>;

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
