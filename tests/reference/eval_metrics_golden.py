#!/usr/bin/python3
"""NumPy reference for the evaluation metrics: top-1, top-5, NLL, ECE (15 bins), reliability bins,
confusion matrix and per-class accuracy, over fixed float32 outputs written into the golden itself.

Regenerate (NumPy only; CI compares against the committed JSON):
  /usr/bin/python3 tests/reference/eval_metrics_golden.py tests/fixtures/goldens/eval-metrics.json

Conventions, the same as native-models/analysis/evaluation.ts:
  - outputs are cast float32 -> float64 first; log-softmax is x - max - log(sum(exp(x - max)));
  - prediction = np.argmax (first maximum); confidence = max softmax = 1 / sum(exp(x - max));
  - top-k (k = min(5, K)): label in np.argsort(-x, kind='stable')[:k];
  - a model ending in Softmax gives probabilities: NLL = -log(max(p_true, 2**-149)), confidence = max p;
  - ECE as DAMP's utils.py::ece: bins (lower, upper] with edges np.linspace(0, 1, 16),
    sum over non-empty bins of |mean confidence - accuracy| * bin fraction;
  - an empty bin or class reports accuracy 0 and confidence 0.
"""
import json
import re
import sys

import numpy as np

BINS = 15
TOP_K = 5
SMALLEST_FLOAT32_PROBABILITY = 2.0 ** -149
COMMAND = "/usr/bin/python3 tests/reference/eval_metrics_golden.py tests/fixtures/goldens/eval-metrics.json"


def log_probabilities(x, labels, has_softmax):
    """(confidence, nll per image) from float64 outputs."""
    rows = np.arange(len(labels))
    if has_softmax:
        return x.max(axis=1), -np.log(np.maximum(x[rows, labels], SMALLEST_FLOAT32_PROBABILITY))
    shifted = x - x.max(axis=1, keepdims=True)
    sum_of_exp = np.exp(shifted).sum(axis=1)
    probabilities = np.exp(shifted) / sum_of_exp[:, None]
    return probabilities.max(axis=1), -(shifted[rows, labels] - np.log(sum_of_exp))


def calibration(confidence, correct):
    edges = np.linspace(0, 1, BINS + 1)
    bins, ece = [], 0.0
    for lower, upper in zip(edges[:-1], edges[1:]):
        in_bin = (confidence > lower) & (confidence <= upper)
        count = int(in_bin.sum())
        accuracy = float(correct[in_bin].mean()) if count else 0.0
        mean_confidence = float(confidence[in_bin].mean()) if count else 0.0
        if count:
            ece += abs(mean_confidence - accuracy) * in_bin.mean()
        bins.append({"lower": float(lower), "upper": float(upper), "count": count,
                     "accuracy": accuracy, "confidence": mean_confidence})
    return float(ece), bins


def metrics(outputs32, labels, num_classes, has_softmax):
    x = outputs32.astype(np.float64)
    k = min(TOP_K, x.shape[1])
    predicted = np.argmax(x, axis=1)
    top_k = np.argsort(-x, axis=1, kind="stable")[:, :k]
    confidence, nll = log_probabilities(x, labels, has_softmax)
    correct = predicted == labels
    ece, reliability = calibration(confidence, correct)
    confusion = np.zeros((num_classes, x.shape[1]), dtype=np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    counts = confusion.sum(axis=1)
    return {
        "top1": float(correct.mean()),
        "top5": float((top_k == labels[:, None]).any(axis=1).mean()),
        "nll": float(nll.mean()),
        "ece": ece,
        "reliability": reliability,
        "confusion": confusion.tolist(),
        "perClass": [{"count": int(n), "accuracy": float(confusion[c, c] / n) if n else 0.0}
                     for c, n in enumerate(counts)],
    }


def random_logits(rng, n, k):
    """Logits at scales 0.1 .. 30 (under- to over-confident), the true class boosted on half the rows."""
    labels = rng.integers(0, k, n)
    scales = np.array([0.1, 1.0, 3.0, 8.0, 30.0])[np.arange(n) % 5]
    logits = rng.standard_normal((n, k)) * scales[:, None]
    boosted = rng.random(n) < 0.5
    logits[boosted, labels[boosted]] += 2.0 * scales[boosted]
    return logits.astype(np.float32), labels


def tied_row(k, winners, label):
    """`winners` classes tied at 0, the rest at -1000 (exp underflows to exactly 0): confidence 1/len."""
    row = np.full(k, -1000.0, dtype=np.float32)
    row[list(winners)] = 0.0
    return row, label


def plateau(k, top):
    """The first `top` classes at 5, the rest at 1."""
    return np.r_[np.full(top, 5.0), np.full(k - top, 1.0)].astype(np.float32)


def edge_case_logits():
    """15 classes: confidences exactly on bin edges (1/15, 1/5, 1/3, 1), argmax and top-5 ties."""
    rows = [
        (np.zeros(15, dtype=np.float32), 7),            # all equal: conf 1/15, predicts class 0
        tied_row(15, range(3, 8), 3),                   # conf 1/5 = edge 3, predicted 3 (first)
        tied_row(15, range(3, 8), 7),                   # same, label is the last of the tie
        tied_row(15, [2, 9, 11], 11),                   # conf 1/3 = edge 5
        tied_row(15, [2, 9, 11], 2),
        tied_row(15, [4], 4),                           # conf exactly 1
        tied_row(15, [4], 0),                           # confident and wrong: NLL 1000
        (plateau(15, 6), 4),                              # six tied at the top: index 4 ranks 5th
        (plateau(15, 6), 5),                              # index 5 ranks 6th: outside the top 5
        (plateau(15, 4), 9),                              # ties below the top 4: index 4 ranks 5th, 9 does not
        (np.linspace(-3, 3, 15).astype(np.float32), 14),
        (np.linspace(3, -3, 15).astype(np.float32), 10),
    ]
    return np.stack([r for r, _ in rows]), np.array([label for _, label in rows])


def softmax_outputs(rng, n, k):
    logits, labels = random_logits(rng, n, k)
    shifted = logits.astype(np.float64) - logits.max(axis=1, keepdims=True)
    probabilities = (np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)).astype(np.float32)
    probabilities[0] = 0.0
    probabilities[0, 3] = 1.0                           # p(true) = 0: clamped NLL
    labels[0] = 1
    probabilities[1] = 0.0
    probabilities[1, [2, 6]] = 0.5                      # tie: predicts 2
    labels[1] = 6
    return probabilities, labels


def case(name, outputs, labels, num_classes, has_softmax):
    outputs = np.asarray(outputs, dtype=np.float32)
    written = [float(f"{v:.9g}") for v in outputs.ravel()]
    reread = np.array(written, dtype=np.float32).reshape(outputs.shape)
    assert np.array_equal(reread, outputs), name
    labels = np.asarray(labels, dtype=np.int64)
    return {"name": name, "numOutputs": int(outputs.shape[1]), "numClasses": num_classes,
            "hasTrailingSoftmax": has_softmax, "labels": labels.tolist(), "outputs": written,
            "expected": metrics(reread, labels, num_classes, has_softmax)}


def compact_json(value):
    """Indented JSON with every array of plain numbers on one line."""
    text = json.dumps(value, indent=1)
    numbers = re.compile(r"\[\s+([-+0-9.eE,\s]+?)\s+\]")
    return numbers.sub(lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text) + "\n"


def main(out_path):
    rng = np.random.default_rng(20240607)
    random10, labels10 = random_logits(rng, 250, 10)
    random3, labels3 = random_logits(rng, 40, 3)
    edges, edge_labels = edge_case_logits()
    probabilities, softmax_labels = softmax_outputs(rng, 60, 10)
    subset_logits, subset_labels = random_logits(rng, 50, 6)
    subset_labels %= 4
    golden = {
        "description": "NumPy evaluation metrics over the float32 outputs stored with each case",
        "command": COMMAND,
        "versions": {"numpy": np.__version__},
        "cases": [
            case("random logits, 10 classes, scales 0.1 to 30", random10, labels10, 10, False),
            case("random logits, 3 classes (top-5 is top-3)", random3, labels3, 3, False),
            case("edge cases: confidences on bin edges, argmax and top-5 ties", edges, edge_labels, 15, False),
            case("probabilities of a trailing Softmax, with p(true) = 0 and a tie", probabilities, softmax_labels, 10, True),
            case("4 labelled classes scored by 6 outputs", subset_logits, subset_labels, 4, False),
        ],
    }
    with open(out_path, "w") as handle:
        handle.write(compact_json(golden))
    for c in golden["cases"]:
        e = c["expected"]
        print(f'{c["name"]}: top1 {e["top1"]:.4f} top5 {e["top5"]:.4f} nll {e["nll"]:.4f} ece {e["ece"]:.4f}')


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
