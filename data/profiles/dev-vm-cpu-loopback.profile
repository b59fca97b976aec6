format_version 1
name dev-vm-cpu-loopback
hardware AMD EPYC, 2 cores, 24 GiB RAM, gpu: none (CUDA driver version is insufficient for CUDA runtime version)
source dlscale-calibrate: t_grad from real CPU passes, t_comm from real TCP transfers

[machine]
hosts vm
cpu AMD EPYC
cores 2
threads 1
memory_bytes 25276026880
os Linux 6.18.44-fc-v782 x86_64
compiler gcc 12.2.0
eigen 3.4.0
gpu none (CUDA driver version is insufficient for CUDA runtime version)
cuda 13.0
command build/calibrate/profile/dlscale-calibrate --networks MNIST-MLP,CIFAR10-CNN,SqueezeNet --threads 1 --name dev-vm-cpu-loopback --out /tmp/dev-vm-cpu-loopback.profile
date 2026-11-24T23:24:08Z

[network MNIST-MLP]
t_grad_s 0.0008488255 batch=32 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 0.0006912-0.001112 s)"
t_grad_s 0.00028479 batch=16 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 0.0002174-0.0004764 s)"
t_grad_s 0.000226058 batch=8 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 0.0001543-0.0003002 s)"
t_grad_s 0.000109428 batch=4 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 7.672e-05-0.0002756 s)"
t_comm_s 0.000197174 origin=measured source="one-way TCP of the 444584 fp32 weight bytes, median of 5"
grad_sample_s 0.001100829 batch=32
grad_sample_s 0.000852207 batch=32
grad_sample_s 0.000784187 batch=32
grad_sample_s 0.000845444 batch=32
grad_sample_s 0.001025084 batch=32
grad_sample_s 0.00111237 batch=32
grad_sample_s 0.000783677 batch=32
grad_sample_s 0.000691212 batch=32
grad_sample_s 0.000801681 batch=32
grad_sample_s 0.00086465 batch=32
grad_sample_s 0.000327722 batch=16
grad_sample_s 0.000476373 batch=16
grad_sample_s 0.000228454 batch=16
grad_sample_s 0.000253892 batch=16
grad_sample_s 0.000307994 batch=16
grad_sample_s 0.000217372 batch=16
grad_sample_s 0.000250816 batch=16
grad_sample_s 0.000460664 batch=16
grad_sample_s 0.00027923 batch=16
grad_sample_s 0.00029035 batch=16
grad_sample_s 0.000245526 batch=8
grad_sample_s 0.000216019 batch=8
grad_sample_s 0.00030015 batch=8
grad_sample_s 0.000154674 batch=8
grad_sample_s 0.000237571 batch=8
grad_sample_s 0.000206563 batch=8
grad_sample_s 0.000236097 batch=8
grad_sample_s 0.000240176 batch=8
grad_sample_s 0.000180943 batch=8
grad_sample_s 0.000154264 batch=8
grad_sample_s 0.000109157 batch=4
grad_sample_s 7.9901e-05 batch=4
grad_sample_s 0.000109699 batch=4
grad_sample_s 8.0303e-05 batch=4
grad_sample_s 0.000275633 batch=4
grad_sample_s 0.000166736 batch=4
grad_sample_s 8.2287e-05 batch=4
grad_sample_s 7.6716e-05 batch=4
grad_sample_s 0.000112112 batch=4
grad_sample_s 0.00013733 batch=4

[network CIFAR10-CNN]
t_grad_s 0.07382952000000001 batch=32 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 0.07296-0.07517 s)"
t_grad_s 0.0365984175 batch=16 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 0.0361-0.03734 s)"
t_grad_s 0.017814947999999997 batch=8 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 0.01764-0.01899 s)"
t_grad_s 0.008823379 batch=4 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 0.008747-0.00916 s)"
t_comm_s 0.000163961 origin=measured source="one-way TCP of the 454952 fp32 weight bytes, median of 5"
grad_sample_s 0.074812981 batch=32
grad_sample_s 0.075170029 batch=32
grad_sample_s 0.072956148 batch=32
grad_sample_s 0.074202793 batch=32
grad_sample_s 0.075014353 batch=32
grad_sample_s 0.073669432 batch=32
grad_sample_s 0.073344045 batch=32
grad_sample_s 0.073887886 batch=32
grad_sample_s 0.073364994 batch=32
grad_sample_s 0.073771154 batch=32
grad_sample_s 0.037336452 batch=16
grad_sample_s 0.036096851 batch=16
grad_sample_s 0.036753166 batch=16
grad_sample_s 0.036295027 batch=16
grad_sample_s 0.036754358 batch=16
grad_sample_s 0.036652405 batch=16
grad_sample_s 0.036951694 batch=16
grad_sample_s 0.036472384 batch=16
grad_sample_s 0.03654443 batch=16
grad_sample_s 0.036268226 batch=16
grad_sample_s 0.017783628 batch=8
grad_sample_s 0.017846268 batch=8
grad_sample_s 0.017721741 batch=8
grad_sample_s 0.017643301 batch=8
grad_sample_s 0.017648161 batch=8
grad_sample_s 0.017867376 batch=8
grad_sample_s 0.017930356 batch=8
grad_sample_s 0.018985067 batch=8
grad_sample_s 0.017762719 batch=8
grad_sample_s 0.017914566 batch=8
grad_sample_s 0.008931955 batch=4
grad_sample_s 0.008837106 batch=4
grad_sample_s 0.009160499 batch=4
grad_sample_s 0.008777622 batch=4
grad_sample_s 0.008774738 batch=4
grad_sample_s 0.008746725 batch=4
grad_sample_s 0.008814633 batch=4
grad_sample_s 0.008760851 batch=4
grad_sample_s 0.008832125 batch=4
grad_sample_s 0.008954908 batch=4

[network SqueezeNet]
t_grad_s 5.768329850500001 batch=32 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 4.903-7.225 s)"
t_grad_s 2.5224534995 batch=16 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 2.48-3.054 s)"
t_grad_s 1.239947397 batch=8 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 1.232-1.281 s)"
t_grad_s 0.6104322120000001 batch=4 origin=measured source="CPU Eigen fp32, 1 threads, median of 10 after 3 warm-up (range 0.6042-0.6509 s)"
t_comm_s 0.001746102 origin=measured source="one-way TCP of the 4993696 fp32 weight bytes, median of 5"
grad_sample_s 6.190224109 batch=32
grad_sample_s 7.224942939 batch=32
grad_sample_s 6.088794833 batch=32
grad_sample_s 5.899758193 batch=32
grad_sample_s 5.865529146 batch=32
grad_sample_s 5.671130555 batch=32
grad_sample_s 4.902910411 batch=32
grad_sample_s 4.925909242 batch=32
grad_sample_s 4.975894071 batch=32
grad_sample_s 4.948720899 batch=32
grad_sample_s 2.930953407 batch=16
grad_sample_s 3.053710324 batch=16
grad_sample_s 2.755404907 batch=16
grad_sample_s 2.479506768 batch=16
grad_sample_s 2.487343977 batch=16
grad_sample_s 2.496923329 batch=16
grad_sample_s 2.534555023 batch=16
grad_sample_s 2.507501429 batch=16
grad_sample_s 2.510351976 batch=16
grad_sample_s 2.585700724 batch=16
grad_sample_s 1.261192903 batch=8
grad_sample_s 1.235641167 batch=8
grad_sample_s 1.240418691 batch=8
grad_sample_s 1.238139838 batch=8
grad_sample_s 1.255701676 batch=8
grad_sample_s 1.239476103 batch=8
grad_sample_s 1.233417921 batch=8
grad_sample_s 1.231580043 batch=8
grad_sample_s 1.24240529 batch=8
grad_sample_s 1.28132186 batch=8
grad_sample_s 0.607399364 batch=4
grad_sample_s 0.611085807 batch=4
grad_sample_s 0.622574983 batch=4
grad_sample_s 0.607215755 batch=4
grad_sample_s 0.609778617 batch=4
grad_sample_s 0.605117926 batch=4
grad_sample_s 0.650924076 batch=4
grad_sample_s 0.619598207 batch=4
grad_sample_s 0.604225652 batch=4
grad_sample_s 0.644512012 batch=4

[link tcp]
alpha_s 3.91996724826826e-05 origin=fitted source="dlscale-calibrate: one-way TCP to 127.0.0.1:33105, least squares over 16 sizes, BAD FIT (a residual above 10 %)"
beta_Bps 6192127486.182312 origin=fitted source="dlscale-calibrate: one-way TCP to 127.0.0.1:33105, least squares over 16 sizes, BAD FIT (a residual above 10 %)"
max_relative_residual 0.7856506501267078
transfer_s 0.000184009 bytes=1024
transfer_s 0.000183649 bytes=1024
transfer_s 0.00019499 bytes=1024
transfer_s 9.9729e-05 bytes=1024
transfer_s 4.9454e-05 bytes=1024
transfer_s 3.8793e-05 bytes=2048
transfer_s 5.5265e-05 bytes=2048
transfer_s 8.0041e-05 bytes=2048
transfer_s 3.8774e-05 bytes=2048
transfer_s 3.8954e-05 bytes=2048
transfer_s 3.8944e-05 bytes=4096
transfer_s 3.8904e-05 bytes=4096
transfer_s 3.8604e-05 bytes=4096
transfer_s 5.2099e-05 bytes=4096
transfer_s 4.2821e-05 bytes=4096
transfer_s 7.6935e-05 bytes=8192
transfer_s 0.000982924 bytes=8192
transfer_s 0.000163209 bytes=8192
transfer_s 4.0006e-05 bytes=8192
transfer_s 3.9906e-05 bytes=8192
transfer_s 3.4496e-05 bytes=16384
transfer_s 3.8844e-05 bytes=16384
transfer_s 3.8934e-05 bytes=16384
transfer_s 7.6995e-05 bytes=16384
transfer_s 3.9224e-05 bytes=16384
transfer_s 4.6699e-05 bytes=32768
transfer_s 4.225e-05 bytes=32768
transfer_s 4.202e-05 bytes=32768
transfer_s 4.1359e-05 bytes=32768
transfer_s 4.1699e-05 bytes=32768
transfer_s 4.6939e-05 bytes=65536
transfer_s 4.8312e-05 bytes=65536
transfer_s 4.3903e-05 bytes=65536
transfer_s 4.6989e-05 bytes=65536
transfer_s 5.5054e-05 bytes=65536
transfer_s 6.7127e-05 bytes=131072
transfer_s 6.0214e-05 bytes=131072
transfer_s 0.000101773 bytes=131072
transfer_s 5.2229e-05 bytes=131072
transfer_s 5.3501e-05 bytes=131072
transfer_s 6.8851e-05 bytes=262144
transfer_s 6.4623e-05 bytes=262144
transfer_s 6.5033e-05 bytes=262144
transfer_s 6.8219e-05 bytes=262144
transfer_s 6.4703e-05 bytes=262144
transfer_s 0.000127282 bytes=524288
transfer_s 9.2486e-05 bytes=524288
transfer_s 9.5181e-05 bytes=524288
transfer_s 8.3518e-05 bytes=524288
transfer_s 9.2685e-05 bytes=524288
transfer_s 0.000189148 bytes=1048576
transfer_s 0.000133774 bytes=1048576
transfer_s 0.000150385 bytes=1048576
transfer_s 0.000122673 bytes=1048576
transfer_s 0.000378508 bytes=1048576
transfer_s 0.000732399 bytes=2097152
transfer_s 0.00056407 bytes=2097152
transfer_s 0.000356828 bytes=2097152
transfer_s 0.000383969 bytes=2097152
transfer_s 0.000593075 bytes=2097152
transfer_s 0.000995869 bytes=4194304
transfer_s 0.001208022 bytes=4194304
transfer_s 0.001031646 bytes=4194304
transfer_s 0.00085369 bytes=4194304
transfer_s 0.000800178 bytes=4194304
transfer_s 0.00174965 bytes=4993696
transfer_s 0.001614834 bytes=4993696
transfer_s 0.001775658 bytes=4993696
transfer_s 0.001746102 bytes=4993696
transfer_s 0.000967896 bytes=4993696
transfer_s 0.000205158 bytes=444584
transfer_s 0.000197174 bytes=444584
transfer_s 0.000181384 bytes=444584
transfer_s 0.000181063 bytes=444584
transfer_s 0.000229025 bytes=444584
transfer_s 0.000132471 bytes=454952
transfer_s 0.000163961 bytes=454952
transfer_s 0.000203726 bytes=454952
transfer_s 0.000181744 bytes=454952
transfer_s 0.000139254 bytes=454952
