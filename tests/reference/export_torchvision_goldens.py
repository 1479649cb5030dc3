#!/usr/bin/python3
"""Golden ONNX graph structures and reference numbers of torchvision ResNets for the ONNX-intake tests.

Command that produced the committed files (from the repository root, Debian python3-torch 1.13,
python3-torchvision 0.14, python3-onnx 1.12; nothing is downloaded):

    /usr/bin/python3 tests/reference/export_torchvision_goldens.py

Writes tests/fixtures/torchvision/:
  resnet{18,50}_op{11,13,17}.onnx      default eval export (BatchNorm folded into the convs)
  resnet{18,50}_op{11,13,17}.bn.onnx   BN-kept export (TrainingMode.PRESERVE on an eval model,
                                       do_constant_folding=False)
  expected.json                        parameter counts, MACs, per-layer numbers (computed here
                                       with PyTorch) and the names found in the exports

All exports: num_classes 1000, input `input` [batch, 3, 224, 224] (dynamic axis `batch`), output
`logits`, export_params=False, so no weights are stored: every weight is a graph *input* carrying
its full static shape (files are 10-90 kB). torch 1.13 still folds BatchNorm in the default export
with export_params=False (the folded weights/biases become inputs named onnx::Conv_<n>; the fc keeps
fc.weight/fc.bias).

Before exporting, every BatchNorm weight/bias/running_mean/running_var is set to seeded random values.
Reason: in eval-mode export torch 1.13 runs _jit_pass_onnx_deduplicate_initializers, which merges
parameters that are *equal by value* into one and inserts Identity nodes. A freshly initialised model
(all gammas 1, betas 0, means 0, vars 1) would therefore give a graph structure that is an artifact of
the initial values (e.g. resnet18 BN-kept: 72 Identity nodes). With random BN values no two tensors
are equal and the structure is what a trained checkpoint gives.
"""

import collections
import json
import os
import sys

import torch
import torchvision
import onnx

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(REPO, 'tests', 'fixtures', 'torchvision')
EXPORT_ARCHS = ['resnet18', 'resnet50']
COUNT_ARCHS = ['resnet18', 'resnet34', 'resnet50', 'resnet101']
OPSETS = [11, 13, 17]
SEED = 0
MAX_BYTES = 1_000_000


def make_model(arch):
    torch.manual_seed(SEED)
    model = getattr(torchvision.models, arch)(num_classes=1000)
    g = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(0.5 + torch.rand(c, generator=g))
                m.bias.copy_(0.1 * torch.randn(c, generator=g))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=g))
                m.running_var.copy_(0.5 + torch.rand(c, generator=g))
    return model.eval()


def layer_key(module_name):
    if module_name.startswith(('conv1', 'bn1')):
        return 'stem'
    if module_name.startswith('fc'):
        return 'fc'
    parts = module_name.split('.')
    if parts[0].startswith('layer') and len(parts) >= 2:
        return f'{parts[0]}.{parts[1]}'
    raise ValueError(module_name)


def count_macs(model, size):
    """conv: Cout*Hout*Wout*Cin/groups*kh*kw; fc: in*out; batch 1; keyed by layer key."""
    macs = collections.OrderedDict()
    hooks = []

    def hook(name):
        def fn(mod, inp, out):
            if isinstance(mod, torch.nn.Conv2d):
                kh, kw = mod.kernel_size
                n = out.shape[1] * out.shape[2] * out.shape[3] * (mod.in_channels // mod.groups) * kh * kw
            else:
                n = mod.in_features * mod.out_features
            k = layer_key(name)
            macs[k] = macs.get(k, 0) + int(n)
        return fn

    for name, mod in model.named_modules():
        if isinstance(mod, (torch.nn.Conv2d, torch.nn.Linear)):
            hooks.append(mod.register_forward_hook(hook(name)))
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    for h in hooks:
        h.remove()
    return macs


def model_numbers(arch):
    model = make_model(arch)
    layers = collections.OrderedDict()
    for name, mod in model.named_modules():
        if isinstance(mod, (torch.nn.Conv2d, torch.nn.BatchNorm2d, torch.nn.Linear)):
            k = layer_key(name)
            e = layers.setdefault(k, {'params': 0, 'paramsFolded': 0})
            n = sum(p.numel() for p in mod.parameters(recurse=False))
            e['params'] += n
            if isinstance(mod, torch.nn.Conv2d):
                assert mod.bias is None
                e['paramsFolded'] += mod.weight.numel() + mod.out_channels
            elif isinstance(mod, torch.nn.Linear):
                e['paramsFolded'] += n
    total = sum(p.numel() for p in model.parameters())
    assert total == sum(e['params'] for e in layers.values())
    convs = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    fc = model.fc
    folded = sum(c.weight.numel() + c.out_channels for c in convs) + sum(p.numel() for p in fc.parameters())
    assert folded == sum(e['paramsFolded'] for e in layers.values())
    macs224 = count_macs(model, 224)
    for k, v in macs224.items():
        layers[k]['macs224'] = v
    out = {
        'block': type(model.layer1[0]).__name__,
        'stageBlocks': [len(getattr(model, f'layer{i}')) for i in range(1, 5)],
        'convLayers': len(convs),
        'bnLayers': len(bns),
        'bnChannels': sum(b.num_features for b in bns),
        'params': {'bnKept': total, 'bnFolded': folded,
                   'bnBuffers': sum(2 * b.num_features for b in bns)},
        'macs': {'224': sum(macs224.values())},
        'layers': layers,
    }
    if arch == 'resnet50':
        macs32 = count_macs(model, 32)
        for k, v in macs32.items():
            layers[k]['macs32'] = v
        out['macs']['32'] = sum(macs32.values())
    return out


def export(model, path, opset, bn_kept):
    kwargs = dict(export_params=False, opset_version=opset, input_names=['input'],
                  output_names=['logits'], dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}})
    if bn_kept:
        kwargs.update(training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    else:
        kwargs.update(do_constant_folding=True)
    with torch.no_grad():
        torch.onnx.export(model, torch.zeros(1, 3, 224, 224), path, **kwargs)


def shape_of(value_info):
    return [d.dim_param if d.dim_param else d.dim_value for d in value_info.type.tensor_type.shape.dim]


def describe(path, full):
    m = onnx.load(path)
    onnx.checker.check_model(m)
    g = m.graph
    init_names = {i.name for i in g.initializer}
    inputs = [{'name': i.name, 'shape': shape_of(i)} for i in g.input]
    weight_inputs = [i for i in inputs if i['name'] != 'input' and i['name'] not in init_names]
    for i in weight_inputs:
        assert all(isinstance(d, int) and d > 0 for d in i['shape']), (path, i)
    numel = 0
    for i in weight_inputs:
        n = 1
        for d in i['shape']:
            n *= d
        numel += n
    ops = collections.Counter(n.op_type for n in g.node)
    d = {
        'sizeBytes': os.path.getsize(path),
        'irVersion': m.ir_version,
        'opset': next(o.version for o in m.opset_import if o.domain in ('', 'ai.onnx')),
        'opTypes': dict(sorted(ops.items())),
        'nodeCount': len(g.node),
        'batchNormalizationNodes': ops.get('BatchNormalization', 0),
        'identityNodes': ops.get('Identity', 0),
        'inputCount': len(g.input),
        'weightInputCount': len(weight_inputs),
        'weightInputElements': numel,
        'initializers': sorted(init_names),
        'outputs': [{'name': o.name, 'shape': shape_of(o)} for o in g.output],
    }
    if full:
        d['inputs'] = inputs
        d['nodes'] = [{'name': n.name, 'opType': n.op_type, 'inputs': list(n.input), 'outputs': list(n.output)}
                      for n in g.node]
    else:
        d['inputs'] = [i['name'] for i in inputs]
        d['nodeNames'] = [n.name for n in g.node]
    return d


def main():
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    expected = {
        'generatedBy': 'tests/reference/export_torchvision_goldens.py',
        'command': '/usr/bin/python3 tests/reference/export_torchvision_goldens.py',
        'torchVersion': torch.__version__,
        'torchvisionVersion': torchvision.__version__,
        'onnxVersion': onnx.__version__,
        'definitions': {
            'params.bnKept': 'sum of numel of model.parameters() (BN gamma/beta included, running stats not)',
            'params.bnFolded': 'conv weights + one bias per conv output channel + fc weight and bias',
            'params.bnBuffers': 'running_mean + running_var elements (not parameters)',
            'macs': 'multiply-accumulates of Conv2d and Linear only, batch 1: conv Cout*Hout*Wout*Cin/groups*kh*kw, '
                    'fc in*out; keyed by input side length',
            'layers': 'stem = conv1+bn1; layerS.B = the whole block incl. downsample; fc. params = BN kept',
            'exports.weightInputElements': 'total elements of the graph inputs other than `input` (the weights, '
                                           'since export_params=False); default export = params.bnFolded, '
                                           'BN-kept export = params.bnKept + params.bnBuffers',
        },
        'models': {},
        'exports': {},
    }
    for arch in COUNT_ARCHS:
        expected['models'][arch] = model_numbers(arch)
        p = expected['models'][arch]['params']
        print(f'{arch}: params {p["bnKept"]:,} (BN kept), {p["bnFolded"]:,} (folded), '
              f'MACs@224 {expected["models"][arch]["macs"]["224"]:,}', flush=True)
    r50 = expected['models']['resnet50']
    assert r50['params']['bnKept'] == 25_557_032, r50['params']
    assert r50['params']['bnFolded'] == 25_530_472, r50['params']
    assert r50['macs']['224'] == 4_089_184_256, r50['macs']

    for arch in EXPORT_ARCHS:
        model = make_model(arch)
        nums = expected['models'][arch]
        for opset in OPSETS:
            for bn_kept in (False, True):
                fname = f'{arch}_op{opset}{".bn" if bn_kept else ""}.onnx'
                path = os.path.join(OUT, fname)
                export(model, path, opset, bn_kept)
                d = describe(path, full=(opset == 17))
                assert d['sizeBytes'] < MAX_BYTES, (fname, d['sizeBytes'])
                assert d['batchNormalizationNodes'] == (nums['bnLayers'] if bn_kept else 0), fname
                want = (nums['params']['bnKept'] + nums['params']['bnBuffers'] if bn_kept
                        else nums['params']['bnFolded'])
                assert d['weightInputElements'] == want, (fname, d['weightInputElements'], want)
                assert d['identityNodes'] == 0, (fname, d['identityNodes'])
                expected['exports'][fname] = d
                print(f'{fname}: {d["sizeBytes"]:,} B, {d["nodeCount"]} nodes, '
                      f'{d["batchNormalizationNodes"]} BN, {d["weightInputCount"]} weight inputs '
                      f'({d["weightInputElements"]:,} elements), checker ok', flush=True)

    path = os.path.join(OUT, 'expected.json')
    with open(path, 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')
    size = os.path.getsize(path)
    assert size < MAX_BYTES, size
    print(f'expected.json: {size:,} B')
    return 0


if __name__ == '__main__':
    sys.exit(main())
