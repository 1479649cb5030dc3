#!/usr/bin/python3
"""statsmodels / SciPy / NumPy references for native-models/analysis/uncertainty.

Regenerate (Debian python3-statsmodels, python3-scipy, python3-numpy; CI compares against the
committed JSON):
  node tests/reference/export-bootstrap-resamples.ts tests/.tmp/uncertainty-resamples.json
  /usr/bin/python3 tests/reference/uncertainty_goldens.py tests/.tmp/uncertainty-resamples.json \
    tests/fixtures/goldens/uncertainty.json

- Wilson: statsmodels proportion_confint(count, nobs, alpha=1 - confidence, method='wilson').
- McNemar: statsmodels mcnemar([[0, only_a], [only_b, 0]], exact=True).pvalue.
- Normal quantile: scipy.special.ndtri.
- Bootstrap: the TS export holds the per-image arrays and every resample's indices. This script
  first replays the documented stream (splitmix64 -> xoshiro128** -> rejection, see
  native-models/analysis/uncertainty/xoshiro128.ts) and asserts it gives the same indices, then
  evaluates each statistic per resample in float64 and takes np.percentile (method 'linear').
  ECE bins are (lower, upper] with edges np.linspace(0, 1, 16), as eval_metrics_golden.py.
"""
import json
import sys

import numpy as np
from scipy.special import ndtri
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint

COMMAND = (
    "node tests/reference/export-bootstrap-resamples.ts tests/.tmp/uncertainty-resamples.json && "
    "/usr/bin/python3 tests/reference/uncertainty_goldens.py "
    "tests/.tmp/uncertainty-resamples.json tests/fixtures/goldens/uncertainty.json"
)
UINT64 = (1 << 64) - 1
UINT32 = (1 << 32) - 1
ECE_BINS = 15

WILSON_CASES = [
    (8, 10, 0.95), (0, 10, 0.95), (10, 10, 0.95), (5, 10, 0.95), (0, 1, 0.95), (1, 1, 0.95),
    (3, 7, 0.9), (3, 7, 0.99), (37, 50, 0.95), (1, 1000, 0.95), (999, 1000, 0.95),
    (7612, 10000, 0.95), (7612, 10000, 0.8), (38104, 50000, 0.95), (1, 50000, 0.95),
    (0, 100000, 0.95), (100000, 100000, 0.95), (987654, 1281167, 0.95), (3, 8, 0.5),
]
MCNEMAR_CASES = [
    (0, 0), (1, 9), (9, 1), (5, 5), (0, 10), (0, 1), (3, 4), (20, 35), (120, 80), (2400, 2600),
    (2000, 3000), (2500, 2500), (0, 5000), (1000, 4000), (30, 1000), (49000, 51000),
    (49900, 50100), (45000, 55000),
]
QUANTILE_PROBABILITIES = [1e-300, 1e-20, 1e-10, 0.005, 0.025, 0.05, 0.1, 0.3, 0.5, 0.8, 0.975, 0.995]


def splitmix64(seed):
    state = seed & UINT64
    while True:
        state = (state + 0x9E3779B97F4A7C15) & UINT64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & UINT64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & UINT64
        yield z ^ (z >> 31)


def rotl32(x, bits):
    return ((x << bits) | (x >> (32 - bits))) & UINT32


def xoshiro128starstar(seed):
    words = splitmix64(seed)
    first, second = next(words), next(words)
    s = [first & UINT32, first >> 32, second & UINT32, second >> 32]
    while True:
        result = (rotl32((s[1] * 5) & UINT32, 7) * 9) & UINT32
        t = (s[1] << 9) & UINT32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl32(s[3], 11)
        yield result


def bootstrap_indices(n, resamples, seed):
    stream = xoshiro128starstar(seed)
    limit = n * ((1 << 32) // n)
    indices = np.empty((resamples, n), dtype=np.int64)
    for r in range(resamples):
        for i in range(n):
            x = next(stream)
            while x >= limit:
                x = next(stream)
            indices[r, i] = x % n
    return indices


def ece(confidence, correct):
    edges = np.linspace(0, 1, ECE_BINS + 1)
    total = 0.0
    for lower, upper in zip(edges[:-1], edges[1:]):
        in_bin = (confidence > lower) & (confidence <= upper)
        if in_bin.any():
            total += abs(confidence[in_bin].mean() - correct[in_bin].mean()) * in_bin.mean()
    return float(total)


def wilson_cases():
    cases = []
    for successes, n, confidence in WILSON_CASES:
        lower, upper = proportion_confint(successes, n, alpha=1 - confidence, method="wilson")
        cases.append({"successes": successes, "n": n, "confidence": confidence,
                      "lower": float(lower), "upper": float(upper)})
    return cases


def mcnemar_cases():
    return [{"onlyA": a, "onlyB": b, "pValue": float(mcnemar([[0, a], [b, 0]], exact=True).pvalue)}
            for a, b in MCNEMAR_CASES]


def bootstrap_golden(exported):
    data = exported["dataset"]
    confidence = np.array(data["confidence"], dtype=np.float32).astype(np.float64)
    correct_a = np.array(data["correctA"], dtype=np.float64)
    correct_b = np.array(data["correctB"], dtype=np.float64)
    nll = np.array(data["nll"], dtype=np.float32).astype(np.float64)
    n, seed, resamples = len(confidence), exported["seed"], exported["resamples"]
    indices = np.array(exported["indices"], dtype=np.int64)
    assert np.array_equal(indices, bootstrap_indices(n, resamples, seed)), "index stream differs"

    statistics = {
        "meanNll": lambda idx: nll[idx].mean(),
        "accuracyA": lambda idx: correct_a[idx].mean(),
        "eceA": lambda idx: ece(confidence[idx], correct_a[idx]),
        "accuracyDelta": lambda idx: correct_b[idx].mean() - correct_a[idx].mean(),
        "eceDelta": lambda idx: ece(confidence[idx], correct_b[idx]) - ece(confidence[idx], correct_a[idx]),
    }
    everything = np.arange(n)
    intervals = []
    for name, statistic in statistics.items():
        values = np.array([statistic(idx) for idx in indices])
        for confidence_level, percents in ((0.95, [2.5, 97.5]), (0.9, [5, 95])):
            lower, upper = np.percentile(values, percents)
            intervals.append({"statistic": name, "confidence": confidence_level,
                              "lower": float(lower), "upper": float(upper),
                              "estimate": float(statistic(everything))})
    return {
        "seed": seed,
        "resamples": resamples,
        "dataset": data,
        "firstResampleHead": indices[0, :8].tolist(),
        "indexSums": indices.sum(axis=1).tolist(),
        "intervals": intervals,
    }


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {COMMAND}")
    with open(sys.argv[1]) as file:
        exported = json.load(file)
    golden = {
        "command": COMMAND,
        "wilson": wilson_cases(),
        "mcnemar": mcnemar_cases(),
        "normalQuantile": [{"p": p, "z": float(ndtri(p))} for p in QUANTILE_PROBABILITIES],
        "bootstrap": bootstrap_golden(exported),
    }
    with open(sys.argv[2], "w") as file:
        json.dump(golden, file, indent=1)
        file.write("\n")


if __name__ == "__main__":
    main()
