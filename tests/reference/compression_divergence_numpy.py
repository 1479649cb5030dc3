#!/usr/bin/python3
"""SciPy reference for native-models/analysis/compression/per-image-divergence.ts and the plain
numbers of divergence-summary.ts (issue 18, papers.md §4).

  /usr/bin/python3 tests/reference/compression_divergence_numpy.py

prints the seeded inputs (float32 logits [N, classes], labels) and the expected values as
TypeScript, pasted into tests/unit/analysis/compression/output-divergence.test.ts.

Independent of the TypeScript, which works in log space: here KL(p_ref ‖ p_quant) is
Σ scipy.special.rel_entr(p_ref, p_quant) over float64 softmax probabilities (scipy.special.softmax),
checked against the log-space form. The last row has logits near 900, where a naive exp overflows;
row 6 is left unquantized (KL 0). McNemar's exact p is scipy.stats.binomtest on the discordant pairs.
"""
import numpy as np
from scipy.special import log_softmax, rel_entr, softmax
from scipy.stats import binomtest

SEED = 18
IMAGES = 8
CLASSES = 5


def inputs():
    rng = np.random.default_rng(SEED)
    reference = rng.normal(0.0, 2.0, size=(IMAGES, CLASSES))
    quantized = reference + rng.normal(0.0, 0.6, size=(IMAGES, CLASSES))
    quantized[6] = reference[6]
    reference[7] = [900, 0, -50, 10, 850]
    quantized[7] = [880, 5, -40, 0, 870]
    labels = rng.integers(0, CLASSES, size=IMAGES)
    return reference.astype(np.float32), quantized.astype(np.float32), labels.astype(np.int32)


def float32_list(values):
    return ', '.join(np.format_float_positional(v, unique=True, trim='-') for v in values.ravel())


def number_list(values):
    return ', '.join(repr(float(v)) for v in values)


def main():
    reference32, quantized32, labels = inputs()
    reference = reference32.astype(np.float64)
    quantized = quantized32.astype(np.float64)
    kl = rel_entr(softmax(reference, axis=1), softmax(quantized, axis=1)).sum(axis=1)
    log_p = log_softmax(reference, axis=1)
    log_space = (np.exp(log_p) * (log_p - log_softmax(quantized, axis=1))).sum(axis=1)
    assert np.allclose(kl, log_space, rtol=1e-12, atol=1e-15), (kl, log_space)
    max_delta = np.abs(quantized - reference).max(axis=1)
    reference_predicted = reference.argmax(axis=1)
    quantized_predicted = quantized.argmax(axis=1)
    reference_correct = reference_predicted == labels
    quantized_correct = quantized_predicted == labels
    only_reference = int(np.sum(reference_correct & ~quantized_correct))
    only_quantized = int(np.sum(~reference_correct & quantized_correct))
    discordant = only_reference + only_quantized
    p_value = 1.0 if discordant == 0 else binomtest(only_reference, discordant, 0.5).pvalue
    print(f'const CLASSES = {CLASSES}')
    print(f'const referenceLogits = Float32Array.of({float32_list(reference32)})')
    print(f'const quantizedLogits = Float32Array.of({float32_list(quantized32)})')
    print(f'const labels = Int32Array.of({", ".join(map(str, labels))})')
    print(f'const expectedKl = [{number_list(kl)}]')
    print(f'const expectedMaxAbsLogitDelta = [{number_list(max_delta)}]')
    print(f'const expectedReferencePredicted = [{", ".join(map(str, reference_predicted))}]')
    print(f'const expectedQuantizedPredicted = [{", ".join(map(str, quantized_predicted))}]')
    print('const expectedSummary = {')
    print(f'  referenceTop1: {reference_correct.mean()!r},')
    print(f'  top1: {quantized_correct.mean()!r},')
    print(f'  meanKl: {kl.mean()!r},')
    print(f'  meanMaxAbsLogitDelta: {max_delta.mean()!r},')
    print(f'  maxMaxAbsLogitDelta: {max_delta.max()!r},')
    print(f'  changedPredictions: {np.mean(reference_predicted != quantized_predicted)!r},')
    print(f'  onlyReference: {only_reference},')
    print(f'  onlyQuantized: {only_quantized},')
    print(f'  pValue: {p_value!r},')
    print('}')


if __name__ == '__main__':
    main()
