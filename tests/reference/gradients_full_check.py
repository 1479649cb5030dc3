#!/usr/bin/python3
"""Full-size check of the backward graph: a trained torchvision ResNet50 (Fashion-MNIST, 32x32).

Usage (not run in CI; needs torch 1.13 and the reference run):
  source /work/tools/env.sh
  /usr/bin/python3 tests/reference/gradients_full_check.py \
      tests/.tmp/trained-runs/plain-seed0/epoch_3.bn.onnx tests/.tmp/trained-runs/plain-seed0/state.pt

The model is built as train_fmnist.py builds it and loads state.pt (its weights must equal the
ONNX initializers: checked). The batch is the first 32 t10k images, preprocessed by
train_fmnist.preprocess, with their labels. PyTorch computes eval-mode autograd (running BN
statistics) of the mean cross-entropy in float64; the TypeScript driver runs the backward graph
in onnxruntime-node (float32) on the same tensors and also times forward + backward against the
forward pass alone (fastest of REPEATS runs each, after a warm-up run). Prints the largest relative error of a per-parameter norm (target <= 1e-3),
the block-output norms' largest relative error and the timings, as one JSON object.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_fmnist  # noqa: E402

torch.set_num_threads(2)
BATCH = 32
# Timed runs after one warm-up run; the per-image times reported are the fastest run's.
REPEATS = 6
DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gradients-full-check.ts")


def torch_gradients(model, images, labels):
    model = model.double().eval()
    kept = {}

    def keep(key):
        def hook(_module, _inputs, output):
            output.retain_grad()
            kept[key] = output
        return hook

    model.maxpool.register_forward_hook(keep("stem"))
    for stage in range(1, 5):
        for index, block in enumerate(getattr(model, f"layer{stage}")):
            block.register_forward_hook(keep(f"layer{stage}.{index}"))
    loss = F.cross_entropy(model(images.double()), labels)
    loss.backward()
    norms = {name: float(p.grad.norm()) for name, p in model.named_parameters()}
    return float(loss), norms, {key: float(t.grad.norm()) for key, t in kept.items()}


def onnx_parameter_names(model_proto):
    """Tensor name read by a node -> state_dict name (Identity outputs of shared initializers too)."""
    initializers = {t.name for t in model_proto.graph.initializer}
    aliases = {n.output[0]: n.output[0] for n in model_proto.graph.node if n.op_type == "Identity" and n.input[0] in initializers}
    return {**{name: name for name in initializers}, **aliases}


def main(onnx_path, state_path):
    state = torch.load(state_path, map_location="cpu")
    model = torchvision.models.resnet50(num_classes=10, zero_init_residual=True)
    model.load_state_dict(state["model"])
    model_proto = onnx.load(onnx_path)
    onnx_values = {t.name: numpy_helper.to_array(t) for t in model_proto.graph.initializer}
    weight_diff = max(
        float(np.abs(onnx_values[name] - tensor.numpy()).max())
        for name, tensor in model.state_dict().items() if name in onnx_values
    )
    u8, labels = train_fmnist.load_split("t10k")
    images = train_fmnist.preprocess(u8[:BATCH]).contiguous()
    labels = labels[:BATCH]
    loss, torch_norms, torch_blocks = torch_gradients(model, images, labels)

    with tempfile.TemporaryDirectory() as folder:
        images_path = os.path.join(folder, "images.f32")
        labels_path = os.path.join(folder, "labels.json")
        images.numpy().astype("<f4").tofile(images_path)
        with open(labels_path, "w") as out:
            json.dump(labels.tolist(), out)
        run = subprocess.run(["node", DRIVER, onnx_path, images_path, labels_path, str(REPEATS)],
                             check=True, capture_output=True, text=True)
    ort = json.loads(run.stdout.strip().splitlines()[-1])

    names = onnx_parameter_names(model_proto)
    errors = {}
    for tensor, norm in ort["parameters"].items():
        want = torch_norms[names[tensor]]
        errors[tensor] = abs(norm - want) / want if want > 0 else abs(norm)
    block_errors = {key: abs(ort["blocks"][key] - want) / want for key, want in torch_blocks.items()}
    worst = max(errors, key=errors.get)
    print(json.dumps({
        "model": onnx_path,
        "parameters": len(errors),
        "torchParameters": len(torch_norms),
        "stateVsOnnxMaxAbsDiff": weight_diff,
        "lossTorch": loss, "lossOrt": ort["loss"],
        "maxRelativeNormError": errors[worst], "worstParameter": worst,
        "medianRelativeNormError": float(np.median(list(errors.values()))),
        "maxBlockNormRelativeError": max(block_errors.values()),
        "batch": ort["batch"], "buildMs": ort["buildMs"],
        "forwardMsPerImage": ort["forwardMsPerImage"],
        "forwardBackwardMsPerImage": ort["forwardBackwardMsPerImage"],
        "ratio": ort["forwardBackwardMsPerImage"] / ort["forwardMsPerImage"],
        "forwardRunsMs": ort["forwardRunsMs"], "forwardBackwardRunsMs": ort["forwardBackwardRunsMs"],
        "peakRssMb": ort["peakRssMb"],
    }, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
