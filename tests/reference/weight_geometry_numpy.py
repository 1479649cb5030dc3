#!/usr/bin/python3
"""NumPy reference for native-models/analysis/weight-geometry (issue 17, papers.md §5.2).

Two uses (Debian python3-numpy; python3-onnx for the second):
  /usr/bin/python3 tests/reference/weight_geometry_numpy.py goldens \
      tests/fixtures/goldens/weight-geometry/weight-geometry-synthetic.json
  /usr/bin/python3 tests/reference/weight_geometry_numpy.py onnx MODEL.onnx OUT.json

`goldens` draws seeded float32 weights of several shapes (n < m and n > m, 1×1 and 3×3 convs, a
linear layer, an orthogonal one, one with a zero row, a single filter) and writes them with the
expected geometry. `onnx` computes the geometry of every Conv and Gemm weight of a model, keyed
by initializer name, for the TypeScript timing check on a real ResNet50.

Definitions (independent of the TypeScript: singular values from np.linalg.svd of W itself,
orthogonality from the explicit n×n products), W reshaped to (n = out, m = in·k·k), float64:
  frobenius         ‖W‖_F
  orthogonality     ‖ŴŴᵀ − I‖²_F / n², Ŵ = rows of W over their norms; a zero row stays zero
  regularizer       ‖WWᵀ − I‖²_F / n² (diagonal kept, the filter-bases regulariser)
  regularizerFloor  (n − m) / n² when n > m, else 0
  meanAbsCos        mean of |ŵ_i·ŵ_j| over ordered pairs i ≠ j of non-zero rows (0 if < 2 rows)
  singularValues    all min(n, m), descending
  stableRank        ‖W‖²_F / σ_max²
  effectiveRank     exp(−Σ p_i ln p_i), p_i = σ_i / Σσ_j (Roy & Vetterli 2007)
"""
import json
import sys

import numpy as np

SEED = 17


def geometry(weight):
    w = np.asarray(weight, dtype=np.float64).reshape(weight.shape[0], -1)
    n, m = w.shape
    norms = np.linalg.norm(w, axis=1)
    live = norms > 0
    w_hat = np.zeros_like(w)
    w_hat[live] = w[live] / norms[live, None]
    identity = np.eye(n)
    cos = w_hat @ w_hat.T
    live_cos = cos[np.ix_(live, live)]
    count = int(live.sum())
    off_diagonal = np.abs(live_cos[~np.eye(count, dtype=bool)])
    sigma = np.linalg.svd(w, compute_uv=False)
    frobenius = float(np.linalg.norm(w))
    p = sigma / sigma.sum() if sigma.sum() > 0 else np.zeros_like(sigma)
    p = p[p > 0]
    return {
        'rows': n,
        'columns': m,
        'frobenius': frobenius,
        'orthogonality': float(np.sum((cos - identity) ** 2) / n**2),
        'regularizer': float(np.sum((w @ w.T - identity) ** 2) / n**2),
        'regularizerFloor': (n - m) / n**2 if n > m else 0.0,
        'meanAbsCos': float(off_diagonal.mean()) if count >= 2 else 0.0,
        'zeroRows': int(n - count),
        'singularValues': [float(s) for s in sigma],
        'stableRank': frobenius**2 / float(sigma[0]) ** 2 if sigma[0] > 0 else 0.0,
        'effectiveRank': float(np.exp(-np.sum(p * np.log(p)))) if len(p) else 0.0,
    }


def he_normal(rng, shape):
    fan_out = shape[0] * int(np.prod(shape[2:])) if len(shape) > 2 else shape[0]
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_out)).astype(np.float32)


def synthetic_cases():
    rng = np.random.default_rng(SEED)
    cases = [
        ('conv3x3 n<m', he_normal(rng, (16, 8, 3, 3))),
        ('conv3x3 n>m', he_normal(rng, (40, 2, 3, 3))),
        ('conv1x1 n>m (expansion)', he_normal(rng, (32, 8, 1, 1))),
        ('conv1x1 n<m (reduction)', he_normal(rng, (8, 32, 1, 1))),
        ('linear', (rng.standard_normal((10, 64)) * 0.05).astype(np.float32)),
    ]
    dead = he_normal(rng, (12, 5, 2, 2))
    dead[3] = 0
    cases.append(('zero row', dead))
    q, _ = np.linalg.qr(rng.standard_normal((16, 16)))
    cases.append(('orthogonal 16x16', q.astype(np.float32)))
    cases.append(('single filter', he_normal(rng, (1, 6, 1, 1))))
    return [
        {
            'name': name,
            'shape': list(weight.shape),
            'weight': [float(v) for v in weight.ravel()],
            'expected': geometry(weight),
        }
        for name, weight in cases
    ]


def onnx_weights(path):
    import onnx
    from onnx import numpy_helper

    model = onnx.load(path)
    initializers = {t.name: t for t in model.graph.initializer}
    weights = {}
    for node in model.graph.node:
        if node.op_type not in ('Conv', 'Gemm') or node.input[1] not in initializers:
            continue
        weight = numpy_helper.to_array(initializers[node.input[1]])
        trans_b = next((a.i for a in node.attribute if a.name == 'transB'), 0)
        if node.op_type == 'Gemm' and not trans_b:
            weight = weight.T
        weights[node.input[1]] = weight
    return weights


def main(argv):
    if len(argv) == 3 and argv[1] == 'goldens':
        golden = {
            'generator': 'tests/reference/weight_geometry_numpy.py goldens (numpy %s)'
            % np.__version__,
            'seed': SEED,
            'cases': synthetic_cases(),
        }
        out = argv[2]
    elif len(argv) == 4 and argv[1] == 'onnx':
        golden = {name: geometry(w) for name, w in onnx_weights(argv[2]).items()}
        out = argv[3]
    else:
        sys.exit(__doc__)
    with open(out, 'w') as f:
        json.dump(golden, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main(sys.argv)
