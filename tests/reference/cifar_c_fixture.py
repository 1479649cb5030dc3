"""A small CIFAR-10-C-layout set made from an MNIST-family IDX test split, written by numpy.

usage: cifar_c_fixture.py <idx folder> <out folder> <corruption> [<corruption> ...]

For each corruption: <out>/<corruption>.npy of uint8 (5N, 28, 28, 3), severity s in rows
(s-1)*N ... s*N-1 (the gray image as RGB plus seeded noise growing with s, clipped), and
<out>/labels.npy with the N clean labels repeated for the five severities, as CIFAR-10-C stores
them. Also <out>-slices/<corruption>-<s>/{images,labels}.npy: each severity's slice on its own,
cut by numpy, to evaluate directly. Prints, per corruption and severity, the sha256 of the slice's
bytes and its labels, so a reader can be checked against numpy's indexing.
"""
import gzip
import hashlib
import json
import os
import sys

import numpy as np


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def main():
    idx, out, corruptions = sys.argv[1], sys.argv[2], sys.argv[3:]
    images = read_idx(os.path.join(idx, "t10k-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(idx, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    n = len(images)
    rgb = np.repeat(images[..., None], 3, axis=3).astype(np.float64)
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "labels.npy"), np.tile(labels, 5))
    report = {}
    for k, corruption in enumerate(corruptions):
        rng = np.random.default_rng(k)
        stacked = np.concatenate(
            [np.clip(rgb + rng.normal(0, 25 * s, rgb.shape), 0, 255) for s in range(1, 6)]
        ).astype(np.uint8)
        np.save(os.path.join(out, f"{corruption}.npy"), stacked)
        for s in range(1, 6):
            rows = stacked[(s - 1) * n : s * n]
            own = np.tile(labels, 5)[(s - 1) * n : s * n]
            folder = os.path.join(f"{out}-slices", f"{corruption}-{s}")
            os.makedirs(folder, exist_ok=True)
            np.save(os.path.join(folder, "images.npy"), rows)
            np.save(os.path.join(folder, "labels.npy"), own)
            report[f"{corruption}-{s}"] = {
                "sha256": hashlib.sha256(rows.tobytes()).hexdigest(),
                "labels": own.tolist(),
            }
    print(json.dumps(report))


main()
