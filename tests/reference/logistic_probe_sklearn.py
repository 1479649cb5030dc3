#!/usr/bin/python3
"""scikit-learn golden for the exact logistic probe (native-models/analysis/probes-logistic).

Regenerate (Debian python3-sklearn, python3-scipy, python3-numpy; the tests read the JSON):
  /usr/bin/python3 tests/reference/logistic_probe_sklearn.py \
      tests/fixtures/goldens/probes/logistic-golden.json

Three seeded synthetic data sets: 'separable-4' (n=800, d=32, C=4, well separated class
means), 'noisy-10' (n=1000, d=64, C=10, overlapping means, correlated features, 5 % flipped
labels) and 'noisy-10-subset' (24 seeded columns of noisy-10: a neuron-subset probe; its
features are those columns of noisy-10's, not stored twice). Features are quantised to
multiples of 1/16 in [-8, 127/16] and stored as int8 codes, so both sides read exactly the
same float32 values. Test sets have 2,000 rows, so 0.2 accuracy points are 4 images.

Objective, with weight decay a: mean CE + (a/2)·||W||^2, bias not penalised. scikit-learn 1.2
minimises sum CE + ||W||^2/(2C) with lbfgs, the same minimiser when C = 1/(a·n); its `tol` is a
bound on the gradient of that *summed* objective and scipy also stops on a relative decrease of
2.2e-9, so the script records the mean-objective gradient sklearn actually reached, and a tighter
reference optimum (scipy L-BFGS-B on the mean objective, ftol=0, gtol=1e-12, analytic gradient).
"""
import base64
import json
import sys
import time

import numpy as np
import scipy
import scipy.optimize
import sklearn
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression

COMMAND = ("/usr/bin/python3 tests/reference/logistic_probe_sklearn.py "
           "tests/fixtures/goldens/probes/logistic-golden.json")
SEED = 16
TEST_ROWS = 2000
SCALE = 16.0


def quantise(x):
    codes = np.clip(np.round(x * SCALE), -128, 127).astype(np.int8)
    return codes


def encode_int8(codes):
    return base64.b64encode(np.ascontiguousarray(codes).tobytes()).decode("ascii")


def gaussian_classes(rng, n, d, classes, mean_scale, mixing, flip):
    means = rng.normal(0.0, mean_scale, size=(classes, d))
    labels = rng.integers(0, classes, size=n)
    x = means[labels] + rng.normal(0.0, 1.0, size=(n, d)) @ mixing
    flipped = rng.random(n) < flip
    labels[flipped] = rng.integers(0, classes, size=int(flipped.sum()))
    return x, labels


def make_sets():
    rng = np.random.default_rng(SEED)
    sets = []
    d = 32
    x, y = gaussian_classes(rng, 800 + TEST_ROWS, d, 4, 0.6, np.eye(d), 0.0)
    sets.append(("separable-4", x, y, 4, 1e-3))
    d = 64
    mixing = np.eye(d) + 0.3 * rng.normal(0.0, 1.0 / np.sqrt(d), size=(d, d))
    x, y = gaussian_classes(rng, 1000 + TEST_ROWS, d, 10, 0.35, mixing, 0.05)
    sets.append(("noisy-10", x, y, 10, 5e-4))
    columns = np.sort(rng.choice(d, size=24, replace=False))
    sets.append(("noisy-10-subset", x[:, columns], y, 10, 5e-4, columns))
    return sets


def mean_objective(x, y, weights, bias, decay):
    logits = x @ weights + bias
    ce = np.mean(logsumexp(logits, axis=1) - logits[np.arange(len(y)), y])
    return ce + 0.5 * decay * np.sum(weights * weights), ce


def mean_gradient(x, y, weights, bias, decay):
    logits = x @ weights + bias
    p = np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
    p[np.arange(len(y)), y] -= 1.0
    n = len(y)
    return x.T @ p / n + decay * weights, p.sum(axis=0) / n


def reference_optimum(x, y, classes, decay):
    d = x.shape[1]

    def fun(theta):
        w, b = theta[: d * classes].reshape(d, classes), theta[d * classes:]
        value, _ = mean_objective(x, y, w, b, decay)
        gw, gb = mean_gradient(x, y, w, b, decay)
        return value, np.concatenate([gw.ravel(), gb])

    result = scipy.optimize.minimize(
        fun, np.zeros(d * classes + classes), jac=True, method="L-BFGS-B",
        options={"ftol": 0.0, "gtol": 1e-12, "maxiter": 100000, "maxfun": 200000})
    w = result.x[: d * classes].reshape(d, classes)
    return w, result.x[d * classes:], int(result.nit)


def golden_for(name, x_all, y_all, classes, decay, columns=None):
    n = x_all.shape[0] - TEST_ROWS
    codes = quantise(x_all)
    x32 = (codes.astype(np.float32) / np.float32(SCALE))
    x = x32.astype(np.float64)
    train_x, test_x = x[:n], x[n:]
    train_y, test_y = y_all[:n], y_all[n:]
    c = 1.0 / (decay * n)
    model = LogisticRegression(multi_class="multinomial", penalty="l2", C=c, solver="lbfgs",
                               tol=1e-10, max_iter=100000)
    started = time.perf_counter()
    model.fit(train_x, train_y)
    fit_seconds = time.perf_counter() - started
    weights, bias = model.coef_.T.copy(), model.intercept_.copy()
    objective, ce = mean_objective(train_x, train_y, weights, bias, decay)
    gw, gb = mean_gradient(train_x, train_y, weights, bias, decay)
    ref_w, ref_b, ref_iterations = reference_optimum(train_x, train_y, classes, decay)
    ref_objective, ref_ce = mean_objective(train_x, train_y, ref_w, ref_b, decay)
    rgw, rgb = mean_gradient(train_x, train_y, ref_w, ref_b, decay)
    entry = {
        "name": name,
        "n": n, "k": x.shape[1], "classes": classes, "testRows": TEST_ROWS,
        "weightDecay": decay, "sklearnC": c,
        "featureScale": 1.0 / SCALE,
        "labelsInt8Base64": encode_int8(y_all.astype(np.int8)),
        "sklearn": {
            "trainAccuracy": float(model.score(train_x, train_y)),
            "testAccuracy": float(model.score(test_x, test_y)),
            "testPredictionsBase64": encode_int8(model.predict(test_x).astype(np.int8)),
            "objective": float(objective), "crossEntropy": float(ce),
            "gradientMaxAbs": float(max(np.abs(gw).max(), np.abs(gb).max())),
            "iterations": int(model.n_iter_[0]), "fitSeconds": fit_seconds,
            "coef": weights.ravel().tolist(),
            "intercept": bias.tolist(),
        },
        "reference": {
            "objective": float(ref_objective), "crossEntropy": float(ref_ce),
            "gradientMaxAbs": float(max(np.abs(rgw).max(), np.abs(rgb).max())),
            "iterations": ref_iterations,
            "testAccuracy": float(np.mean(np.argmax(test_x @ ref_w + ref_b, axis=1) == test_y)),
        },
    }
    if columns is None:
        entry["featuresInt8Base64"] = encode_int8(codes)
    else:
        entry["columnsOf"] = {"set": "noisy-10", "columns": [int(v) for v in columns]}
    return entry


def main():
    out = sys.argv[1]
    sets = [golden_for(*spec) for spec in make_sets()]
    golden = {
        "command": COMMAND,
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__,
                     "scipy": scipy.__version__},
        "objective": "mean CE + (weightDecay/2)·||W||², bias not penalised; sklearnC = 1/(weightDecay·n)",
        "sets": sets,
    }
    with open(out, "w") as f:
        json.dump(golden, f)
        f.write("\n")
    for entry in sets:
        s, r = entry["sklearn"], entry["reference"]
        print(f"{entry['name']}: sklearn test {s['testAccuracy']:.4f} obj {s['objective']:.10f} "
              f"|g| {s['gradientMaxAbs']:.2e} it {s['iterations']} ({s['fitSeconds']:.2f} s); "
              f"reference obj {r['objective']:.10f} |g| {r['gradientMaxAbs']:.2e} "
              f"test {r['testAccuracy']:.4f}")


if __name__ == "__main__":
    main()
