#!/usr/bin/python3
"""Checks a run folder written by train_fmnist.py (no onnxruntime needed).

    /usr/bin/python3 tests/reference/check_run.py /work/runs/seed0 [--images 8]

- run.json has the workbench keys; metrics.jsonl has exactly one train and one test line per
  completed epoch (1..N, in order, no duplicates), grad_norms keyed by every model parameter;
- epoch_<N>.onnx and epoch_<N>.bn.onnx exist for every completed epoch, pass onnx.checker, have
  input `input` [batch,3,32,32] / output `logits`, 0 resp. 53 BatchNormalization nodes;
- numerics: the last epoch's two exports are executed by a small ONNX interpreter written with
  torch.nn.functional (Conv, BatchNormalization, Relu, MaxPool, Add, GlobalAveragePool, Flatten,
  Gemm, Identity) on the first --images test images and compared with the PyTorch model restored
  from state.pt (which holds the last completed epoch).
"""

import argparse
import json
import os
import sys

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_fmnist as T  # noqa: E402


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def run_onnx(model_proto, x):
    """Tiny interpreter for the torchvision ResNet op set (eval semantics)."""
    env = {i.name: torch.from_numpy(onnx.numpy_helper.to_array(i).copy()) for i in model_proto.graph.initializer}
    env[model_proto.graph.input[0].name] = x
    for n in model_proto.graph.node:
        a = attrs(n)
        i = [env[k] if k else None for k in n.input]
        if n.op_type == 'Conv':
            pads = a.get('pads', [0, 0, 0, 0])
            assert pads[0] == pads[2] and pads[1] == pads[3]
            y = F.conv2d(i[0], i[1], i[2] if len(i) > 2 else None, stride=a.get('strides', [1, 1]),
                         padding=pads[:2], dilation=a.get('dilations', [1, 1]), groups=a.get('group', 1))
        elif n.op_type == 'BatchNormalization':
            assert not a.get('training_mode', 0)
            y = F.batch_norm(i[0], i[3], i[4], i[1], i[2], training=False, eps=a.get('epsilon', 1e-5))
        elif n.op_type == 'Relu':
            y = F.relu(i[0])
        elif n.op_type == 'MaxPool':
            pads = a.get('pads', [0, 0, 0, 0])
            assert pads[0] == pads[2] and pads[1] == pads[3] and not a.get('ceil_mode', 0)
            y = F.max_pool2d(i[0], a['kernel_shape'], a.get('strides', [1, 1]), pads[:2])
        elif n.op_type == 'Add':
            y = i[0] + i[1]
        elif n.op_type == 'GlobalAveragePool':
            y = i[0].mean(dim=(2, 3), keepdim=True)
        elif n.op_type == 'Flatten':
            y = torch.flatten(i[0], a.get('axis', 1))
        elif n.op_type == 'Gemm':
            A = i[0].t() if a.get('transA', 0) else i[0]
            B = i[1].t() if a.get('transB', 0) else i[1]
            y = a.get('alpha', 1.0) * (A @ B) + a.get('beta', 1.0) * i[2]
        elif n.op_type == 'Identity':
            y = i[0]
        else:
            raise NotImplementedError(n.op_type)
        env[n.output[0]] = y
    return env[model_proto.graph.output[0].name]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('run')
    ap.add_argument('--images', type=int, default=8)
    args = ap.parse_args()
    torch.set_num_threads(2)
    d = args.run
    problems = []

    rj = json.load(open(os.path.join(d, 'run.json')))
    for k in ('name', 'tags', 'notes', 'classes', 'preprocessing', 'dataset', 'training'):
        if k not in rj:
            problems.append(f'run.json lacks {k}')
    state = torch.load(os.path.join(d, 'state.pt'))
    done = state['epoch']
    lines = [json.loads(s) for s in open(os.path.join(d, 'metrics.jsonl'))]
    want = [(e, s) for e in range(1, done + 1) for s in ('train', 'test')]
    got = [(r['epoch'], r['split']) for r in lines]
    if got != want:
        problems.append(f'metrics.jsonl lines {got} != expected {want}')
    model = torchvision.models.resnet50(num_classes=10)
    model.load_state_dict(state['model'])
    model.eval()
    names = [n for n, _ in model.named_parameters()]
    for r in lines:
        if r['split'] == 'train' and list(r['grad_norms']) != names:
            problems.append(f'epoch {r["epoch"]}: grad_norms keys differ from named_parameters')
    print(f'{d}: {done}/{state["config"]["epochs"]} epochs complete, {len(lines)} metrics lines, '
          f'test accuracy per epoch: {[round(r["accuracy"], 4) for r in lines if r["split"] == "test"]}')

    for e in range(1, done + 1):
        for bn in (False, True):
            p = os.path.join(d, f'epoch_{e}{".bn" if bn else ""}.onnx')
            if not os.path.exists(p):
                problems.append(f'missing {p}')
                continue
            m = onnx.load(p)
            onnx.checker.check_model(m)
            nbn = sum(1 for n in m.graph.node if n.op_type == 'BatchNormalization')
            inp = m.graph.input[0]
            dims = [x.dim_param or x.dim_value for x in inp.type.tensor_type.shape.dim]
            if nbn != (53 if bn else 0) or inp.name != 'input' or dims != ['batch', 3, 32, 32] \
                    or m.graph.output[0].name != 'logits':
                problems.append(f'{p}: {nbn} BN, input {inp.name} {dims}, output {m.graph.output[0].name}')
            if e == done:
                vx, vy = T.load_split('t10k')
                x = T.preprocess(vx[:args.images])
                with torch.no_grad():
                    ref = model(x)
                    out = run_onnx(m, x)
                diff = (out - ref).abs().max().item()
                agree = int((out.argmax(1) == ref.argmax(1)).sum())
                print(f'  {os.path.basename(p)}: checker ok, {nbn} BN nodes, {len(m.graph.initializer)} '
                      f'initializers; interpreted vs PyTorch logits on {args.images} test images: '
                      f'max abs diff {diff:.3g} (max |logit| {ref.abs().max().item():.3g}), argmax agree '
                      f'{agree}/{args.images}, labels correct {int((ref.argmax(1) == vy[:args.images]).sum())}')
                if diff > 1e-3 * max(1.0, ref.abs().max().item()):
                    problems.append(f'{p}: logits differ by {diff}')
    if problems:
        print('PROBLEMS:\n  ' + '\n  '.join(problems))
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
