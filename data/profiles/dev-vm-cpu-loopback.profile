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
cudnn 9.19.0
nccl 2.28.9
command build/calibrate/profile/dlscale-calibrate --networks MNIST-MLP,CIFAR10-CNN,SqueezeNet --threads 1 --name dev-vm-cpu-loopback --out /tmp/dev-vm-cpu-loopback.profile
date 2026-11-24T23:47:42Z

[rates]
batch_size 32 origin=measured source="CPU Eigen fp32, threads 1, pooled over MNIST-MLP, CIFAR10-CNN, SqueezeNet"
conv 14577255729.015104
fc 17014695735.747887
maxpool 106496971.58967336
gavgpool 13776470.735116785
relu 751631294.6824094
dropout 46420595.52313589
concat 1340263017.029116
softmax 238747453.6165046
flatten 2175324459.786902

[network MNIST-MLP]
t_grad_s 0.0005768695 batch=32 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 0.000454-0.0007435 s)"
t_grad_s 0.000358956 batch=16 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 0.0002431-0.0005097 s)"
t_grad_s 0.0002011715 batch=8 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 0.0001759-0.000242 s)"
t_grad_s 7.58245e-05 batch=4 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 7.398e-05-0.0001201 s)"
t_comm_s 0.000117123 origin=measured source="one-way TCP of the 444584 fp32 weight bytes, median of 5"
grad_sample_s 0.000709175 batch=32
grad_sample_s 0.000585061 batch=32
grad_sample_s 0.000726719 batch=32
grad_sample_s 0.000551636 batch=32
grad_sample_s 0.000584499 batch=32
grad_sample_s 0.000743451 batch=32
grad_sample_s 0.00056924 batch=32
grad_sample_s 0.000544533 batch=32
grad_sample_s 0.000453951 batch=32
grad_sample_s 0.000523242 batch=32
grad_sample_s 0.000411571 batch=16
grad_sample_s 0.000298395 batch=16
grad_sample_s 0.000433863 batch=16
grad_sample_s 0.000509727 batch=16
grad_sample_s 0.000346938 batch=16
grad_sample_s 0.000411371 batch=16
grad_sample_s 0.000370974 batch=16
grad_sample_s 0.000319736 batch=16
grad_sample_s 0.00025865 batch=16
grad_sample_s 0.000243141 batch=16
grad_sample_s 0.0001791 batch=8
grad_sample_s 0.000220349 batch=8
grad_sample_s 0.000203265 batch=8
grad_sample_s 0.000175894 batch=8
grad_sample_s 0.000176404 batch=8
grad_sample_s 0.000227182 batch=8
grad_sample_s 0.000231439 batch=8
grad_sample_s 0.000176105 batch=8
grad_sample_s 0.000241979 batch=8
grad_sample_s 0.000199078 batch=8
grad_sample_s 7.5694e-05 batch=4
grad_sample_s 0.000106932 batch=4
grad_sample_s 7.5955e-05 batch=4
grad_sample_s 0.000106792 batch=4
grad_sample_s 7.6125e-05 batch=4
grad_sample_s 0.000120128 batch=4
grad_sample_s 7.4561e-05 batch=4
grad_sample_s 7.398e-05 batch=4
grad_sample_s 7.5352e-05 batch=4
grad_sample_s 7.4211e-05 batch=4

[network CIFAR10-CNN]
t_grad_s 0.07311064049999999 batch=32 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 0.07117-0.07544 s)"
t_grad_s 0.0362278195 batch=16 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 0.03607-0.03661 s)"
t_grad_s 0.017889549 batch=8 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 0.01753-0.01798 s)"
t_grad_s 0.0088329675 batch=4 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 0.008693-0.009147 s)"
t_comm_s 0.000175052 origin=measured source="one-way TCP of the 454952 fp32 weight bytes, median of 5"
grad_sample_s 0.071174849 batch=32
grad_sample_s 0.071666872 batch=32
grad_sample_s 0.071368116 batch=32
grad_sample_s 0.071774206 batch=32
grad_sample_s 0.073595341 batch=32
grad_sample_s 0.073126661 batch=32
grad_sample_s 0.075437245 batch=32
grad_sample_s 0.073337512 batch=32
grad_sample_s 0.073638153 batch=32
grad_sample_s 0.07309462 batch=32
grad_sample_s 0.036161453 batch=16
grad_sample_s 0.036286822 batch=16
grad_sample_s 0.036120406 batch=16
grad_sample_s 0.036245824 batch=16
grad_sample_s 0.036209815 batch=16
grad_sample_s 0.036068808 batch=16
grad_sample_s 0.03637069 batch=16
grad_sample_s 0.036612338 batch=16
grad_sample_s 0.036516257 batch=16
grad_sample_s 0.036116327 batch=16
grad_sample_s 0.017905048 batch=8
grad_sample_s 0.017981604 batch=8
grad_sample_s 0.017898025 batch=8
grad_sample_s 0.017919666 batch=8
grad_sample_s 0.017748652 batch=8
grad_sample_s 0.017809327 batch=8
grad_sample_s 0.017924195 batch=8
grad_sample_s 0.017881073 batch=8
grad_sample_s 0.017678739 batch=8
grad_sample_s 0.017529786 batch=8
grad_sample_s 0.008693172 batch=4
grad_sample_s 0.008835963 batch=4
grad_sample_s 0.008978042 batch=4
grad_sample_s 0.008803322 batch=4
grad_sample_s 0.008888202 batch=4
grad_sample_s 0.008829972 batch=4
grad_sample_s 0.009146693 batch=4
grad_sample_s 0.008857335 batch=4
grad_sample_s 0.008816756 batch=4
grad_sample_s 0.008768967 batch=4

[network SqueezeNet]
t_grad_s 6.114641633 batch=32 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 5.175-10.57 s)"
t_grad_s 2.8576925705000003 batch=16 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 2.542-3.044 s)"
t_grad_s 1.486215428 batch=8 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 1.246-1.661 s)"
t_grad_s 0.6157363245 batch=4 origin=measured source="CPU Eigen fp32, threads 1, median of 10 after 3 warm-up (range 0.6068-0.6268 s)"
t_comm_s 0.001585127 origin=measured source="one-way TCP of the 4993696 fp32 weight bytes, median of 5"
grad_sample_s 5.332693411 batch=32
grad_sample_s 6.346672904 batch=32
grad_sample_s 10.571291368 batch=32
grad_sample_s 10.010549642 batch=32
grad_sample_s 10.337889061 batch=32
grad_sample_s 9.559071011 batch=32
grad_sample_s 5.882610362 batch=32
grad_sample_s 5.414377247 batch=32
grad_sample_s 5.275454581 batch=32
grad_sample_s 5.175312967 batch=32
grad_sample_s 2.675272483 batch=16
grad_sample_s 2.904375775 batch=16
grad_sample_s 2.568852749 batch=16
grad_sample_s 2.541788856 batch=16
grad_sample_s 2.626848587 batch=16
grad_sample_s 2.959115826 batch=16
grad_sample_s 2.851497939 batch=16
grad_sample_s 2.863887202 batch=16
grad_sample_s 3.044000112 batch=16
grad_sample_s 2.923935233 batch=16
grad_sample_s 1.660701147 batch=8
grad_sample_s 1.441135339 batch=8
grad_sample_s 1.611029202 batch=8
grad_sample_s 1.618055502 batch=8
grad_sample_s 1.590840802 batch=8
grad_sample_s 1.473546959 batch=8
grad_sample_s 1.498883897 batch=8
grad_sample_s 1.307368504 batch=8
grad_sample_s 1.269585986 batch=8
grad_sample_s 1.245964523 batch=8
grad_sample_s 0.61417619 batch=4
grad_sample_s 0.61405992 batch=4
grad_sample_s 0.619354134 batch=4
grad_sample_s 0.606774126 batch=4
grad_sample_s 0.622981365 batch=4
grad_sample_s 0.616752157 batch=4
grad_sample_s 0.626794498 batch=4
grad_sample_s 0.613932567 batch=4
grad_sample_s 0.614720492 batch=4
grad_sample_s 0.625089735 batch=4

[link tcp]
alpha_s 4.160756563251241e-05 origin=fitted source="dlscale-calibrate: one-way TCP to 127.0.0.1:40963, least squares over 16 sizes, BAD FIT (a residual above 10 %)"
beta_Bps 5751838875.977427 origin=fitted source="dlscale-calibrate: one-way TCP to 127.0.0.1:40963, least squares over 16 sizes, BAD FIT (a residual above 10 %)"
max_relative_residual 0.7655234576773832
transfer_s 0.000210098 bytes=1024
transfer_s 0.000185592 bytes=1024
transfer_s 0.000178208 bytes=1024
transfer_s 4.5496e-05 bytes=1024
transfer_s 9.4549e-05 bytes=1024
transfer_s 4.5356e-05 bytes=2048
transfer_s 4.4084e-05 bytes=2048
transfer_s 4.265e-05 bytes=2048
transfer_s 4.4545e-05 bytes=2048
transfer_s 4.3984e-05 bytes=2048
transfer_s 4.3592e-05 bytes=4096
transfer_s 4.2581e-05 bytes=4096
transfer_s 4.2951e-05 bytes=4096
transfer_s 4.3082e-05 bytes=4096
transfer_s 4.3352e-05 bytes=4096
transfer_s 4.2401e-05 bytes=8192
transfer_s 4.2831e-05 bytes=8192
transfer_s 4.3843e-05 bytes=8192
transfer_s 4.3863e-05 bytes=8192
transfer_s 9.006e-05 bytes=8192
transfer_s 4.4885e-05 bytes=16384
transfer_s 4.4273e-05 bytes=16384
transfer_s 4.3602e-05 bytes=16384
transfer_s 4.4084e-05 bytes=16384
transfer_s 4.4144e-05 bytes=16384
transfer_s 4.5446e-05 bytes=32768
transfer_s 4.4514e-05 bytes=32768
transfer_s 4.5707e-05 bytes=32768
transfer_s 4.4484e-05 bytes=32768
transfer_s 4.5738e-05 bytes=32768
transfer_s 5.7099e-05 bytes=65536
transfer_s 5.4543e-05 bytes=65536
transfer_s 5.4354e-05 bytes=65536
transfer_s 4.9053e-05 bytes=65536
transfer_s 0.00011051 bytes=65536
transfer_s 6.0826e-05 bytes=131072
transfer_s 5.9883e-05 bytes=131072
transfer_s 5.8531e-05 bytes=131072
transfer_s 5.7881e-05 bytes=131072
transfer_s 0.000125309 bytes=131072
transfer_s 7.5002e-05 bytes=262144
transfer_s 7.5893e-05 bytes=262144
transfer_s 0.000130508 bytes=262144
transfer_s 7.5143e-05 bytes=262144
transfer_s 8.0653e-05 bytes=262144
transfer_s 9.6293e-05 bytes=524288
transfer_s 9.5481e-05 bytes=524288
transfer_s 0.000107685 bytes=524288
transfer_s 0.000160444 bytes=524288
transfer_s 0.00010033 bytes=524288
transfer_s 0.000183949 bytes=1048576
transfer_s 0.000203736 bytes=1048576
transfer_s 0.000167237 bytes=1048576
transfer_s 0.000155936 bytes=1048576
transfer_s 0.000143732 bytes=1048576
transfer_s 0.000374731 bytes=2097152
transfer_s 0.000780451 bytes=2097152
transfer_s 0.000896661 bytes=2097152
transfer_s 0.000994166 bytes=2097152
transfer_s 0.000855343 bytes=2097152
transfer_s 0.0016024 bytes=4194304
transfer_s 0.000652227 bytes=4194304
transfer_s 0.00130746 bytes=4194304
transfer_s 0.001072565 bytes=4194304
transfer_s 0.000570703 bytes=4194304
transfer_s 0.001537517 bytes=4993696
transfer_s 0.000999757 bytes=4993696
transfer_s 0.001585127 bytes=4993696
transfer_s 0.001685668 bytes=4993696
transfer_s 0.001808391 bytes=4993696
transfer_s 8.3619e-05 bytes=444584
transfer_s 0.000213896 bytes=444584
transfer_s 0.000117123 bytes=444584
transfer_s 0.000134435 bytes=444584
transfer_s 0.000113585 bytes=444584
transfer_s 0.000123745 bytes=454952
transfer_s 0.000139354 bytes=454952
transfer_s 0.000179541 bytes=454952
transfer_s 0.000193928 bytes=454952
transfer_s 0.000175052 bytes=454952
