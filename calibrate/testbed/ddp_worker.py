#!/usr/bin/python3
"""One rank of a PyTorch DistributedDataParallel training over gloo on the emulated cluster.

The model is dlscale's MNIST-MLP (784-128-64-32-10, 111,146 parameters, its real gradients);
each linear layer's compute is emulated by sleeping, so that many ranks fit on 2 cores:
forward sleeps T_GRAD/3 and backward 2 T_GRAD/3, shared over the layers in proportion to their
weights (multiply-adds of a fully connected layer). The sleeping backward of each layer runs
while DDP already all-reduces the buckets of the layers after it: overlap as DDP does it.

usage: ddp_worker.py RANK WORLD MASTER_ADDR PORT T_GRAD_S BUCKET_MB ITERS WARMUP
Rank 0 prints: t_iter_p50_s,t_iter_p90_s,repeats (nearest-rank percentiles of its iterations,
each started after a barrier).
"""
import math
import sys
import time

import torch
import torch.distributed as dist
import torch.nn as nn

LAYERS = [(784, 128), (128, 64), (64, 32), (32, 10)]


class SleepFor(torch.autograd.Function):
    """Identity whose forward and backward each take a set time: emulated compute."""

    @staticmethod
    def forward(ctx, x, forward_s, backward_s):
        ctx.backward_s = backward_s
        time.sleep(forward_s)
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        time.sleep(ctx.backward_s)
        return grad, None, None


class SleepingMlp(nn.Module):
    def __init__(self, t_grad):
        super().__init__()
        self.fcs = nn.ModuleList([nn.Linear(i, o) for i, o in LAYERS])
        weights = [i * o for i, o in LAYERS]
        self.shares = [w / sum(weights) for w in weights]
        self.t_grad = t_grad

    def forward(self, x):
        x = x.flatten(1)
        for k, (fc, share) in enumerate(zip(self.fcs, self.shares)):
            x = SleepFor.apply(fc(x), self.t_grad / 3 * share, 2 * self.t_grad / 3 * share)
            if k + 1 < len(self.fcs):
                x = torch.relu(x)
        return x


def nearest_rank(values, q):
    v = sorted(values)
    return v[min(max(math.ceil(q * len(v)), 1), len(v)) - 1]


def main():
    if len(sys.argv) != 9:
        sys.exit(__doc__)
    rank, world = int(sys.argv[1]), int(sys.argv[2])
    master, port = sys.argv[3], int(sys.argv[4])
    t_grad, bucket_mb = float(sys.argv[5]), float(sys.argv[6])
    iters, warmup = int(sys.argv[7]), int(sys.argv[8])
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://{master}:{port}", rank=rank,
                            world_size=world)
    torch.manual_seed(1)
    model = nn.parallel.DistributedDataParallel(SleepingMlp(t_grad), bucket_cap_mb=bucket_mb)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.randn(32, 1, 28, 28)
    y = torch.randint(0, 10, (32,))
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for it in range(warmup + iters):
        dist.barrier()
        t0 = time.perf_counter()
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
        if it >= warmup:
            times.append(time.perf_counter() - t0)
    if rank == 0:
        print(f"{nearest_rank(times, 0.5):.9g},{nearest_rank(times, 0.9):.9g},{len(times)}",
              flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
