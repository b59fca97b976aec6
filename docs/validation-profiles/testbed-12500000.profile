format_version 1
name testbed-12500000-Bps
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
command build/calibrate/profile/dlscale-calibrate --networks MNIST-MLP --threads 1 --repeat 3 --tcp 10.79.138.2:43257 --token 7a6e33e304e1435beff4d8d5c9bf33df --tcp-budget 5 --tcp-min-bytes 65536 --tcp-repeat 9 --name testbed-12500000-Bps --out docs/validation-profiles/testbed-12500000.profile
date 2026-11-30T04:01:47Z

[rates]
batch_size 32 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, pooled over MNIST-MLP"
fc 34629338606.44221
relu 806662165.2036912
softmax 117820324.00589103

[network MNIST-MLP]
t_grad_s 0.000321049 batch=32 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0002911-0.0003409 s)"
t_grad_s 0.000215812 batch=16 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0002105-0.0002893 s)"
t_grad_s 0.000161491 batch=8 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0001612-0.000171 s)"
t_grad_s 0.00012864 batch=4 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 3 after 3 warm-up (range 0.0001284-0.000131 s)"
t_comm_s 0.037536456 origin=measured source="one-way TCP of the 444584 fp32 weight bytes, median of 9"
grad_sample_s 0.000340866 batch=32
grad_sample_s 0.000291133 batch=32
grad_sample_s 0.000321049 batch=32
grad_sample_s 0.000215812 batch=16
grad_sample_s 0.00028931 batch=16
grad_sample_s 0.000210492 batch=16
grad_sample_s 0.000170999 batch=8
grad_sample_s 0.000161181 batch=8
grad_sample_s 0.000161491 batch=8
grad_sample_s 0.000131024 batch=4
grad_sample_s 0.00012864 batch=4
grad_sample_s 0.000128399 batch=4
layer_s fc1 forward=0.000157583 backward=0.00010177 batch=32
layer_s relu1 forward=1.673e-06 backward=2.304e-06 batch=32
layer_s fc2 forward=1.1872e-05 backward=1.6661e-05 batch=32
layer_s relu2 forward=1.072e-06 backward=1.552e-06 batch=32
layer_s fc3 forward=5.029e-06 backward=6.332e-06 batch=32
layer_s relu3 forward=1.002e-06 backward=1.283e-06 batch=32
layer_s fc4 forward=3.226e-06 backward=4.999e-06 batch=32
layer_s prob forward=2.435e-06 backward=2.81e-07 batch=32

[link tcp]
alpha_s 0 origin=fitted source="dlscale-calibrate: one-way TCP to 10.79.138.2:43257, least squares over 4 sizes from 65536 B, alpha 0: the free fit's was -4.64e-05 s"
beta_Bps 11929015.221733665 origin=fitted source="dlscale-calibrate: one-way TCP to 10.79.138.2:43257, least squares over 4 sizes from 65536 B, alpha 0: the free fit's was -4.64e-05 s"
max_relative_residual 0.007121812423841442
transfer_s 0.004785191 bytes=65536
transfer_s 0.00746712 bytes=65536
transfer_s 0.00547359 bytes=65536
transfer_s 0.005432543 bytes=65536
transfer_s 0.00547916 bytes=65536
transfer_s 0.005473129 bytes=65536
transfer_s 0.005579777 bytes=65536
transfer_s 0.00543567 bytes=65536
transfer_s 0.005450477 bytes=65536
transfer_s 0.010951878 bytes=131072
transfer_s 0.012042321 bytes=131072
transfer_s 0.012551772 bytes=131072
transfer_s 0.010983116 bytes=131072
transfer_s 0.011042126 bytes=131072
transfer_s 0.010878541 bytes=131072
transfer_s 0.011079455 bytes=131072
transfer_s 0.01095343 bytes=131072
transfer_s 0.010960845 bytes=131072
transfer_s 0.020606155 bytes=262144
transfer_s 0.023267705 bytes=262144
transfer_s 0.022047209 bytes=262144
transfer_s 0.021837732 bytes=262144
transfer_s 0.022085695 bytes=262144
transfer_s 0.02177762 bytes=262144
transfer_s 0.021988577 bytes=262144
transfer_s 0.021852245 bytes=262144
transfer_s 0.021912833 bytes=262144
transfer_s 0.038062801 bytes=444584
transfer_s 0.037040894 bytes=444584
transfer_s 0.040739368 bytes=444584
transfer_s 0.033453078 bytes=444584
transfer_s 0.037557312 bytes=444584
transfer_s 0.03690386 bytes=444584
transfer_s 0.041291365 bytes=444584
transfer_s 0.033126355 bytes=444584
transfer_s 0.037536456 bytes=444584
