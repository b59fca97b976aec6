#!/usr/bin/python3
"""Exports the ONNX test models with Debian's python3-torch (optional; not in build.sh).

usage: export_models.py OUT_DIR [--full]

Writes OUT_DIR/<model>.onnx and OUT_DIR/torch_params.txt (`<model> <sum(p.numel())>`, as
torch counts it). Without --full, models above 200,000 parameters keep their weight
tensors' names and shapes but not their values: the tensors are declared as external data
in a file that is not written, which is what `dlscale` reads anyway (shapes, not values),
and keeps the committed files at a few kB. With --full every weight is stored inline.

The architectures are written out here (no torchvision) after the papers and torchvision's
layouts, so that their counts can be compared with data/networks/*.net:
  mlp_mnist   784-128-64-32-10 (data/networks/mlp_mnist.net), input 1x28x28, dynamic batch
  squeezenet  SqueezeNet 1.0 (data/networks/squeezenet.net), input 3x224x224
  resnet18    ResNet-18 (He et al. 2016, torchvision resnet18), input 3x224x224
  transformer a 2-layer Transformer encoder (torch.nn.TransformerEncoder, d_model 64,
              4 heads, feed-forward 128, GELU) over 32 tokens of a 1000-word vocabulary,
              learned positions, mean pooling, 10 classes
Exported in training mode: in eval mode torch folds each BatchNormalization into the
convolution before it, and the file would then hold conv biases instead of BN's gamma and
beta (what dlscale counts is what the file holds). Debian's torch lives in /usr/bin/python3.
Exit 77 when torch is missing (the test harness's "skip").
"""
import os
import sys

try:
    import torch
    from torch import nn
except ImportError:
    print("export_models.py: python3-torch is not installed (apt-get install python3-torch)",
          file=sys.stderr)
    sys.exit(77)

OPSET = 17  # LayerNormalization exists from 17; torch 1.13 exports up to 17


def mlp_mnist():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64),
                         nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10),
                         nn.Softmax(dim=1))


class Fire(nn.Module):
    def __init__(self, cin, s, e1, e3):
        super().__init__()
        self.squeeze = nn.Sequential(nn.Conv2d(cin, s, 1), nn.ReLU())
        self.expand1x1 = nn.Sequential(nn.Conv2d(s, e1, 1), nn.ReLU())
        self.expand3x3 = nn.Sequential(nn.Conv2d(s, e3, 3, padding=1), nn.ReLU())

    def forward(self, x):
        x = self.squeeze(x)
        return torch.cat([self.expand1x1(x), self.expand3x3(x)], 1)


def squeezenet():
    pool = lambda: nn.MaxPool2d(3, 2, ceil_mode=True)
    return nn.Sequential(
        nn.Conv2d(3, 96, 7, stride=2), nn.ReLU(), pool(),
        Fire(96, 16, 64, 64), Fire(128, 16, 64, 64), Fire(128, 32, 128, 128), pool(),
        Fire(256, 32, 128, 128), Fire(256, 48, 192, 192), Fire(384, 48, 192, 192),
        Fire(384, 64, 256, 256), pool(), Fire(512, 64, 256, 256),
        nn.Dropout(0.5), nn.Conv2d(512, 1000, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        nn.Flatten(), nn.Softmax(dim=1))


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.skip = nn.Identity()
        if stride != 1 or cin != cout:
            self.skip = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                      nn.BatchNorm2d(cout))

    def forward(self, x):
        return torch.relu(self.body(x) + self.skip(x))


def resnet18():
    stages, cin = [], 64
    for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
        stages += [Basic(cin, cout, stride), Basic(cout, cout, 1)]
        cin = cout
    return nn.Sequential(
        nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
        nn.MaxPool2d(3, 2, 1), *stages, nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(512, 1000))


class Encoder(nn.Module):
    def __init__(self, vocab=1000, tokens=32, d=64, heads=4, ff=128, layers=2, classes=10):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.position = nn.Parameter(torch.zeros(1, tokens, d))
        layer = nn.TransformerEncoderLayer(d, heads, ff, dropout=0.1, activation="gelu",
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(d, classes)

    def forward(self, ids):
        return self.head(self.encoder(self.embed(ids) + self.position).mean(dim=1))


MODELS = {  # name: (constructor, example input, dynamic batch)
    "mlp_mnist": (mlp_mnist, lambda: torch.randn(1, 1, 28, 28), True),
    "squeezenet": (squeezenet, lambda: torch.randn(1, 3, 224, 224), False),
    "resnet18": (resnet18, lambda: torch.randn(1, 3, 224, 224), False),
    "transformer": (Encoder, lambda: torch.randint(0, 1000, (1, 32)), False),
}


def strip_weights(path, name):
    """Declares the weights as external data in a file that is not written (shapes kept)."""
    try:
        import onnx  # python3-onnx
    except ImportError:
        print(f"{path}: python3-onnx is not installed; weights kept inline", file=sys.stderr)
        return
    model = onnx.load(path)
    for t in model.graph.initializer:
        if t.data_type != onnx.TensorProto.FLOAT or len(t.raw_data) < 1024:
            continue  # keep small and integer tensors (shape constants) inline
        t.ClearField("raw_data")
        t.data_location = onnx.TensorProto.EXTERNAL
        for key, value in (("location", name + ".weights (not shipped)"),):
            entry = t.external_data.add()
            entry.key, entry.value = key, value
    onnx.save(model, path)


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    out, full = sys.argv[1], "--full" in sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    counts = []
    for name, (make, example, dynamic) in MODELS.items():
        model = make().eval()
        params = sum(p.numel() for p in model.parameters())
        path = os.path.join(out, name + ".onnx")
        axes = {"input": {0: "batch"}, "output": {0: "batch"}} if dynamic else None
        torch.onnx.export(model, (example(),), path, opset_version=OPSET,
                          input_names=["input"], output_names=["output"], dynamic_axes=axes,
                          training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)
        if not full and params > 200_000:
            strip_weights(path, name)
        counts.append(f"{name} {params}\n")
        print(f"{path}: {params} parameters, {os.path.getsize(path)} bytes")
    with open(os.path.join(out, "torch_params.txt"), "w") as f:
        f.write("# model, sum(p.numel()) over model.parameters() (python3-torch "
                f"{torch.__version__}), written by tests/onnx/export_models.py\n")
        f.writelines(counts)


if __name__ == "__main__":
    main()
