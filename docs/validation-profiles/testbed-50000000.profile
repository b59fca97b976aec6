format_version 1
name testbed-50000000-Bps
hardware AMD EPYC, 2 cores, 24 GiB RAM, gpu: none (CUDA driver version is insufficient for CUDA runtime version)
source dlscale-calibrate: t_grad from real CPU passes, t_comm from real TCP transfers

[machine]
hosts vm
cpu AMD EPYC
cores 2
threads 1
memory_bytes 25276514304
os Linux 6.18.44-fc-v595 x86_64
compiler gcc 12.2.0
eigen 3.4.0
gpu none (CUDA driver version is insufficient for CUDA runtime version)
cuda 13.0
cudnn 9.19.0
nccl 2.28.9
command build/calibrate/profile/dlscale-calibrate --networks MNIST-MLP --threads 1 --repeat 3 --tcp 10.79.19.2:38961 --token fdc1d9fd3e7596026e79bfe02eb03c3b --tcp-budget 5 --tcp-min-bytes 262144 --tcp-repeat 9 --name testbed-50000000-Bps --out docs/validation-profiles/testbed-50000000.profile
date 2026-11-30T04:01:49Z

[rates]
batch_size 32 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, pooled over MNIST-MLP"
fc 31830961157.29904
relu 766057497.0610238
softmax 111304347.82608695

[network MNIST-MLP]
t_grad_s 0.000349241 batch=32 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0003207-0.0003938 s)"
t_grad_s 0.000227204 batch=16 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0002073-0.0002671 s)"
t_grad_s 0.000189874 batch=8 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0001691-0.0002449 s)"
t_grad_s 0.000132848 batch=4 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0001328-0.0001388 s)"
t_comm_s 0.009308405 origin=measured source="one-way TCP of the 444584 fp32 weight bytes, median of 9"
grad_sample_s 0.000349241 batch=32
grad_sample_s 0.000393755 batch=32
grad_sample_s 0.000320678 batch=32
grad_sample_s 0.000207326 batch=16
grad_sample_s 0.000267058 batch=16
grad_sample_s 0.000227204 batch=16
grad_sample_s 0.000189874 batch=8
grad_sample_s 0.000244897 batch=8
grad_sample_s 0.000169116 batch=8
grad_sample_s 0.000138778 batch=4
grad_sample_s 0.000132778 batch=4
grad_sample_s 0.000132848 batch=4
layer_s fc1 forward=0.000183592 backward=0.000100477 batch=32
layer_s relu1 forward=1.723e-06 backward=2.244e-06 batch=32
layer_s fc2 forward=1.3745e-05 backward=1.6982e-05 batch=32
layer_s relu2 forward=1.192e-06 backward=1.603e-06 batch=32
layer_s fc3 forward=5.491e-06 backward=6.312e-06 batch=32
layer_s relu3 forward=8.92e-07 backward=1.703e-06 batch=32
layer_s fc4 forward=3.486e-06 backward=4.418e-06 batch=32
layer_s prob forward=2.394e-06 backward=4.81e-07 batch=32

[link tcp]
alpha_s 3.5339252570794725e-05 origin=fitted source="dlscale-calibrate: one-way TCP to 10.79.19.2:38961, least squares over 3 sizes from 262144 B"
beta_Bps 47965588.92055787 origin=fitted source="dlscale-calibrate: one-way TCP to 10.79.19.2:38961, least squares over 3 sizes from 262144 B"
max_relative_residual 0.0004570378180464191
transfer_s 0.005788937 bytes=262144
transfer_s 0.005517175 bytes=262144
transfer_s 0.005517319 bytes=262144
transfer_s 0.005431261 bytes=262144
transfer_s 0.005484579 bytes=262144
transfer_s 0.005500139 bytes=262144
transfer_s 0.005510287 bytes=262144
transfer_s 0.005462912 bytes=262144
transfer_s 0.005478717 bytes=262144
transfer_s 0.010960166 bytes=524288
transfer_s 0.010983327 bytes=524288
transfer_s 0.010939312 bytes=524288
transfer_s 0.010961736 bytes=524288
transfer_s 0.010998114 bytes=524288
transfer_s 0.010965288 bytes=524288
transfer_s 0.010932662 bytes=524288
transfer_s 0.010982377 bytes=524288
transfer_s 0.010951868 bytes=524288
transfer_s 0.009352875 bytes=444584
transfer_s 0.009274088 bytes=444584
transfer_s 0.009324369 bytes=444584
transfer_s 0.009308168 bytes=444584
transfer_s 0.009349108 bytes=444584
transfer_s 0.009162791 bytes=444584
transfer_s 0.009308405 bytes=444584
transfer_s 0.00938205 bytes=444584
transfer_s 0.009277715 bytes=444584
