#!/usr/bin/python3
"""Golden logits of a synthesized BN-kept ResNet18, computed by torchvision with the same weights.

Regenerate (torch 1.13 / torchvision 0.14 from Debian; CI has neither, so the JSON is committed):
  source /work/tools/env.sh
  node tests/reference/onnx_synth.ts /tmp/synth-resnet18.onnx "$(cat tests/reference/onnx_torch_golden.request.json)"
  /usr/bin/python3 tests/reference/onnx_torch_golden.py /tmp/synth-resnet18.onnx \
      tests/reference/onnx_torch_golden.request.json tests/reference/onnx_torch_golden.json
  npx prettier --write tests/reference/onnx_torch_golden.json

The input is a formula both sides evaluate exactly, so no tensor file is needed:
  x[i] = ((i * 7919) % 2003) / 1001.5 - 1   for i over the NCHW elements of a [2, 3, 32, 32] batch.
"""
import hashlib
import json
import sys

import numpy as np
import onnx
import torch
import torchvision
from onnx import numpy_helper

INPUT_DIMS = (2, 3, 32, 32)
COMMAND = (
    'node tests/reference/onnx_synth.ts /tmp/synth-resnet18.onnx "$(cat tests/reference/onnx_torch_golden.request.json)" && '
    "/usr/bin/python3 tests/reference/onnx_torch_golden.py /tmp/synth-resnet18.onnx "
    "tests/reference/onnx_torch_golden.request.json tests/reference/onnx_torch_golden.json && "
    "npx prettier --write tests/reference/onnx_torch_golden.json"
)


def formula_input():
    i = np.arange(int(np.prod(INPUT_DIMS)), dtype=np.int64)
    return (((i * 7919) % 2003) / 1001.5 - 1).astype(np.float32).reshape(INPUT_DIMS)


def load_weights(model_path, network):
    """Copies every initializer into the torchvision module of the same name; all must match."""
    model = onnx.load(model_path)
    tensors = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    state = network.state_dict()
    expected = {k for k in state if not k.endswith("num_batches_tracked")}
    if expected != set(tensors):
        raise SystemExit(f"names differ: torch-only {expected - set(tensors)}, onnx-only {set(tensors) - expected}")
    for name in expected:
        if tuple(state[name].shape) != tensors[name].shape:
            raise SystemExit(f"{name}: torch {tuple(state[name].shape)} vs onnx {tensors[name].shape}")
        state[name] = torch.from_numpy(tensors[name].copy())
    network.load_state_dict(state)


def sha256_of(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def main(model_path, request_path, out_path):
    with open(request_path) as handle:
        request = json.load(handle)
    network = torchvision.models.resnet18(num_classes=request["numClasses"]).eval()
    load_weights(model_path, network)
    with torch.no_grad():
        logits = network(torch.from_numpy(formula_input())).numpy().astype(np.float64)
    golden = {
        "description": "torchvision resnet18 logits for the synthesized file below (weights copied by name)",
        "command": COMMAND,
        "request": request,
        "modelSha256": sha256_of(model_path),
        "input": {"dims": list(INPUT_DIMS), "formula": "((i * 7919) % 2003) / 1001.5 - 1"},
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__},
        "logits": [[float(f"{v:.9g}") for v in row] for row in logits],
    }
    with open(out_path, "w") as handle:
        json.dump(golden, handle, indent=1)
        handle.write("\n")
    print(f"wrote {out_path}: max |logit| {np.abs(logits).max():.4g}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
