#!/usr/bin/python3
"""NumPy transcription of T3A (matsuolab/T3A domainbed/adapt_algorithms.py, as described in
../shared/reference/papers.md §2.1), producing the golden for native-models/analysis/t3a.

Regenerate (Debian python3-numpy; the unit tests compare against the committed JSON):
  /usr/bin/python3 tests/reference/t3a_numpy.py tests/fixtures/goldens/t3a/t3a-synthetic.json

The data are drawn here (seeded): C = 5 class means in d = 16, N = 300 features around them
(class 4 rare, so early batches miss it), rounded to float32; a classifier from noisy class means
whose class 0 has a large bias, so that some warm-up row's pseudo-label is not its own class.
Two streams: a seeded shuffle, and dataset order sorted by class (the collapse case).
For every M in {1, 5, 20, 50, 100, all} (and both meanings of "all": no filtering, or the
reference's `[:-1]` slice) and both last-partial-batch policies, the script runs the reference
loop literally, in float64 on the float32 values: keep (supports, one-hot labels, entropies),
append each batch, re-select every class's lowest-entropy supports (stable sort), then predict
with z @ normalize(normalize(S, rows).T @ labels, columns).
"""
import json
import sys

import numpy as np

COMMAND = ("/usr/bin/python3 tests/reference/t3a_numpy.py "
           "tests/fixtures/goldens/t3a/t3a-synthetic.json")
SEED = 16
N, D, C = 300, 16, 5
BATCH = 32
FILTERS = [1, 5, 20, 50, 100, "all"]
EPS = 1e-12  # torch.nn.functional.normalize default


def softmax_entropy(x):
    """-(softmax(x) * log_softmax(x)).sum(1), as the reference's softmax_entropy."""
    shifted = x - x.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -(np.exp(log_softmax) * log_softmax).sum(axis=1)


def normalize(x, axis):
    norm = np.sqrt((x * x).sum(axis=axis, keepdims=True))
    return x / np.maximum(norm, EPS)


def one_hot(index):
    out = np.zeros((len(index), C))
    out[np.arange(len(index)), index] = 1.0
    return out


def select_supports(supports, labels, ent, filter_k, reference_all):
    y_hat = labels.argmax(axis=1)
    all_indices = np.arange(len(ent))
    kept = []
    for i in range(C):
        members = all_indices[y_hat == i]
        order = np.argsort(ent[members], kind="stable")
        ranked = members[order]
        if filter_k == "all":
            ranked = ranked[:-1] if reference_all else ranked
        else:
            ranked = ranked[:filter_k]
        kept.append(ranked)
    kept = np.concatenate(kept).astype(int)
    return supports[kept], labels[kept], ent[kept]


def t3a(z, y, w, b, filter_k, reference_all, drop_last):
    warm_p = w @ w.T + b
    supports, labels, ent = w.copy(), one_hot(warm_p.argmax(axis=1)), softmax_entropy(warm_p)
    end = N - N % BATCH if drop_last else N
    base, adapted, base_ent, adapted_ent, counts, mean_ent = [], [], [], [], [], []
    for first in range(0, end, BATCH):
        zb = z[first:min(first + BATCH, end)]
        p = zb @ w.T + b
        supports = np.concatenate([supports, zb])
        labels = np.concatenate([labels, one_hot(p.argmax(axis=1))])
        ent = np.concatenate([ent, softmax_entropy(p)])
        supports, labels, ent = select_supports(supports, labels, ent, filter_k, reference_all)
        weights = normalize(supports, axis=1).T @ labels
        logits = zb @ normalize(weights, axis=0)
        base += p.argmax(axis=1).tolist()
        adapted += logits.argmax(axis=1).tolist()
        base_ent += softmax_entropy(p).tolist()
        adapted_ent += softmax_entropy(logits).tolist()
        y_s = labels.argmax(axis=1)
        counts.append([int((y_s == k).sum()) for k in range(C)])
        mean_ent.append([float(ent[y_s == k].mean()) if (y_s == k).any() else None
                         for k in range(C)])
    base, adapted, truth = np.array(base), np.array(adapted), y[:len(base)]
    return {
        "basePredictions": base.tolist(),
        "t3aPredictions": adapted.tolist(),
        "baseAccuracy": float((base == truth).mean()),
        "t3aAccuracy": float((adapted == truth).mean()),
        "baseMeanEntropy": float(np.mean(base_ent)),
        "t3aMeanEntropy": float(np.mean(adapted_ent)),
        "supportCounts": counts,
        "supportMeanEntropy": mean_ent,
    }


def draw(rng):
    means = rng.normal(size=(C, D)) * 1.2
    label = rng.choice(C, size=N, p=[0.26, 0.26, 0.22, 0.22, 0.04])
    features = (means[label] + rng.normal(size=(N, D))).round(4).astype(np.float32)
    weights = (0.3 * means + 0.3 * rng.normal(size=(C, D))).round(4).astype(np.float32)
    weights[3] *= np.float32(0.2)
    bias = np.array([2.5, 0.0, -0.3, 0.1, 0.0], dtype=np.float32)
    return features, label, weights, bias


def all_behaviour(filter_k, reference_all):
    if filter_k != "all":
        return None
    return "reference-drops-highest-entropy" if reference_all else "keep-every-support"


def main(out_path):
    rng = np.random.default_rng(SEED)
    features, label, weights, bias = draw(rng)
    z64, w64, b64 = features.astype(np.float64), weights.astype(np.float64), bias.astype(np.float64)
    warm_labels = (w64 @ w64.T + b64).argmax(axis=1)
    assert (warm_labels != np.arange(C)).any(), "want a warm-up row labelled as another class"
    orders = {"shuffled": rng.permutation(N), "sorted-by-class": np.argsort(label, kind="stable")}
    runs = []
    for stream, order in orders.items():
        for filter_k in FILTERS:
            behaviours = [False, True] if filter_k == "all" else [False]
            for reference_all in behaviours:
                for drop_last in [False, True]:
                    run = t3a(z64[order], label[order], w64, b64,
                              filter_k, reference_all, drop_last)
                    run.update({
                        "stream": stream,
                        "filter": filter_k,
                        "allBehaviour": all_behaviour(filter_k, reference_all),
                        "lastPartialBatch": "drop" if drop_last else "predict",
                    })
                    runs.append(run)
    golden = {
        "command": COMMAND,
        "classes": C, "dim": D, "count": N, "batchSize": BATCH,
        "weights": [float(v) for v in weights.ravel()],
        "bias": [float(v) for v in bias],
        "features": [float(v) for v in features.ravel()],
        "labels": label.tolist(),
        "warmupPseudoLabels": warm_labels.tolist(),
        "streams": {name: order.tolist() for name, order in orders.items()},
        "runs": runs,
    }
    with open(out_path, "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
