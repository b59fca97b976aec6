format_version 1
name dev-vm-cpu-loopback
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
command build/calibrate/profile/dlscale-calibrate --networks MNIST-MLP,CIFAR10-CNN,SqueezeNet --threads 1 --name dev-vm-cpu-loopback --out /tmp/dev-vm-cpu-loopback.profile
date 2026-11-29T22:02:27Z

[rates]
batch_size 32 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, pooled over MNIST-MLP, CIFAR10-CNN, SqueezeNet"
conv 24439301659.679436
fc 27450000326.43255
maxpool 28685600.727880236
gavgpool 7522757.222170177
relu 730493958.8635118
dropout 27738863.819413655
concat 754345694.1337779
softmax 186465804.60508838
flatten 1155623738.1084633

[network MNIST-MLP]
t_grad_s 0.000278665 batch=32 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 0.0002674-0.0003467 s)"
t_grad_s 0.0002082785 batch=16 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 0.0001846-0.004314 s)"
t_grad_s 0.00016994200000000002 batch=8 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 0.0001493-0.0002565 s)"
t_grad_s 0.00012562899999999999 batch=4 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 0.0001231-0.0001491 s)"
t_comm_s 0.000190555 origin=measured source="one-way TCP of the 444584 fp32 weight bytes, median of 5"
grad_sample_s 0.000279932 batch=32
grad_sample_s 0.000289911 batch=32
grad_sample_s 0.00027861 batch=32
grad_sample_s 0.000271576 batch=32
grad_sample_s 0.000272449 batch=32
grad_sample_s 0.000281946 batch=32
grad_sample_s 0.000270454 batch=32
grad_sample_s 0.000267388 batch=32
grad_sample_s 0.000346737 batch=32
grad_sample_s 0.00027872 batch=32
grad_sample_s 0.00019307 batch=16
grad_sample_s 0.000207177 batch=16
grad_sample_s 0.000211775 batch=16
grad_sample_s 0.000206395 batch=16
grad_sample_s 0.000210112 batch=16
grad_sample_s 0.00020938 batch=16
grad_sample_s 0.00018746 batch=16
grad_sample_s 0.004314307 batch=16
grad_sample_s 0.000262599 batch=16
grad_sample_s 0.000184614 batch=16
grad_sample_s 0.000256489 batch=8
grad_sample_s 0.00020401 batch=8
grad_sample_s 0.000173684 batch=8
grad_sample_s 0.000169156 batch=8
grad_sample_s 0.000168435 batch=8
grad_sample_s 0.000170728 batch=8
grad_sample_s 0.000176939 batch=8
grad_sample_s 0.00016099 batch=8
grad_sample_s 0.000154649 batch=8
grad_sample_s 0.000149318 batch=8
grad_sample_s 0.000141213 batch=4
grad_sample_s 0.000126897 batch=4
grad_sample_s 0.000125173 batch=4
grad_sample_s 0.000123239 batch=4
grad_sample_s 0.000126085 batch=4
grad_sample_s 0.000124763 batch=4
grad_sample_s 0.0001232 batch=4
grad_sample_s 0.000149138 batch=4
grad_sample_s 0.000136625 batch=4
grad_sample_s 0.00012306 batch=4

[network CIFAR10-CNN]
t_grad_s 0.057203203 batch=32 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 0.05254-0.06258 s)"
t_grad_s 0.0277526205 batch=16 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 0.02626-0.03301 s)"
t_grad_s 0.0138063275 batch=8 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 0.0133-0.01825 s)"
t_grad_s 0.0086795295 batch=4 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 0.004644-0.008876 s)"
t_comm_s 0.000189945 origin=measured source="one-way TCP of the 454952 fp32 weight bytes, median of 5"
grad_sample_s 0.05628774 batch=32
grad_sample_s 0.054854797 batch=32
grad_sample_s 0.059921799 batch=32
grad_sample_s 0.053358647 batch=32
grad_sample_s 0.058118666 batch=32
grad_sample_s 0.060408086 batch=32
grad_sample_s 0.052537746 batch=32
grad_sample_s 0.06100025 batch=32
grad_sample_s 0.054224983 batch=32
grad_sample_s 0.062580056 batch=32
grad_sample_s 0.027171221 batch=16
grad_sample_s 0.030655631 batch=16
grad_sample_s 0.027943482 batch=16
grad_sample_s 0.026258298 batch=16
grad_sample_s 0.027328494 batch=16
grad_sample_s 0.033009751 batch=16
grad_sample_s 0.026259791 batch=16
grad_sample_s 0.029246382 batch=16
grad_sample_s 0.027561759 batch=16
grad_sample_s 0.03030164 batch=16
grad_sample_s 0.013305177 batch=8
grad_sample_s 0.013304546 batch=8
grad_sample_s 0.015034704 batch=8
grad_sample_s 0.013961691 batch=8
grad_sample_s 0.018245282 batch=8
grad_sample_s 0.014980682 batch=8
grad_sample_s 0.013950532 batch=8
grad_sample_s 0.01353709 batch=8
grad_sample_s 0.013454716 batch=8
grad_sample_s 0.013662123 batch=8
grad_sample_s 0.004725053 batch=4
grad_sample_s 0.00887299 batch=4
grad_sample_s 0.004644163 batch=4
grad_sample_s 0.008741334 batch=4
grad_sample_s 0.00887284 batch=4
grad_sample_s 0.004897916 batch=4
grad_sample_s 0.008712441 batch=4
grad_sample_s 0.00472868 batch=4
grad_sample_s 0.008875826 batch=4
grad_sample_s 0.008646618 batch=4

[network SqueezeNet]
t_grad_s 4.358363098 batch=32 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 2.787-4.889 s)"
t_grad_s 2.193925766 batch=16 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 2.088-2.336 s)"
t_grad_s 0.9652888755 batch=8 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 0.9378-1.141 s)"
t_grad_s 0.472852674 batch=4 origin=measured source="CPU oneDNN 2.6.3 fp32, threads 1, median of 10 after 3 warm-up (range 0.4525-0.5029 s)"
t_comm_s 0.001941831 origin=measured source="one-way TCP of the 4993696 fp32 weight bytes, median of 5"
grad_sample_s 2.78665619 batch=32
grad_sample_s 4.244133551 batch=32
grad_sample_s 4.680195053 batch=32
grad_sample_s 4.889456686 batch=32
grad_sample_s 4.624927957 batch=32
grad_sample_s 4.14322596 batch=32
grad_sample_s 3.932069199 batch=32
grad_sample_s 4.472592645 batch=32
grad_sample_s 4.638366754 batch=32
grad_sample_s 4.10248186 batch=32
grad_sample_s 2.308350285 batch=16
grad_sample_s 2.088125754 batch=16
grad_sample_s 2.241241191 batch=16
grad_sample_s 2.12739487 batch=16
grad_sample_s 2.185703009 batch=16
grad_sample_s 2.202148523 batch=16
grad_sample_s 2.309077646 batch=16
grad_sample_s 2.335838969 batch=16
grad_sample_s 2.098311492 batch=16
grad_sample_s 2.161620629 batch=16
grad_sample_s 1.140937201 batch=8
grad_sample_s 1.137495581 batch=8
grad_sample_s 1.006652979 batch=8
grad_sample_s 0.968373931 batch=8
grad_sample_s 0.949257539 batch=8
grad_sample_s 0.94759915 batch=8
grad_sample_s 0.937779393 batch=8
grad_sample_s 0.941308314 batch=8
grad_sample_s 0.96220382 batch=8
grad_sample_s 0.983413211 batch=8
grad_sample_s 0.502892355 batch=4
grad_sample_s 0.452464935 batch=4
grad_sample_s 0.477951073 batch=4
grad_sample_s 0.45934072 batch=4
grad_sample_s 0.454840917 batch=4
grad_sample_s 0.470241504 batch=4
grad_sample_s 0.458375961 batch=4
grad_sample_s 0.490132575 batch=4
grad_sample_s 0.484072011 batch=4
grad_sample_s 0.475463844 batch=4

[link tcp]
alpha_s 3.5826041825510874e-05 origin=fitted source="dlscale-calibrate: one-way TCP to 127.0.0.1:42219, least squares over 16 sizes, BAD FIT (a residual above 10 %)"
beta_Bps 4058203531.4147954 origin=fitted source="dlscale-calibrate: one-way TCP to 127.0.0.1:42219, least squares over 16 sizes, BAD FIT (a residual above 10 %)"
max_relative_residual 0.4095465464779078
transfer_s 0.001934127 bytes=1024
transfer_s 4.0215e-05 bytes=1024
transfer_s 3.8712e-05 bytes=1024
transfer_s 3.8592e-05 bytes=1024
transfer_s 3.8492e-05 bytes=1024
transfer_s 3.8662e-05 bytes=2048
transfer_s 3.8602e-05 bytes=2048
transfer_s 3.8452e-05 bytes=2048
transfer_s 3.8372e-05 bytes=2048
transfer_s 3.8692e-05 bytes=2048
transfer_s 3.8693e-05 bytes=4096
transfer_s 3.9022e-05 bytes=4096
transfer_s 3.8732e-05 bytes=4096
transfer_s 3.8842e-05 bytes=4096
transfer_s 3.8752e-05 bytes=4096
transfer_s 3.9013e-05 bytes=8192
transfer_s 3.9213e-05 bytes=8192
transfer_s 3.9013e-05 bytes=8192
transfer_s 3.9033e-05 bytes=8192
transfer_s 3.8983e-05 bytes=8192
transfer_s 4.6146e-05 bytes=16384
transfer_s 3.9814e-05 bytes=16384
transfer_s 3.9574e-05 bytes=16384
transfer_s 3.9623e-05 bytes=16384
transfer_s 3.9223e-05 bytes=16384
transfer_s 4.3932e-05 bytes=32768
transfer_s 3.6739e-05 bytes=32768
transfer_s 4.1257e-05 bytes=32768
transfer_s 4.2079e-05 bytes=32768
transfer_s 3.6317e-05 bytes=32768
transfer_s 5.347e-05 bytes=65536
transfer_s 4.4884e-05 bytes=65536
transfer_s 5.0976e-05 bytes=65536
transfer_s 5.1225e-05 bytes=65536
transfer_s 4.3211e-05 bytes=65536
transfer_s 7.0832e-05 bytes=131072
transfer_s 6.0834e-05 bytes=131072
transfer_s 6.2817e-05 bytes=131072
transfer_s 5.4702e-05 bytes=131072
transfer_s 6.0413e-05 bytes=131072
transfer_s 9.0579e-05 bytes=262144
transfer_s 8.9547e-05 bytes=262144
transfer_s 8.4468e-05 bytes=262144
transfer_s 8.8325e-05 bytes=262144
transfer_s 8.7353e-05 bytes=262144
transfer_s 0.000140652 bytes=524288
transfer_s 0.000124272 bytes=524288
transfer_s 0.00011799 bytes=524288
transfer_s 0.000141985 bytes=524288
transfer_s 0.000138688 bytes=524288
transfer_s 0.000243785 bytes=1048576
transfer_s 0.000242302 bytes=1048576
transfer_s 0.00024141 bytes=1048576
transfer_s 0.000220732 bytes=1048576
transfer_s 0.000217275 bytes=1048576
transfer_s 0.000545578 bytes=2097152
transfer_s 0.000491407 bytes=2097152
transfer_s 0.000457393 bytes=2097152
transfer_s 0.000489182 bytes=2097152
transfer_s 0.000559954 bytes=2097152
transfer_s 0.000983485 bytes=4194304
transfer_s 0.001271401 bytes=4194304
transfer_s 0.004761351 bytes=4194304
transfer_s 0.002449579 bytes=4194304
transfer_s 0.001811088 bytes=4194304
transfer_s 0.005677369 bytes=4993696
transfer_s 0.00183936 bytes=4993696
transfer_s 0.001941831 bytes=4993696
transfer_s 0.001821597 bytes=4993696
transfer_s 0.005971959 bytes=4993696
transfer_s 0.000190555 bytes=444584
transfer_s 0.000252441 bytes=444584
transfer_s 0.000193841 bytes=444584
transfer_s 0.000180256 bytes=444584
transfer_s 0.000175868 bytes=444584
transfer_s 0.000183021 bytes=454952
transfer_s 0.000189945 bytes=454952
transfer_s 0.000190836 bytes=454952
transfer_s 0.000191066 bytes=454952
transfer_s 0.000183251 bytes=454952
