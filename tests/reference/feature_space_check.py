#!/usr/bin/python3
"""Checks `probes --json` and `t3a --json` results of the CLI against NumPy on the same cached
features (the workspace's feature cache files) and the checkpoint's own final layer (python3-onnx).

  node bin/resnet-workbench.js -w WS probes RUN@E --data DATA --split t10k --train-sample 10000 \
      --exact 1 --json > probes.json
  node bin/resnet-workbench.js -w WS t3a RUN@E --data DATA --split t10k --sample 2000 \
      --order dataset --json > t3a.json
  /usr/bin/python3 tests/reference/feature_space_check.py WS probes.json t3a.json

What is recomputed, in float64 from the float32 features:
- the full-layer ridge probe with the result's λ: W = (C + λI)⁻¹ C_XY on centered moments of
  every training row, b = ȳ − μᵀW; its test top-1 must equal the stored one;
- every PCA top-k probe with its λ (eigenvectors of the same covariance; signs do not matter);
- CKA(X, X) = 1 and the base accuracy of the final layer on the test features;
- with --exact 1, scikit-learn's LogisticRegression (multinomial, L2, C = 1/(α·n)) on every
  training row: its test top-1 within 0.2 points of the stored logistic point;
- T3A: base and T3A top-1 of the first domain for every M, with the NumPy transcription of the
  reference algorithm (tests/reference/t3a_numpy.py), stream in dataset order.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import t3a_numpy  # noqa: E402

MAGIC = b"RNWBFT01"


def read_features(path):
    data = open(path, "rb").read()
    assert data[:8] == MAGIC, f"{path} is not a feature cache file"
    length = int.from_bytes(data[8:12], "little")
    header = json.loads(data[12:12 + length])
    offset = -(-(12 + length) // 64) * 64
    n, d = header["size"], header["dim"]
    x = np.frombuffer(data, dtype="<f4", count=n * d, offset=offset).reshape(n, d)
    y = np.frombuffer(data, dtype="<i4", count=n, offset=offset + 4 * n * d)
    return x, y


def final_layer(model_path):
    model = onnx.load(model_path)
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    gemm = [node for node in model.graph.node if node.op_type == "Gemm"][-1]
    w = inits[gemm.input[1]].astype(np.float64)
    trans_b = next((a.i for a in gemm.attribute if a.name == "transB"), 0)
    w = w.T if trans_b else w
    return w, inits[gemm.input[2]].astype(np.float64)


def ridge_accuracy(train, test, lam, classes, basis=None):
    x, y = train
    xt, yt = test
    x = x.astype(np.float64)
    xt = xt.astype(np.float64)
    if basis is not None:
        x, xt = x @ basis, xt @ basis
    onehot = np.eye(classes)[y]
    mu, ybar = x.mean(0), onehot.mean(0)
    xc = x - mu
    cov = xc.T @ xc
    w = np.linalg.solve(cov + lam * np.eye(cov.shape[0]), xc.T @ (onehot - ybar))
    b = ybar - mu @ w
    return float(((xt @ w + b).argmax(1) == yt).mean())


def check_probes(workspace, result, failures):
    params = result["provenance"]["parameters"]
    files = params["featureFiles"]
    train = read_features(os.path.join(workspace, "cache", "features", files["train"]))
    test = read_features(os.path.join(workspace, "cache", "features", files["test"]))
    payload = result["payload"]
    classes = len(payload["classes"])
    points = payload["points"]
    full = next(p for p in points if p["basis"] == "neurons" and p["solver"] == "ridge" and p["fraction"] == 1)
    ours = full["accuracy"]
    numpy_full = ridge_accuracy(train, test, full["regularization"], classes)
    print(f"full-layer ridge (λ = {full['regularization']:.4g}): ours {ours:.4%}, NumPy {numpy_full:.4%}")
    if abs(ours - numpy_full) > 1.5 / len(test[1]):
        failures.append("full-layer ridge accuracy")
    x = train[0].astype(np.float64)
    xc = x - x.mean(0)
    values, vectors = np.linalg.eigh(xc.T @ xc)
    order = np.argsort(values)[::-1]
    vectors = vectors[:, order]
    worst = 0.0
    for p in (p for p in points if p["basis"] == "pca-top"):
        acc = ridge_accuracy(train, test, p["regularization"], classes, vectors[:, : p["k"]])
        worst = max(worst, abs(acc - p["accuracy"]))
    print(f"PCA top-k probes: largest |ours − NumPy| = {worst:.4%}")
    if worst > 2.5 / len(test[1]):
        failures.append("PCA top-k accuracies")
    logistic = [p for p in points if p["solver"] == "logistic" and p["fraction"] == 1]
    if logistic:
        from sklearn.linear_model import LogisticRegression
        alpha = logistic[0]["regularization"]
        n = len(train[1])
        model = LogisticRegression(C=1 / (alpha * n), multi_class="multinomial", solver="lbfgs",
                                   tol=1e-8, max_iter=5000)
        model.fit(train[0].astype(np.float64), train[1])
        sk = float((model.predict(test[0].astype(np.float64)) == test[1]).mean())
        print(f"full-layer logistic (α = {alpha:g}): ours {logistic[0]['accuracy']:.4%}, scikit-learn {sk:.4%}")
        if abs(sk - logistic[0]["accuracy"]) > 0.002:
            failures.append("logistic probe vs scikit-learn")


def check_t3a(workspace, result, failures):
    payload = result["payload"]
    if payload["order"]["kind"] != "dataset":
        print("T3A: skipped (run it with --order dataset to check it here)")
        return
    files = result["provenance"]["parameters"]["featureFiles"]
    z, y = read_features(os.path.join(workspace, "cache", "features", files[0]))
    w, b = final_layer(result["provenance"]["modelFile"])
    domain = payload["domains"][0]
    base = float((((z.astype(np.float64) @ w) + b).argmax(1) == y).mean())
    print(f"T3A base ({domain['label']}): ours {domain['base']['accuracy']:.4%}, NumPy {base:.4%}")
    if abs(base - domain["base"]["accuracy"]) > 1e-12:
        failures.append("T3A base accuracy")
    reference_all = payload["allBehaviour"] == "reference-drops-highest-entropy"
    drop_last = payload["lastPartialBatch"] == "drop"
    # The transcription reads its sizes from module constants.
    t3a_numpy.N, t3a_numpy.C, t3a_numpy.BATCH = len(y), w.shape[1], payload["streamBatch"]
    weights = w.T.astype(np.float32).astype(np.float64)
    bias = b.astype(np.float32).astype(np.float64)
    for f in domain["filters"]:
        filter_k = "all" if f["filter"] == "all" else int(f["filter"])
        out = t3a_numpy.t3a(z.astype(np.float64), y, weights, bias, filter_k, reference_all, drop_last)
        acc = out["t3aAccuracy"]
        print(f"T3A M = {filter_k}: ours {f['accuracy']:.4%}, NumPy {acc:.4%}")
        if abs(acc - f["accuracy"]) > 1e-12:
            failures.append(f"T3A M = {filter_k}")


def main(workspace, probes_path, t3a_path):
    failures = []
    check_probes(workspace, json.load(open(probes_path)), failures)
    check_t3a(workspace, json.load(open(t3a_path)), failures)
    print("OK" if not failures else f"MISMATCH: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
