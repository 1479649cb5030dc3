#!/usr/bin/python3
"""Golden values for three extensions of the backward graph, from eval-mode PyTorch autograd.

Regenerate (torch 1.13 from Debian; CI has no torch, so the outputs are committed), after
gradients_torch.py has written the models and their images:
  /usr/bin/python3 tests/reference/gradient_extensions_torch.py tests/fixtures/goldens/gradients

For cifar-opset17-bn (BatchNorm kept) and imagenet-opset17-folded, on the images and labels of
their <name>.json, one <name>.extensions.json holds:
  channelStatistics: at every BatchNorm (or, folded, Conv) output and every Relu output, per
      channel of g = dL/dt over (N, H, W): the sum of g^2, the count of g != 0 and max g^2
      (AC-GC's sgy2, nnz_k and gz2_max_k);
  fullGradients: the gradient of a few parameters: every BatchNorm scale, the second k x k conv
      weight, and (folded) the first conv bias;
  substitutions: per scenario (the inputs of every Conv, of every BatchNorm, both, or of the
      Gemm head), the activations whose retained copy the backward pass reads as the substitute
      0.75 x - 1/32, and every parameter's gradient (norm + values) when it does. The forward
      pass, and so the loss, is unchanged.

A substitution is done as AC-GC does it (compressed_momentum_sgd.py): after the forward pass the
retained tensors are overwritten in place (through .data, so autograd does not object), then
backward runs on them. PyTorch's eval-mode ops read exactly these retained values: conv its input
for dW, relu its output for the mask, batch_norm its input for d(gamma), linear its input for
dW; add, pooling and the input gradients read none. The script checks one conv's dW against
torch.nn.grad.conv2d_weight on the substituted input. The substitute is affine, so float32 (ORT)
and float64 (here) agree to rounding, except where a Relu mask flips (substitute = 0): the script
checks that no positive Relu output has its substitute within MASK_MARGIN of zero (shifts of 1/16
and 1/8 failed that check; so did rounding to a 1/8 grid, which has a boundary every 1/8).
"""
import json
import os
import re
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from torch import nn

from gradients_torch import Net, bind_onnx_weights, module_name, rounded

torch.set_num_threads(2)
SCALE = 0.75
SHIFT = 1.0 / 32
MASK_MARGIN = 2e-5
CASES = ("cifar-opset17-bn", "imagenet-opset17-folded")
RECORDED = (nn.Conv2d, nn.BatchNorm2d, nn.ReLU, nn.MaxPool2d, nn.AvgPool2d, nn.Linear)


def substitute(values):
    return values * SCALE - SHIFT


class Recorder:
    """Every call of the recorded modules, with its input and output (gradients retained)."""

    def __init__(self, model):
        self.calls = {}
        self.names = {}
        for name, module in model.named_modules():
            if isinstance(module, RECORDED):
                self.names[module] = name
                module.register_forward_hook(self.hook(name))

    def hook(self, name):
        def record(module, inputs, output):
            if output.requires_grad:
                output.retain_grad()
            self.calls.setdefault(name, []).append((inputs[0], output))

        return record

    def call_of(self, node_name):
        """(input, output) of the node's module call, or None when the module is not recorded.

        '/layer1.0/relu_1/Relu' is the second call of module layer1.0.relu.
        """
        name = module_name(node_name)
        if name in self.calls:
            return self.calls[name][0]
        match = re.fullmatch(r"(.*)_(\d+)", name)
        calls = self.calls.get(match.group(1), []) if match else []
        index = int(match.group(2)) if match else 0
        return calls[index] if index < len(calls) else None


class Twin:
    """The torch twin of an ONNX model after a forward pass; its tensors addressed by ONNX name."""

    def __init__(self, kind, model_proto, images, labels):
        self.proto = model_proto
        folded = not any(n.op_type == "BatchNormalization" for n in model_proto.graph.node)
        net = Net(kind, folded).eval()
        self.parameters = bind_onnx_weights(net, model_proto)
        net = net.double()
        self.recorder = Recorder(net)
        self.image = torch.from_numpy(images).double()
        self.logits = net(self.image)
        self.loss = F.cross_entropy(self.logits, torch.from_numpy(labels))
        self.producers = {out: node for node in model_proto.graph.node for out in node.output}
        self.consumers = {}
        for node in model_proto.graph.node:
            for name in node.input:
                self.consumers.setdefault(name, []).append(node)

    def tensor(self, name):
        if name == self.proto.graph.input[0].name:
            return self.image
        producer = self.producers.get(name)
        call = None if producer is None else self.recorder.call_of(producer.name)
        if call is not None:
            return call[1]
        for consumer in self.consumers.get(name, []):
            call = self.recorder.call_of(consumer.name)
            if call is not None:
                return call[0]
        raise KeyError(f"no torch tensor for '{name}'")

    def backward(self):
        self.loss.backward()

    def gradient_of(self, name):
        module, attribute = self.parameters[name]
        return getattr(module, attribute).grad.detach().numpy()


def node_inputs(proto, op_type):
    names = []
    for node in proto.graph.node:
        if node.op_type == op_type and node.input[0] not in names:
            names.append(node.input[0])
    return names


def node_outputs(proto, op_types):
    return [node.output[0] for node in proto.graph.node if node.op_type in op_types]


def window_conv_weights(proto):
    """Weights of the k x k convs (their gradients have a permuted layout unless asked for)."""
    shapes = {t.name: list(t.dims) for t in proto.graph.initializer}
    return [
        n.input[1] for n in proto.graph.node
        if n.op_type == "Conv" and max(shapes[n.input[1]][2:]) > 1
    ]


def channel_statistics(gradient):
    g = gradient.detach().numpy()
    return {
        "sumOfSquares": (g**2).sum(axis=(0, 2, 3)).tolist(),
        "nonzeroCount": (g != 0).sum(axis=(0, 2, 3)).astype(int).tolist(),
        "maxSquare": (g**2).max(axis=(0, 2, 3)).tolist(),
    }


def exact_part(twin, statistics_at, full_gradients):
    twin.backward()
    return {
        "loss": float(twin.loss),
        "channelStatistics": {t: channel_statistics(twin.tensor(t).grad) for t in statistics_at},
        "fullGradients": {
            name: {
                "shape": list(twin.gradient_of(name).shape),
                "gradient": rounded(twin.gradient_of(name).ravel()),
            }
            for name in full_gradients
        },
    }


def mask_margin(values):
    """How close a positive Relu output comes to the substitute's zero, where the mask flips."""
    positive = values.detach().numpy()
    positive = positive[positive > 0]
    return float(np.min(np.abs(substitute(torch.from_numpy(positive)).numpy())))


def substituted_gradients(make_twin, tensors, check_conv=None):
    twin = make_twin()
    originals = {}
    for name in tensors:
        values = twin.tensor(name)
        if twin.producers.get(name) is not None and twin.producers[name].op_type == "Relu":
            margin = mask_margin(values)
            assert margin > MASK_MARGIN, f"'{name}' has a substitute {margin} from zero"
        originals[name] = values.detach().clone()
        values.data.copy_(substitute(values.data))
    twin.backward()
    if check_conv is not None:
        check_conv_weight(twin, originals, *check_conv)
    entries = {}
    for name in twin.parameters:
        gradient = twin.gradient_of(name).astype(np.float64)
        entries[name] = {
            "norm": float(np.linalg.norm(gradient.ravel())),
            "gradient": rounded(gradient.ravel()),
        }
    return {"substituted": list(tensors), "loss": float(twin.loss), "parameters": entries}


def check_conv_weight(twin, originals, input_name, weight_name):
    """dW of one conv from the in-place substitution equals conv2d_weight on the substitute."""
    module, _ = twin.parameters[weight_name]
    _, conv_output = twin.recorder.calls[twin.recorder.names[module]][0]
    expected = torch.nn.grad.conv2d_weight(
        substitute(originals[input_name]), module.weight.shape, conv_output.grad,
        stride=module.stride, padding=module.padding, dilation=module.dilation,
    )
    error = float((expected - module.weight.grad).abs().max() / expected.abs().max())
    assert error < 1e-12, f"in-place substitution and conv2d_weight differ by {error}"


def main(folder):
    for name in CASES:
        kind = name.split("-")[0]
        with open(os.path.join(folder, f"{name}.json")) as source:
            base = json.load(source)
        images = np.array(base["images"], dtype=np.float32).reshape(base["imageDims"])
        labels = np.array(base["labels"], dtype=np.int64)
        proto = onnx.load(os.path.join(folder, base["model"]))

        def make_twin():
            return Twin(kind, proto, images, labels)

        folded = base["bnFolded"]
        if folded:
            statistics_at = node_outputs(proto, ("Conv", "Relu"))
            full_gradients = window_conv_weights(proto)[1:2]
            full_gradients += [n.input[2] for n in proto.graph.node if n.op_type == "Conv"][:1]
            scenarios = {"convInputs": node_inputs(proto, "Conv")}
        else:
            statistics_at = node_outputs(proto, ("BatchNormalization", "Relu"))
            full_gradients = [
                n.input[1] for n in proto.graph.node if n.op_type == "BatchNormalization"
            ]
            full_gradients += window_conv_weights(proto)[1:2]
            conv_inputs = node_inputs(proto, "Conv")
            bn_inputs = node_inputs(proto, "BatchNormalization")
            scenarios = {
                "convInputs": conv_inputs,
                "batchNormInputs": bn_inputs,
                "convAndBatchNormInputs": conv_inputs
                + [t for t in bn_inputs if t not in conv_inputs],
                "gemmInput": node_inputs(proto, "Gemm"),
            }
        case = {
            "torch": torch.__version__,
            "model": base["model"],
            "substitute": {"scale": SCALE, "shift": SHIFT},
            **exact_part(make_twin(), statistics_at, full_gradients),
        }
        second_conv = [n for n in proto.graph.node if n.op_type == "Conv"][1]
        checked = (second_conv.input[0], second_conv.input[1])
        case["substitutions"] = {
            scenario: substituted_gradients(
                make_twin, tensors, checked if checked[0] in tensors else None
            )
            for scenario, tensors in scenarios.items()
        }
        with open(os.path.join(folder, f"{name}.extensions.json"), "w") as out:
            json.dump(case, out)


if __name__ == "__main__":
    main(sys.argv[1])
