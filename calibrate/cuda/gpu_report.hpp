#pragma once
/// dlscale-gpu-probe's output: the CPU probe's table layout (per-layer medians, t_grad spread,
/// class rates, sweep) plus the device, dtype and notes; CSV files carry units in column names.
#include <iosfwd>
#include <span>
#include <string>

#include "calibrate/cuda/gpu_runner.hpp"

namespace dlscale::calib {

void print_gpu_measurement(const GpuGradMeasurement& g, std::ostream& out);
void print_gpu_sweep(std::span<const GpuGradMeasurement> sweep, std::ostream& out);

/// network,device,dtype,batch,layer,kind,forward_ms,backward_ms,forward_macs_per_sample
void write_layer_csv(const GpuGradMeasurement& g, std::ostream& out);
/// network,device,dtype,batch,t_grad_median_ms,t_grad_min_ms,t_grad_max_ms
void write_sweep_csv(std::span<const GpuGradMeasurement> sweep, std::ostream& out);

}  // namespace dlscale::calib
