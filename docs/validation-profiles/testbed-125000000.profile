format_version 1
name testbed-125000000-Bps
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
command build/calibrate/profile/dlscale-calibrate --networks MNIST-MLP --threads 1 --repeat 3 --tcp 10.79.150.2:35037 --token 4762ba084967be75367da0ab88c039df --tcp-budget 5 --tcp-min-bytes 524288 --tcp-repeat 9 --name testbed-125000000-Bps --out docs/validation-profiles/testbed-125000000.profile
date 2026-11-30T04:01:50Z

[rates]
batch_size 32 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, pooled over MNIST-MLP"
fc 27454739545.46158
relu 562504904.6535352
softmax 76390546.6698496

[network MNIST-MLP]
t_grad_s 0.000409755 batch=32 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0003984-0.0004201 s)"
t_grad_s 0.00028396 batch=16 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0002694-0.0003064 s)"
t_grad_s 0.000240679 batch=8 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0002173-0.0002582 s)"
t_grad_s 0.000130353 batch=4 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0001255-0.000142 s)"
t_comm_s 0.003716462 origin=measured source="one-way TCP of the 444584 fp32 weight bytes, median of 9"
grad_sample_s 0.000420133 batch=32
grad_sample_s 0.000398443 batch=32
grad_sample_s 0.000409755 batch=32
grad_sample_s 0.000306361 batch=16
grad_sample_s 0.000269423 batch=16
grad_sample_s 0.00028396 batch=16
grad_sample_s 0.000258242 batch=8
grad_sample_s 0.000240679 batch=8
grad_sample_s 0.000217346 batch=8
grad_sample_s 0.000130353 batch=4
grad_sample_s 0.000125484 batch=4
grad_sample_s 0.000142035 batch=4
layer_s fc1 forward=0.000164567 backward=0.000146684 batch=32
layer_s relu1 forward=2.845e-06 backward=3.156e-06 batch=32
layer_s fc2 forward=1.7503e-05 backward=2.6429e-05 batch=32
layer_s relu2 forward=1.533e-06 backward=2.204e-06 batch=32
layer_s fc3 forward=7.664e-06 backward=1.1711e-05 batch=32
layer_s relu3 forward=1.112e-06 backward=1.893e-06 batch=32
layer_s fc4 forward=5.18e-06 backward=8.084e-06 batch=32
layer_s prob forward=3.537e-06 backward=6.52e-07 batch=32

[link tcp]
alpha_s 2.888099999999838e-05 origin=fitted source="dlscale-calibrate: one-way TCP to 10.79.150.2:35037, least squares over 2 sizes from 524288 B"
beta_Bps 120077246.9594087 origin=fitted source="dlscale-calibrate: one-way TCP to 10.79.150.2:35037, least squares over 2 sizes from 524288 B"
max_relative_residual 5.920373389874333e-16
transfer_s 0.004850607 bytes=524288
transfer_s 0.004420426 bytes=524288
transfer_s 0.004387609 bytes=524288
transfer_s 0.004327525 bytes=524288
transfer_s 0.004398106 bytes=524288
transfer_s 0.004377435 bytes=524288
transfer_s 0.004395137 bytes=524288
transfer_s 0.004415503 bytes=524288
transfer_s 0.004386953 bytes=524288
transfer_s 0.008741593 bytes=1048576
transfer_s 0.008711145 bytes=1048576
transfer_s 0.008788733 bytes=1048576
transfer_s 0.008748208 bytes=1048576
transfer_s 0.008806747 bytes=1048576
transfer_s 0.008786559 bytes=1048576
transfer_s 0.008761393 bytes=1048576
transfer_s 0.008810399 bytes=1048576
transfer_s 0.008751554 bytes=1048576
