#!/usr/bin/python3
"""Golden per-channel activation statistics of a synthesized ResNet18, from PyTorch forward hooks.

Regenerate (torch 1.13 / torchvision 0.14 from Debian; CI has neither, so the JSONs are committed):
  source /work/tools/env.sh
  node tests/reference/onnx_synth.ts /tmp/stats-synth18.onnx "$(cat tests/fixtures/goldens/stats-synth18.request.json)"
  /usr/bin/python3 tests/reference/stats_torch_golden.py /tmp/stats-synth18.onnx \
      tests/fixtures/goldens/stats-synth18.request.json tests/fixtures/goldens/stats-synth18-torch.json
  /usr/bin/python3 tests/reference/stats_torch_golden.py /tmp/stats-synth18.onnx \
      tests/fixtures/goldens/stats-synth18.request.json tests/fixtures/goldens/stats-synth18-fmnist64-torch.json \
      tests/fixtures/goldens/eval-fmnist-64

With the optional IDX folder, the images are the Fashion-MNIST t10k images in it, preprocessed by
train_fmnist.preprocess (the reference trainer's own code: pad 2, gray to RGB, (x - 0.286) / 0.353),
so the TypeScript side can run the whole statistics job (data loader included) on the same files.

torchvision's resnet18 gets the ONNX weights by name (onnx_torch_golden.load_weights). Hooks on
every block (layerS.B) and on avgpool (flattened: the ONNX graph's pooled features) keep the
float32 activations of all 16 images in one eval-mode forward pass; the statistics are then
taken in float64 over images and positions: mean, population std, max |x|, fraction of exact zeros.

The input is a formula both sides evaluate exactly in float64 before one rounding to float32, so
no tensor file is needed. For flat NCHW index i of a [16, 3, 32, 32] batch, image n = i // 3072:
  noise = ((i*i*7919 + i*104729) % 65521) / 32760.5 - 1
  x[i]  = noise * (0.5 + (n % 4) / 4) + ((n * 37) % 11) / 11 - 0.5
"""
import json
import sys

import os

import numpy as np
import torch
import torchvision

import train_fmnist
from onnx_torch_golden import load_weights, sha256_of

INPUT_DIMS = (16, 3, 32, 32)
NEAR_ZERO_BAND = 1e-5
STATISTICS = ("mean", "std", "maxAbs", "zeroFraction", "nearZeroFraction")
FORMULA = (
    "noise = ((i*i*7919 + i*104729) % 65521) / 32760.5 - 1; "
    "x = noise * (0.5 + (n % 4) / 4) + ((n * 37) % 11) / 11 - 0.5 with n = i // 3072"
)
COMMAND = (
    'node tests/reference/onnx_synth.ts /tmp/stats-synth18.onnx "$(cat tests/fixtures/goldens/stats-synth18.request.json)" && '
    "/usr/bin/python3 tests/reference/stats_torch_golden.py /tmp/stats-synth18.onnx "
    "tests/fixtures/goldens/stats-synth18.request.json tests/fixtures/goldens/stats-synth18-torch.json"
)


def formula_input():
    i = np.arange(int(np.prod(INPUT_DIMS)), dtype=np.int64)
    n = i // int(np.prod(INPUT_DIMS[1:]))
    noise = ((i * i * 7919 + i * 104729) % 65521) / 32760.5 - 1
    x = noise * (0.5 + (n % 4) / 4) + ((n * 37) % 11) / 11 - 0.5
    return x.astype(np.float32).reshape(INPUT_DIMS)


def fmnist_input(folder):
    images = train_fmnist.read_idx(os.path.join(folder, "t10k-images-idx3-ubyte.gz"))
    with torch.no_grad():
        return train_fmnist.preprocess(torch.from_numpy(images.copy())).numpy()


def hooked_modules(network):
    """Layer key → module whose output is the tap: every block, then the pooled features."""
    modules = {}
    for stage in range(1, 5):
        for index, block in enumerate(getattr(network, f"layer{stage}")):
            modules[f"layer{stage}.{index}"] = block
    modules["pooled"] = network.avgpool
    return modules


def channel_statistics(activation):
    """float64 statistics per channel (axis 1) over every other axis.

    nearZeroFraction counts values with 0 < |x| <= NEAR_ZERO_BAND * (the tap's max |x|): ReLU
    outputs that float32 rounding in another runtime may turn into exact zeros (or back).
    """
    x = activation.astype(np.float64)
    axes = tuple(a for a in range(x.ndim) if a != 1)
    band = NEAR_ZERO_BAND * np.abs(x).max()
    return {
        "shape": list(activation.shape[1:]),
        "mean": x.mean(axis=axes),
        "std": x.std(axis=axes),
        "maxAbs": np.abs(x).max(axis=axes),
        "zeroFraction": (x == 0).mean(axis=axes),
        "nearZeroFraction": ((x != 0) & (np.abs(x) <= band)).mean(axis=axes),
    }


def collect(network, images):
    captured = {}
    handles = [
        module.register_forward_hook(
            lambda _m, _i, out, key=key: captured.__setitem__(key, out.flatten(1) if key == "pooled" else out)
        )
        for key, module in hooked_modules(network).items()
    ]
    with torch.no_grad():
        network(torch.from_numpy(images))
    for handle in handles:
        handle.remove()
    return {key: channel_statistics(value.numpy()) for key, value in captured.items()}


def rounded(values):
    return [float(f"{v:.10g}") for v in values]


def main(model_path, request_path, out_path, idx_folder=None):
    torch.set_num_threads(2)
    with open(request_path) as handle:
        request = json.load(handle)
    network = torchvision.models.resnet18(num_classes=request["numClasses"]).eval()
    load_weights(model_path, network)
    images = formula_input() if idx_folder is None else fmnist_input(idx_folder)
    statistics = collect(network, images)
    if idx_folder is None:
        source = {"dims": list(INPUT_DIMS), "formula": FORMULA}
    else:
        source = {"dims": list(images.shape), "idxFolder": idx_folder, "split": "t10k",
                  "preprocessing": "train_fmnist.preprocess"}
    golden = {
        "description": "per-channel activation statistics of torchvision resnet18 (weights of the synthesized file) via forward hooks",
        "command": COMMAND if idx_folder is None else "/usr/bin/python3 tests/reference/stats_torch_golden.py " + " ".join(sys.argv[1:]),
        "request": request,
        "modelSha256": sha256_of(model_path),
        "input": source,
        "nearZeroBand": NEAR_ZERO_BAND,
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__, "numpy": np.__version__},
        "taps": [
            {"key": key, "shape": s["shape"], **{k: rounded(s[k]) for k in STATISTICS}}
            for key, s in statistics.items()
        ],
    }
    with open(out_path, "w") as handle:
        handle.write("{\n")
        fields = [f" {json.dumps(k)}: {json.dumps(v)}" for k, v in golden.items() if k != "taps"]
        taps = ",\n".join(f"  {json.dumps(tap)}" for tap in golden["taps"])
        handle.write(",\n".join(fields) + ',\n "taps": [\n' + taps + "\n ]\n}\n")
    print(f"wrote {out_path}: {len(golden['taps'])} taps")


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
