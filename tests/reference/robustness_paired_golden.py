#!/usr/bin/python3
"""NumPy reference for native-models/analysis/robustness/sweep (paired per-corruption deltas,
cluster-bootstrap intervals, run-group mean ± std).

Regenerate (Debian python3-numpy; CI compares against the committed JSON):
  /usr/bin/python3 tests/reference/robustness_paired_golden.py tests/fixtures/goldens/robustness-paired.json

The per-image outcomes are drawn here (NumPy's seeded generator): two models, 3 corruptions × 5
severities × N images, B right more often than A, and outcomes correlated across the severities of
one image (an easy image stays easy). For each corruption the script computes, in float64:
- each model's accuracy averaged over severities, and a percentile bootstrap over images in which
  an image's 5 severities are resampled together (np.percentile, method 'linear');
- the paired delta B − A: the mean over images of (mean over severities of B − of A), resampled
  with the same image indices for both models.
The resample indices replay the documented stream (splitmix64 -> xoshiro128** -> rejection) of
tests/reference/uncertainty_goldens.py, so the TypeScript intervals must match to rounding.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uncertainty_goldens import bootstrap_indices  # noqa: E402

COMMAND = ("/usr/bin/python3 tests/reference/robustness_paired_golden.py "
           "tests/fixtures/goldens/robustness-paired.json")
IMAGES = 150
SEVERITIES = 5
CORRUPTIONS = ["gaussian_noise", "fog", "contrast"]
RESAMPLES = 200
SEED = 11
GROUPS = [[0.12, 0.15], [0.31, 0.27, 0.35], [0.5]]


def outcomes(rng):
    """{model: {corruption: uint8 [severity][image]}}: right/wrong per image and severity."""
    easiness = rng.normal(size=IMAGES)
    result = {"A": {}, "B": {}}
    for c, corruption in enumerate(CORRUPTIONS):
        for model, skill in (("A", 0.6), ("B", 1.0)):
            rows = []
            for s in range(SEVERITIES):
                logit = 2.0 + skill + easiness - 0.7 * (s + 1) - 0.3 * c
                p = 1 / (1 + np.exp(-logit))
                rows.append((rng.random(IMAGES) < p).astype(np.uint8))
            result[model][corruption] = np.array(rows)
    return result


def interval(values):
    lower, upper = np.percentile(values, [2.5, 97.5])
    return float(lower), float(upper)


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {COMMAND}")
    rng = np.random.default_rng(2026)
    data = outcomes(rng)
    indices = bootstrap_indices(IMAGES, RESAMPLES, SEED)
    cases = []
    for corruption in CORRUPTIONS:
        a = data["A"][corruption].astype(np.float64).mean(axis=0)
        b = data["B"][corruption].astype(np.float64).mean(axis=0)
        d = b - a
        a_lower, a_upper = interval(a[indices].mean(axis=1))
        b_lower, b_upper = interval(b[indices].mean(axis=1))
        d_lower, d_upper = interval(d[indices].mean(axis=1))
        cases.append({
            "corruption": corruption,
            "a": data["A"][corruption].tolist(),
            "b": data["B"][corruption].tolist(),
            "accuracyA": {"estimate": float(a.mean()), "lower": a_lower, "upper": a_upper},
            "accuracyB": {"estimate": float(b.mean()), "lower": b_lower, "upper": b_upper},
            "delta": {"estimate": float(d.mean()), "lower": d_lower, "upper": d_upper},
        })
    groups = [{"values": values, "mean": float(np.mean(values)),
               "std": float(np.std(values, ddof=1)) if len(values) > 1 else None}
              for values in GROUPS]
    golden = {"command": COMMAND, "images": IMAGES, "resamples": RESAMPLES, "seed": SEED,
              "cases": cases, "groups": groups}
    with open(sys.argv[1], "w") as file:
        json.dump(golden, file)
        file.write("\n")


if __name__ == "__main__":
    main()
