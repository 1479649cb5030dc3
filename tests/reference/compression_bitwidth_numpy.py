#!/usr/bin/python3
"""NumPy reference for AC-GC's bit choice and bit accounting (native-models/analysis/compression,
issue 18, papers.md §4.2-4.3), following rdevans0/acgc autoquant.py `scramble` and grad_approx.py:

  /usr/bin/python3 tests/reference/compression_bitwidth_numpy.py \
      tests/fixtures/goldens/compression/acgc-bit-widths.json

Seeded gradient statistics for several sites (conv inputs read by one or two convolutions, some
strided; BN inputs, a third of their channels with a large ∂γ so that the 2^-16 floor applies), measured over a few
batches and averaged as GradApproximator('mean') does (the mean of the squared quantities). As
in the reference, the statistics, dx², the scale and the logs are float32:
  conv: dx² = e·max(Σ‖∇W_i‖², 1e-16) / (2·N·C·H·W·max(Σ R_i·S_i/T_i²·‖∇y_i‖², 1e-16))
  BN:   g2_k = inv_std2_k·nnz2_k·gz2_max_k·(max|x_k|/2)² + ggamma2_k
        dx²_k = max(e·sgx2·N·H·W / (K·gamma2_k·inv_std2_k²·g2_k), 2^-16)
  s_c = 1/(max|x_c| + 1e-6); f = −½·log2(dx²) − log2(s_c) − 1; b = clip(trunc(f), 1, 15) + 1
Bit accounting over sites and batches: Σ b·n / Σ n; ZVC (Σ n + Σ b·nnz) / Σ n; intrinsic Σ i·n / Σ n.
"""
import json
import sys

import numpy as np

SEED = 1804
BATCHES = 3
F32 = np.float32


def conv_site(rng, name, shape, successors, tolerance):
    n, c, h, w = shape
    batches = []
    for _ in range(BATCHES):
        batches.append({
            'kind': 'conv-input',
            'successors': [
                {
                    'kernelHeight': r, 'kernelWidth': s, 'strideHeight': t, 'strideWidth': t,
                    'weightGradSquaredNorm': float(F32(rng.lognormal(-2, 2))),
                    'outputGradSquaredNorm': float(F32(rng.lognormal(-2, 2))),
                }
                for r, s, t in successors
            ],
        })
    max_abs = rng.lognormal(1, 3, size=c).astype(F32)
    sgw2 = [np.mean([b['successors'][i]['weightGradSquaredNorm'] for b in batches])
            for i in range(len(successors))]
    sgy2 = [np.mean([b['successors'][i]['outputGradSquaredNorm'] for b in batches])
            for i in range(len(successors))]
    u = [r * s / t / t for r, s, t in successors]
    tot_sy = max(float(sum(ui * sy for ui, sy in zip(u, sgy2))), 1e-16)
    tot_sgw = max(float(sum(sgw2)), 1e-16)
    dx2 = np.full(c, F32(tolerance * tot_sgw / (2 * n * c * h * w * tot_sy)), dtype=F32)
    return site_case(name, 'conv-input', shape, max_abs, batches, tolerance, dx2)


def bn_site(rng, name, shape, tolerance):
    n, k, h, w = shape
    batches = []
    for _ in range(BATCHES):
        ggamma2 = rng.lognormal(-6, 2, size=k).astype(F32)
        ggamma2[: k // 3] = 1e4  # a large ∂γ: these channels hit the 2^-16 floor
        gz2_max = rng.lognormal(-8, 2, size=k).astype(F32)
        batches.append({
            'kind': 'bn-input',
            'inverseStdSquared': rng.lognormal(0, 1, size=k).astype(F32),
            'gammaSquared': rng.lognormal(0, 1, size=k).astype(F32),
            'gammaGradSquared': ggamma2,
            'outputGradNonzeroCountSquared': (rng.integers(1, n * h * w + 1, size=k) ** 2).astype(F32),
            'outputGradSquaredMax': gz2_max,
            'inputGradSquaredNorm': float(F32(rng.lognormal(-3, 1))),
        })
    max_abs = rng.lognormal(0, 1.5, size=k).astype(F32)
    mean = {key: np.mean(np.stack([b[key] for b in batches]), axis=0).astype(F32)
            for key in batches[0] if key not in ('kind', 'inputGradSquaredNorm')}
    sgx2 = float(np.mean([b['inputGradSquaredNorm'] for b in batches]))
    max_dy = max_abs / F32(2)
    g2 = (mean['inverseStdSquared'] * mean['outputGradNonzeroCountSquared']
          * mean['outputGradSquaredMax'] * max_dy ** 2 + mean['gammaGradSquared'])
    denom = F32(k) * mean['gammaSquared'] * mean['inverseStdSquared'] ** 2 * g2
    dx2 = np.maximum((F32(tolerance * sgx2 * n * h * w) / denom).astype(F32), F32(2.0 ** -16))
    for b in batches:
        for key, value in b.items():
            if isinstance(value, np.ndarray):
                b[key] = [float(v) for v in value]
    return site_case(name, 'bn-input', shape, max_abs, batches, tolerance, dx2)


def site_case(name, kind, shape, max_abs, batches, tolerance, dx2):
    scale = F32(1.0) / (max_abs + F32(1e-6))
    intrinsic = F32(-0.5) * np.log2(dx2)
    f = intrinsic - np.log2(scale) - F32(1)
    fbits = np.clip(np.trunc(f), 1, 15)
    n, c, h, w = shape
    return {
        'site': name,
        'kind': kind,
        'shape': {'batch': n, 'channels': c, 'height': h, 'width': w},
        'maxAbs': [float(v) for v in max_abs],
        'statisticsPerBatch': batches,
        'errorTolerance': tolerance,
        'expected': {
            'allowedSquaredError': [float(v) for v in dx2],
            'intrinsicBits': [float(v) for v in intrinsic],
            'fractionalBits': [int(v) for v in fbits],
            'bits': [int(v) + 1 for v in fbits],
        },
    }


def accounting_case(rng, cases):
    records = []
    totals = {}
    for batch in range(2):
        for case in cases:
            shape = case['shape']
            per_channel = shape['batch'] * shape['height'] * shape['width']
            bits = np.array(case['expected']['bits'], dtype=np.float64)
            intrinsic = np.array(case['expected']['intrinsicBits'], dtype=np.float64)
            nonzeros = rng.integers(0, per_channel + 1, size=shape['channels'])
            records.append({
                'site': case['site'], 'kind': case['kind'], 'bits': bits.tolist(),
                'intrinsicBits': intrinsic.tolist(), 'elementsPerChannel': per_channel,
                'nonzerosPerChannel': nonzeros.tolist(),
            })
            for group in ('overall', case['kind']):
                t = totals.setdefault(group, np.zeros(4))
                t += [per_channel * len(bits), (bits * per_channel).sum(),
                      per_channel * len(bits) + (bits * nonzeros).sum(),
                      (intrinsic * per_channel).sum()]
    expected = {}
    for group, (elements, bit_sum, zvc_sum, intrinsic_sum) in totals.items():
        expected[group] = {
            'elements': int(elements), 'meanBits': bit_sum / elements,
            'meanBitsZeroValue': zvc_sum / elements, 'ratio': 32 * elements / bit_sum,
            'ratioZeroValue': 32 * elements / zvc_sum, 'intrinsicBits': intrinsic_sum / elements,
        }
    return {'records': records, 'expected': expected}


def main():
    rng = np.random.default_rng(SEED)
    cases = [
        conv_site(rng, 'conv-input:stem', (4, 3, 8, 8), [(7, 7, 2)], 1.0),
        conv_site(rng, 'conv-input:layer1.0.conv2', (4, 16, 8, 8), [(3, 3, 1)], 1.0),
        conv_site(rng, 'conv-input:layer2.0', (4, 32, 8, 8), [(1, 1, 1), (1, 1, 2)], 1.0),
        conv_site(rng, 'conv-input:layer2.0.conv2/e0.25', (4, 24, 4, 4), [(3, 3, 2)], 0.25),
        bn_site(rng, 'bn-input:layer1.0.bn1', (4, 16, 8, 8), 1.0),
        bn_site(rng, 'bn-input:layer3.0.bn2/e4', (4, 48, 2, 2), 4.0),
    ]
    golden = {'cases': cases, 'accounting': accounting_case(rng, cases)}
    with open(sys.argv[1], 'w') as out:
        json.dump(golden, out, indent=None, separators=(',', ':'))
        out.write('\n')
    widths = [b for case in cases for b in case['expected']['bits']]
    print(f'{len(cases)} sites, widths {min(widths)}..{max(widths)}, histogram',
          np.bincount(widths, minlength=17)[1:].tolist())


if __name__ == '__main__':
    main()
