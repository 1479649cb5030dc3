"""Linear CKA (Kornblith et al. 2019) of clean vs corrupted activations, in NumPy float64.

Run by tests/integration/robustness/breakdown.test.ts, which dumps each tap's activations:
    /usr/bin/python3 tests/reference/breakdown_numpy_check.py <folder>
<folder>/manifest.json: {"n": N, "taps": [{"key": k, "features": p}], "sides": ["clean", "s1", ...]}
<folder>/<side>-<tap index>.f32: float32 little-endian [N, p], images in the same order on every side.
Prints {"<side>": [CKA(clean, side) per tap]} for every side but "clean".
"""

import json
import os
import sys

import numpy as np


def linear_cka(x, y):
    """||YᵀX||²_F / (||XᵀX||_F ||YᵀY||_F) of column-centered X, Y, written with the n×n Grams
    (||YᵀX||²_F = ⟨XXᵀ, YYᵀ⟩), which is cheaper when the features outnumber the images."""
    x = x - x.mean(axis=0, keepdims=True)
    y = y - y.mean(axis=0, keepdims=True)
    k = x @ x.T
    l = y @ y.T
    return float(np.sum(k * l) / (np.linalg.norm(k, "fro") * np.linalg.norm(l, "fro")))


def main(folder):
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    n = manifest["n"]

    def load(side, t, features):
        path = os.path.join(folder, f"{side}-{t}.f32")
        return np.fromfile(path, dtype="<f4").astype(np.float64).reshape(n, features)

    out = {}
    for side in manifest["sides"]:
        if side == "clean":
            continue
        out[side] = [
            linear_cka(load("clean", t, tap["features"]), load(side, t, tap["features"]))
            for t, tap in enumerate(manifest["taps"])
        ]
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
