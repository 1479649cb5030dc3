#!/usr/bin/python3
"""Golden gradients for the backward graph, from eval-mode PyTorch autograd.

Regenerate (torch 1.13 from Debian; CI has no torch, so the outputs are committed):
  /usr/bin/python3 tests/reference/gradients_torch.py tests/fixtures/goldens/gradients

Two small ResNet-shaped models, each exported BatchNorm-kept (training=PRESERVE, no constant
folding) and BatchNorm-folded (the default export) at opsets 11 and 17, batch axis dynamic:
  cifar: 3x3/s1 stem without max pooling; a basic block with an identity shortcut, a basic block
         with a dilated 3x3 conv, and a stride-2 block whose shortcut is a ceil-mode 2x2
         AveragePool (padding not counted) + 1x1 conv on an odd size (11 -> 6); Linear (Gemm) head.
  imagenet: 7x7/s2 stem + overlapping 3x3/s2 max pooling (27 -> 14 -> 7); a bottleneck with a
         1x1 projection shortcut, a bottleneck whose 3x3 conv has stride 2 and dilation 2 and whose
         shortcut is a stride-2 1x1 conv on an odd size (7 -> 4); a MatMul + bias Add head.

The torch model that computes a golden takes every weight from the exported ONNX file (a folded
export's W·γ/σ and β − μγ/σ included: its torch twin has conv biases and no BatchNorm), so the
golden is the gradient with respect to exactly the tensors the ONNX graph reads. Gradients are
computed in float64 from the float32 weights and images: the mean softmax cross-entropy over a
seeded batch of 4, BatchNorm with running statistics. One JSON per ONNX file (<name>.json beside
<name>.onnx) holds the images, labels, loss and logits; per parameter (keyed by the tensor name the
node reads) the norm and the flattened gradient; per block (stem, layerS.B) the norm of the
gradient at its output.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper
import torch
from torch import nn
import torch.nn.functional as F

torch.set_num_threads(2)
BATCH = 4
CLASSES = 5
OPSETS = (11, 17)


class BasicBlock(nn.Module):
    def __init__(self, folded, cin, cout, stride=1, dilation=1, shortcut=None):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, padding=dilation, dilation=dilation, bias=folded)
        self.bn1 = nn.Identity() if folded else nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, padding=1, bias=folded)
        self.bn2 = nn.Identity() if folded else nn.BatchNorm2d(cout)
        self.downsample = shortcut

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    def __init__(self, folded, cin, width, cout, stride=1, dilation=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, width, 1, bias=folded)
        self.bn1 = nn.Identity() if folded else nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, padding=dilation, dilation=dilation, bias=folded)
        self.bn2 = nn.Identity() if folded else nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, cout, 1, bias=folded)
        self.bn3 = nn.Identity() if folded else nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.downsample = nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=folded),
            nn.Identity() if folded else nn.BatchNorm2d(cout),
        )

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + self.downsample(x))


class MatMulHead(nn.Module):
    def __init__(self, features, classes):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(features, classes) * 0.3)
        self.bias = nn.Parameter(torch.randn(classes) * 0.1)

    def forward(self, x):
        return x @ self.weight + self.bias


class Net(nn.Module):
    """Stem, stages and head; forward keeps the stem and block outputs for their gradients."""

    def __init__(self, kind, folded):
        super().__init__()
        self.kind = kind
        bn = (lambda c: nn.Identity()) if folded else nn.BatchNorm2d
        if kind == "cifar":
            self.conv1 = nn.Conv2d(3, 8, 3, 1, 1, bias=folded)
            self.bn1 = bn(8)
            self.relu = nn.ReLU()
            self.layer1 = nn.Sequential(BasicBlock(folded, 8, 8), BasicBlock(folded, 8, 8, dilation=2))
            shortcut = nn.Sequential(
                nn.AvgPool2d(2, 2, ceil_mode=True, count_include_pad=False),
                nn.Conv2d(8, 12, 1, bias=folded),
                bn(12),
            )
            self.layer2 = nn.Sequential(BasicBlock(folded, 8, 12, stride=2, shortcut=shortcut))
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(12, CLASSES)
        else:
            self.conv1 = nn.Conv2d(3, 8, 7, 2, 3, bias=folded)
            self.bn1 = bn(8)
            self.relu = nn.ReLU()
            self.maxpool = nn.MaxPool2d(3, 2, 1)
            self.layer1 = nn.Sequential(Bottleneck(folded, 8, 4, 16))
            self.layer2 = nn.Sequential(Bottleneck(folded, 16, 6, 24, stride=2, dilation=2))
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = MatMulHead(24, CLASSES)
        self.kept = {}

    def keep(self, key, tensor):
        if tensor.requires_grad:
            tensor.retain_grad()
        self.kept[key] = tensor
        return tensor

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        if self.kind == "imagenet":
            x = self.maxpool(x)
        x = self.keep("stem", x)
        for stage_index, stage in enumerate([self.layer1, self.layer2], start=1):
            for block_index, block in enumerate(stage):
                x = self.keep(f"layer{stage_index}.{block_index}", block(x))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def input_size(kind):
    return 11 if kind == "cifar" else 27


def randomize_batch_norm(model, generator):
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            n = module.num_features
            module.running_mean.copy_(torch.randn(n, generator=generator) * 0.2)
            module.running_var.copy_(torch.rand(n, generator=generator) + 0.5)
            module.weight.data.copy_(torch.rand(n, generator=generator) + 0.5)
            module.bias.data.copy_(torch.randn(n, generator=generator) * 0.2)


def export(model, kind, path, opset, keep_bn):
    size = input_size(kind)
    dummy = torch.zeros(1, 3, size, size)
    options = {}
    if keep_bn:
        options = {"training": torch.onnx.TrainingMode.PRESERVE, "do_constant_folding": False}
    torch.onnx.export(
        model, dummy, path, opset_version=opset, input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, **options,
    )


SLOT_ATTRIBUTES = {
    "Conv": {1: "weight", 2: "bias"},
    "BatchNormalization": {1: "weight", 2: "bias", 3: "running_mean", 4: "running_var"},
    "Gemm": {1: "weight", 2: "bias"},
    "MatMul": {1: "weight"},
    "Add": {0: "bias", 1: "bias"},
}
PARAMETER_SLOTS = {"Conv": (1, 2), "BatchNormalization": (1, 2), "Gemm": (1, 2), "MatMul": (1,), "Add": (0, 1)}


def module_name(node_name):
    """'/layer1/layer1.0/downsample/downsample.0/Conv' -> 'layer1.0.downsample.0'; '/fc/MatMul' -> 'fc'.

    A scope names a child relative to its parent, and an indexed child repeats the parent's name.
    """
    parts = []
    for scope in node_name.split("/")[1:-1]:
        if parts and scope.startswith(parts[-1] + "."):
            parts[-1] = scope
        else:
            parts.append(scope)
    return ".".join(parts)


def onnx_values(model_proto):
    """Tensor values by name: initializers and Identity outputs of initializers."""
    values = {t.name: numpy_helper.to_array(t) for t in model_proto.graph.initializer}
    for node in model_proto.graph.node:
        if node.op_type == "Identity" and node.input[0] in values:
            values[node.output[0]] = values[node.input[0]]
    return values


def bind_onnx_weights(model, model_proto):
    """Copies every weight the ONNX graph reads into the torch twin; returns {tensor: (module, attr)}."""
    values = onnx_values(model_proto)
    modules = dict(model.named_modules())
    parameters = {}
    for node in model_proto.graph.node:
        slots = SLOT_ATTRIBUTES.get(node.op_type, {})
        for slot, attribute in slots.items():
            if slot >= len(node.input) or node.input[slot] not in values:
                continue
            module = modules[module_name(node.name)]
            tensor = getattr(module, attribute)
            value = torch.from_numpy(values[node.input[slot]].copy()).reshape(tensor.shape)
            tensor.data.copy_(value)
            if slot in PARAMETER_SLOTS[node.op_type]:
                parameters[node.input[slot]] = (module, attribute)
    return parameters


def rounded(values):
    """9 significant digits: float32 precision, half the JSON of float64 repr."""
    return [float(f"{value:.9g}") for value in values]


def golden(kind, folded, model_proto, images, labels):
    twin = Net(kind, folded).eval()
    parameters = bind_onnx_weights(twin, model_proto)
    twin = twin.double()
    logits = twin(torch.from_numpy(images).double())
    loss = F.cross_entropy(logits, torch.from_numpy(labels))
    loss.backward()
    entries = {}
    for name, (module, attribute) in parameters.items():
        gradient = getattr(module, attribute).grad.detach().numpy().astype(np.float64)
        entries[name] = {
            "shape": list(gradient.shape),
            "norm": float(np.linalg.norm(gradient.ravel())),
            "gradient": rounded(gradient.ravel()),
        }
    blocks = {key: float(t.grad.norm()) for key, t in twin.kept.items()}
    return {
        "loss": float(loss),
        "logits": rounded(logits.detach().numpy().ravel()),
        "parameters": entries,
        "blockOutputNorms": blocks,
    }


def main(folder):
    os.makedirs(folder, exist_ok=True)
    for seed, kind in enumerate(("cifar", "imagenet")):
        torch.manual_seed(seed)
        generator = torch.Generator().manual_seed(100 + seed)
        model = Net(kind, folded=False)
        randomize_batch_norm(model, generator)
        model.eval()
        size = input_size(kind)
        images = torch.randn(BATCH, 3, size, size, generator=generator).numpy().astype(np.float32)
        labels = torch.randint(0, CLASSES, (BATCH,), generator=generator).numpy().astype(np.int64)
        for opset in OPSETS:
            for keep_bn in (True, False):
                name = f"{kind}-opset{opset}-{'bn' if keep_bn else 'folded'}"
                path = os.path.join(folder, f"{name}.onnx")
                export(model, kind, path, opset, keep_bn)
                result = golden(kind, not keep_bn, onnx.load(path), images, labels)
                case = {
                    "torch": torch.__version__, "model": f"{name}.onnx", "opset": opset,
                    "bnFolded": not keep_bn, "imageDims": list(images.shape),
                    "images": images.ravel().tolist(), "labels": labels.tolist(), **result,
                }
                with open(os.path.join(folder, f"{name}.json"), "w") as out:
                    json.dump(case, out)


if __name__ == "__main__":
    main(sys.argv[1])
