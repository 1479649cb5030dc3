# Checks `resnet-workbench cka --json` against PyTorch + NumPy on the same images and batches.
# The model is torchvision's resnet50 with the weights of a BN-kept export (epoch_N.bn.onnx, whose
# initializers carry the state_dict names); activations come from forward hooks, and minibatch
# CKA is computed in float64 with the U-centering of the official efficient_CKA.py.
#
#   node bin/resnet-workbench.js --workspace W cka seed0@10 --vs seed1@10 --limit 1024 --json > cka.json
#   /usr/bin/python3 tests/reference/cka_torch_check.py cka.json /work/runs/seed0/epoch_10.bn.onnx /work/runs/seed1/epoch_10.bn.onnx
#
# A timeline (`cka seed0@3 --timeline --json`) takes the BN-kept export of every epoch it lists, in
# its order (timeline.labels), and checks each tap's series and the epoch × epoch grid:
#   /usr/bin/python3 tests/reference/cka_torch_check.py timeline.json /work/runs/seed0/epoch_{1,2,3}.bn.onnx
#
# Full-batch estimators (`--estimator linear` or `debiased`, the whole selection as one batch, so
# --limit at most 512 at 32²) are checked against the Demo.ipynb definitions: linear CKA on the
# doubly centered Grams HKH, HLH, and debiased CKA from the unbiased HSIC (U-centering).
#
# The selection must be the first --limit images of Fashion-MNIST t10k (no --sample), so batch
# order positions index the t10k file directly. Prints the largest difference per matrix.
import gzip
import json
import sys

import numpy as np
import onnx
import torch
import torchvision
from onnx import numpy_helper

torch.set_num_threads(2)
FMNIST = '/usr/share/datasets/fashion-mnist'


def load_model(onnx_path):
    graph = onnx.load(onnx_path).graph
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    # The exporter shares identical tensors and names the copies through Identity nodes.
    for node in graph.node:
        if node.op_type == 'Identity' and node.input[0] in weights:
            weights[node.output[0]] = weights[node.input[0]]
    model = torchvision.models.resnet50(num_classes=10)
    missing, unexpected = model.load_state_dict(weights, strict=False)
    assert all(m.endswith('num_batches_tracked') for m in missing), missing
    assert not unexpected, unexpected
    return model.eval()


def images(positions, preprocessing):
    with gzip.open(f'{FMNIST}/t10k-images-idx3-ubyte.gz') as f:
        raw = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    x = torch.from_numpy(raw[positions].astype(np.float32) / 255.0)[:, None]
    x = torch.nn.functional.pad(x, [preprocessing['pad']] * 4).repeat(1, 3, 1, 1)
    mean = torch.tensor(preprocessing['mean']).view(1, 3, 1, 1)
    std = torch.tensor(preprocessing['std']).view(1, 3, 1, 1)
    return (x - mean) / std


def tap_modules(model):
    taps = {'stem': model.maxpool}
    for stage in range(1, 5):
        for i, block in enumerate(getattr(model, f'layer{stage}')):
            taps[f'layer{stage}.{i}'] = block
    taps['pooled'] = model.avgpool
    return taps


def features(model, x, keys):
    found = {}
    hooks = [m.register_forward_hook(lambda _m, _i, out, k=k: found.__setitem__(k, out.detach().flatten(1).double().numpy()))
             for k, m in tap_modules(model).items() if k in keys]
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return [found[k] for k in keys]


def u_centered(gram):
    n = gram.shape[0]
    gram = gram.copy()
    np.fill_diagonal(gram, 0)
    means = gram.sum(0) / (n - 2)
    means -= means.sum() / (2 * (n - 1))
    gram -= means[:, None] + means[None, :]
    np.fill_diagonal(gram, 0)
    return gram.ravel()


def minibatch_cka(batches_a, batches_b):
    la, lb = len(batches_a[0]), len(batches_b[0])
    cross, self_a, self_b = np.zeros((la, lb)), np.zeros(la), np.zeros(lb)
    for fa, fb in zip(batches_a, batches_b):
        ga = np.stack([u_centered(f @ f.T) for f in fa])
        gb = np.stack([u_centered(f @ f.T) for f in fb])
        cross += ga @ gb.T
        self_a += (ga * ga).sum(1)
        self_b += (gb * gb).sum(1)
    return cross / np.sqrt(self_a[:, None] * self_b[None, :])


def linear_cka(features_a, features_b):
    def centered(f):
        gram = f @ f.T
        h = np.eye(len(f)) - 1.0 / len(f)
        return (h @ gram @ h).ravel()
    ga = np.stack([centered(f) for f in features_a])
    gb = np.stack([centered(f) for f in features_b])
    cross = ga @ gb.T
    return cross / np.sqrt((ga * ga).sum(1)[:, None] * (gb * gb).sum(1)[None, :])


def estimate(estimator, batches_a, batches_b):
    if estimator == 'linear':
        assert len(batches_a) == 1, 'full-batch CKA is one batch'
        return linear_cka(batches_a[0], batches_b[0])
    # 'debiased' is the unbiased HSIC of the one full batch: minibatch CKA with k = 1.
    return minibatch_cka(batches_a, batches_b)


def as_array(values):
    return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=np.float64)


def check_timeline(result, models, n, order, preprocessing):
    timeline = result['timeline']
    keys = [s['key'] for s in timeline['series']]
    assert len(models) == len(timeline['checkpointIds']), 'give one .bn.onnx per timeline epoch, in order'
    ref = timeline['checkpointIds'].index(timeline['referenceId'])
    batches = [[] for _ in models]
    for start in range(0, len(order), n):
        x = images(order[start:start + n], preprocessing)
        for m, model in enumerate(models):
            batches[m].append(features(model, x, keys))
    series = np.array([np.diag(minibatch_cka(batches[ref], batches[m])) for m in range(len(models))]).T
    ours = as_array([s['values'] for s in timeline['series']])
    worst_series = np.nanmax(np.abs(ours - series))
    grid = result['matrices'][0]
    layer = keys.index(result['request']['gridLayer'] or keys[-1])
    only = [[[f[layer]] for f in b] for b in batches]
    reference_grid = np.array([[minibatch_cka(only[i], only[j])[0, 0] for j in range(len(models))]
                               for i in range(len(models))])
    worst_grid = np.nanmax(np.abs(as_array(grid['values']) - reference_grid))
    print(f"timeline to {timeline['labels'][ref]}: {len(keys)} taps x {len(models)} epochs, n={n}, "
          f"{len(order) // n} batches; largest |ours - torch float64| = {worst_series:.2e} (series), "
          f"{worst_grid:.2e} ({keys[layer]} epoch x epoch grid)")
    print('first epoch vs reference (torch):', ' '.join(f'{v:.4f}' for v in series[:, 0]))
    return max(worst_series, worst_grid)


def main():
    result = json.load(open(sys.argv[1]))
    models = [load_model(p) for p in sys.argv[2:]]
    estimator = result['request']['estimator']
    assert estimator in ('minibatch', 'linear', 'debiased'), estimator
    n, order = result['n'], np.array(result['batchOrder'])
    preprocessing = result['provenance'][0]['preprocessing']
    if result.get('timeline'):
        assert estimator == 'minibatch', 'timelines are checked for the minibatch estimator'
        sys.exit(0 if check_timeline(result, models, n, order, preprocessing) < 1e-4 else 1)
    matrix = result['matrices'][0]
    rows, cols = matrix['rowKeys'], matrix['columnKeys']
    batches_a, batches_b = [], []
    for start in range(0, len(order), n):
        x = images(order[start:start + n], preprocessing)
        batches_a.append(features(models[0], x, rows))
        batches_b.append(features(models[-1], x, cols))
    reference = estimate(estimator, batches_a, batches_b)
    ours = np.array([[np.nan if v is None else v for v in row] for row in matrix['values']])
    worst = np.nanmax(np.abs(ours - reference))
    print(f"{estimator} CKA, {matrix['rowLabel']} vs {matrix['columnLabel']}: {len(rows)}x{len(cols)} taps, n={n}, "
          f"{len(order) // n} batches; largest |ours - torch float64| = {worst:.2e}")
    print('diagonal (torch):', ' '.join(f'{reference[i, i]:.4f}' for i in range(min(len(rows), len(cols)))))
    sys.exit(0 if worst < 1e-4 else 1)


main()
