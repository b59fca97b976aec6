#!/usr/bin/env python3
"""t_grad of a dlscale network in PyTorch: the model is built from the layer list that
`dlscale-grad-probe NETWORK --layers-json` prints (the probe's own network), its parameter
count is checked against dlscale's, and forward + loss + backward passes are timed like the
probe times them (warm-ups, then timed passes; the median is printed).

usage: torch_grad.py LAYERS_JSON --batch B --threads T --warmup W --repeat R
prints: parameters P
        t_grad_median_s S
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn


def pool_ceil_mode(L):
    """Whether the description's output size needs PyTorch's ceil_mode."""
    k, s, p = L["kernel"][0], L["stride"], L["pad"][0]
    return (L["in"][1] + 2 * p - k) // s + 1 != L["out"][1]


class DlscaleNet(nn.Module):
    """The layer DAG in model order; outputs are kept by name for later layers."""

    def __init__(self, layers):
        super().__init__()
        self.layers = layers
        consumers = {}
        for L in layers:
            for name in L["inputs"]:
                consumers[name] = consumers.get(name, 0) + 1
        self.mods = nn.ModuleList()
        for L in layers:
            kind, cin = L["kind"], L["in"][0]
            if kind == "conv":
                m = nn.Conv2d(cin, L["out"][0], tuple(L["kernel"]), L["stride"], tuple(L["pad"]),
                              groups=L["groups"], bias=L["bias"])
            elif kind == "fc":
                m = nn.Linear(cin * L["in"][1] * L["in"][2], L["out"][0], bias=L["bias"])
            elif kind == "maxpool":
                m = nn.MaxPool2d(L["kernel"][0], L["stride"], L["pad"][0], ceil_mode=pool_ceil_mode(L))
            elif kind == "avgpool":
                m = nn.AvgPool2d(L["kernel"][0], L["stride"], L["pad"][0], ceil_mode=pool_ceil_mode(L),
                                 count_include_pad=True)
            elif kind == "gavgpool":
                m = nn.AdaptiveAvgPool2d(1)
            elif kind == "batchnorm":
                m = nn.BatchNorm2d(cin)
            elif kind == "lrn":
                m = nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=1.0)
            elif kind == "relu":
                # In place where nothing else reads the input, as torchvision's models do.
                m = nn.ReLU(inplace=consumers.get(L["inputs"][0], 0) == 1)
            elif kind == "dropout":
                m = nn.Dropout(0.5)
            elif kind in ("input", "flatten", "softmax", "add", "concat"):
                m = nn.Identity()
            else:
                raise SystemExit(f"torch_grad.py: layer kind '{kind}' has no PyTorch equivalent here")
            self.mods.append(m)

    def forward(self, x, labels):
        out, loss = {}, 0
        for L, m in zip(self.layers, self.mods):
            kind = L["kind"]
            xs = [out[name] for name in L["inputs"]]
            if kind == "input":
                y = x
            elif kind == "fc" or kind == "flatten":
                y = m(torch.flatten(xs[0], 1))
            elif kind == "softmax":
                y = xs[0]
                loss = loss + F.cross_entropy(torch.flatten(y, 1), labels)
            elif kind == "add":
                y = xs[0]
                for other in xs[1:]:
                    y = y + other
            elif kind == "concat":
                y = torch.cat(xs, 1)
            else:
                y = m(xs[0])
            out[L["name"]] = y
        return loss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("layers_json")
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=10)
    a = ap.parse_args()
    with open(a.layers_json) as f:
        desc = json.load(f)
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = DlscaleNet(desc["layers"]).train()
    params = sum(p.numel() for p in model.parameters())
    if params != desc["parameters"]:
        sys.exit(f"torch_grad.py: {desc['network']}: PyTorch model has {params} parameters, "
                 f"dlscale {desc['parameters']}: the networks differ")
    first = desc["layers"][0]
    x = torch.rand(a.batch, *first["out"]) * 2 - 1
    classes = next(L["in"][0] * L["in"][1] * L["in"][2] for L in desc["layers"] if L["kind"] == "softmax")
    labels = torch.arange(a.batch) % classes
    samples = []
    for r in range(a.warmup + a.repeat):
        for p in model.parameters():
            p.grad = None  # as optimizer.zero_grad(set_to_none=True)
        t0 = time.perf_counter()
        model(x, labels).backward()
        if r >= a.warmup:
            samples.append(time.perf_counter() - t0)
    print(f"parameters {params}")
    print(f"threads {torch.get_num_threads()}")
    print(f"t_grad_median_s {statistics.median(samples)}")


if __name__ == "__main__":
    main()
