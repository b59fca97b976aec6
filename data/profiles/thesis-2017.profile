format_version 1
name thesis-2017
hardware GTX 970 4 GB per node, Intel Core i5-4460, 8 GB RAM, 1 Gbit/s full-duplex Ethernet, CentOS 6, Python 3.6, TensorFlow 1.1
source Thesis (Brno 2017) table 6.1: mean times measured in sequential training, D = 128 batches, Caltech-256 at 224x224

# The thesis does not state its batch size, so the t_grad_s lines carry no batch=.
# Every network was trained on Caltech-256, hence 256 classes (thesis 5.2.2).

[network VGG16E]
param classes 256
t_grad_s 0.719  origin=measured source="thesis table 6.1"
t_comm_s 5.153  origin=measured source="thesis table 6.1"

[network GoogLeNet]
param classes 256
t_grad_s 0.763  origin=measured source="thesis table 6.1"
t_comm_s 0.210  origin=measured source="thesis table 6.1"

[network SqueezeNet]
param classes 256
t_grad_s 0.758  origin=measured source="thesis table 6.1"
t_comm_s 0.033  origin=measured source="thesis table 6.1"

[network ResNet34]
param classes 256
t_grad_s 0.821  origin=measured source="thesis table 6.1"
t_comm_s 0.811  origin=measured source="thesis table 6.1"
