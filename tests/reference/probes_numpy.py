#!/usr/bin/python3
"""NumPy float64 reference for the neuron-subset ridge probes (native-models/analysis/probes),
papers.md §1 (Diffused Redundancy), written as the golden the unit tests read.

Regenerate (Debian python3-numpy; the tests compare against the committed JSON):
  /usr/bin/python3 tests/reference/probes_numpy.py tests/fixtures/goldens/probes/ridge-golden.json

Data (seeded, rounded to float32, stored in the fixture): n = 600 training and 200 test rows,
d = 48 ReLU features of a 6-d latent class signal (C = 4), neuron 7 dead (always 0).
Everything is computed directly on centered data, never from streamed moments:
- `cases`: ridge with intercept on one-hot targets for given neuron subsets and λ:
  W = solve(Xcᵀ Xc + λI, Xcᵀ Yc), b = ȳ − μᵀW; test top-1 (argmax, first on ties); and
  CKA(X_S, X) in the centered-Gram (HSIC) form tr(K H L H) / sqrt(tr(K H K H) tr(L H L H)).
- `pcaEigenvalues`: eigh of the centered sum-form covariance, descending.
- `pcaCases`, `projectionCases`: the same ridge on Z = X·V_K (top/bottom k principal axes) and on
  Z = X·P[:, :k] (P uniform [0,1) from the workbench's xoshiro128** stream, columns L2-normalised),
  reported as folded weights E = B_K W (d×C, independent of eigenvector signs) and b; PCA's
  λ = r · Σ_K eigenvalues / k, the projections' λ = r · tr(C)/d (the layer's mean variance).
- `endToEnd`: the whole protocol of runRidgeProbes replayed with the same seeded streams: seeded
  validation split, subsets, λ per fraction (relative grid, validation top-1, ties → larger r),
  refits on every training row, baselines (PCA on the neurons' r, random projections with their
  own r chosen the same way on seed 1's projection), DR_δ and the within-5-points fraction.
"""
import json
import sys

import numpy as np

COMMAND = ("/usr/bin/python3 tests/reference/probes_numpy.py "
           "tests/fixtures/goldens/probes/ridge-golden.json")
SEED = 16
N_TRAIN, N_TEST, D, C, LATENT = 600, 200, 48, 4, 6
DEAD = 7
UINT64 = (1 << 64) - 1
UINT32 = (1 << 32) - 1
DEFAULT_GRID = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10]


# The workbench's seeded stream (native-models/analysis/uncertainty/xoshiro128.ts), as in
# tests/reference/uncertainty_goldens.py.
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


def index_below(stream, n):
    limit = n * ((1 << 32) // n)
    x = next(stream)
    while x >= limit:
        x = next(stream)
    return x % n


def seeded_permutation(n, seed):
    stream = xoshiro128starstar(seed)
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = index_below(stream, i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def subset_size(fraction, d):
    return max(1, int(fraction * d))


def neuron_subset(d, fraction, seed):
    return sorted(seeded_permutation(d, seed)[:subset_size(fraction, d)])


def random_projection(d, seed):
    stream = xoshiro128starstar(seed)
    p = np.array([next(stream) / 2**32 for _ in range(d * d)]).reshape(d, d)
    return p / np.sqrt((p * p).sum(axis=0, keepdims=True))


def make_data():
    rng = np.random.default_rng(SEED)
    centers = rng.normal(size=(C, LATENT)) * 1.2
    mixing = rng.normal(size=(LATENT, D)) / np.sqrt(LATENT)

    def draw(n):
        labels = rng.integers(0, C, size=n)
        latent = centers[labels] + rng.normal(size=(n, LATENT))
        x = np.maximum(latent @ mixing + 0.6 * rng.normal(size=(n, D)) + 0.2, 0)
        x[:, DEAD] = 0
        return x.astype(np.float32).astype(np.float64), labels

    return draw(N_TRAIN), draw(N_TEST)


def one_hot(labels):
    return np.eye(C)[labels]


def ridge(z, labels, lam):
    """Ridge with intercept on one-hot targets, centered float64 normal equations."""
    mu, ybar = z.mean(axis=0), one_hot(labels).mean(axis=0)
    zc, yc = z - mu, one_hot(labels) - ybar
    w = np.linalg.solve(zc.T @ zc + lam * np.eye(z.shape[1]), zc.T @ yc)
    return w, ybar - mu @ w


def accuracy(z, labels, w, b):
    return float(np.mean(np.argmax(z @ w + b, axis=1) == labels))


def centered_trace(z):
    zc = z - z.mean(axis=0)
    return float((zc * zc).sum())


def strength(relative, trace, k, fallback):
    """λ = r · trace/k; a mean variance below 1e-12 of the layer's counts as none (fallback)."""
    scale = trace / k
    if scale > 1e-12 * fallback and scale > 0:
        return relative * scale
    return relative * (fallback if fallback > 0 else 1.0)


def gram_cka(a, b):
    n = a.shape[0]
    h = np.eye(n) - 1.0 / n
    k, l = h @ (a @ a.T) @ h, h @ (b @ b.T) @ h
    denominator = np.sqrt((k * k).sum() * (l * l).sum())
    return None if denominator == 0 else float((k * l).sum() / denominator)


def principal_axes(x):
    xc = x - x.mean(axis=0)
    values, vectors = np.linalg.eigh(xc.T @ xc)
    order = np.argsort(values)[::-1]
    return np.maximum(values[order], 0), vectors[:, order]


def fit_case(x, y, xt, yt, columns, relative, fallback):
    z = x[:, columns]
    lam = strength(relative, centered_trace(z), len(columns), fallback)
    w, b = ridge(z, y, lam)
    return lam, w, b, accuracy(xt[:, columns], yt, w, b)


def folded_case(x, y, xt, yt, basis_k, relative, trace, fallback):
    z = x @ basis_k
    lam = strength(relative, trace, basis_k.shape[1], fallback)
    w, b = ridge(z, y, lam)
    folded = basis_k @ w
    return {"k": basis_k.shape[1], "relative": relative, "lambda": lam,
            "foldedWeights": folded.ravel().tolist(), "bias": b.tolist(),
            "testAccuracy": accuracy(xt, yt, folded, b)}


def ridge_cases(x, y, xt, yt, fallback):
    subsets = [[DEAD], [3], [0, 5, 9, 13, 22], sorted(neuron_subset(D, 0.25, 3)),
               [i for i in range(D) if i % 2 == 1], list(range(D))]
    cases = []
    for subset in subsets:
        for relative in (1e-6, 1e-2, 1.0):
            lam, w, b, acc = fit_case(x, y, xt, yt, subset, relative, fallback)
            cases.append({"subset": subset, "relative": relative, "lambda": lam,
                          "weights": w.ravel().tolist(), "bias": b.tolist(),
                          "testAccuracy": acc, "cka": gram_cka(x[:, subset], x)})
    return cases


def mean_std(values):
    values = np.array(values)
    return float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else 0.0


def end_to_end(x, y, xt, yt):
    fractions, seeds, v_fraction, v_seed = [0.02, 0.05, 0.1, 0.2, 0.5, 0.9], 3, 0.1, 5
    n = x.shape[0]
    held = sorted(seeded_permutation(n, v_seed)[:min(n - 1, max(1, int(v_fraction * n)))])
    part = np.setdiff1d(np.arange(n), held)
    fallback_part = centered_trace(x[part]) / D
    fallback_whole = centered_trace(x) / D
    values, vectors = principal_axes(x)
    points, strengths, subsets = [], [], []
    for fraction in fractions + [1.0]:
        k = subset_size(fraction, D)
        members = ([(0, list(range(D)))] if fraction == 1.0
                   else [(s, neuron_subset(D, fraction, s)) for s in range(1, seeds + 1)])
        first = members[0][1]
        val_accs = [fit_case(x[part], y[part], x[held], y[held], first, r, fallback_part)[3]
                    for r in DEFAULT_GRID]
        best = max(range(len(DEFAULT_GRID)), key=lambda i: (val_accs[i], DEFAULT_GRID[i]))
        relative, val_acc = DEFAULT_GRID[best], val_accs[best]
        strengths.append({"fraction": fraction, "relative": relative,
                          "validationAccuracy": val_acc, "validationAccuracies": val_accs})
        for seed, subset in members:
            subsets.append({"fraction": fraction, "seed": seed, "indices": subset})
            lam, _, _, acc = fit_case(x, y, xt, yt, subset, relative, fallback_whole)
            points.append({"basis": "neurons", "fraction": fraction, "k": k, "seed": seed,
                           "regularization": lam, "accuracy": acc,
                           "validationAccuracy": val_acc, "cka": gram_cka(x[:, subset], x)})
        if fraction == 1.0:
            continue
        for end, axes in (("top", np.arange(k)), ("bottom", np.arange(D - k, D))):
            case = folded_case(x, y, xt, yt, vectors[:, axes], relative,
                               float(values[axes].sum()), fallback_whole)
            points.append({"basis": f"pca-{end}", "fraction": fraction, "k": k, "seed": 0,
                           "regularization": case["lambda"], "accuracy": case["testAccuracy"],
                           "validationAccuracy": val_acc, "cka": None})
    # Random projections choose their own r per fraction: seed 1's projection fitted on the
    # training part, validation top-1 of the folded probe, ties → larger r; then every seed refits.
    # Their λ = r · (the layer's centered trace / d), of the rows fitted.
    projection_strengths = []
    first = random_projection(D, 1)
    for fraction in fractions:
        pk = first[:, :subset_size(fraction, D)]
        val_accs = [folded_case(x[part], y[part], x[held], y[held], pk, r,
                                fallback_part * pk.shape[1], fallback_part)["testAccuracy"]
                    for r in DEFAULT_GRID]
        best = max(range(len(DEFAULT_GRID)), key=lambda i: (val_accs[i], DEFAULT_GRID[i]))
        projection_strengths.append({"fraction": fraction, "relative": DEFAULT_GRID[best],
                                     "validationAccuracy": val_accs[best],
                                     "validationAccuracies": val_accs})
    for seed in range(1, seeds + 1):
        p = random_projection(D, seed)
        for fraction, choice in zip(fractions, projection_strengths):
            k = subset_size(fraction, D)
            pk = p[:, :k]
            case = folded_case(x, y, xt, yt, pk, choice["relative"], fallback_whole * k,
                               fallback_whole)
            points.append({"basis": "random-projection", "fraction": fraction, "k": k,
                           "seed": seed, "regularization": case["lambda"],
                           "accuracy": case["testAccuracy"],
                           "validationAccuracy": choice["validationAccuracy"], "cka": None})
    full = next(p["accuracy"] for p in points if p["basis"] == "neurons" and p["fraction"] == 1.0)
    means = [(f, mean_std([p["accuracy"] for p in points
                           if p["basis"] == "neurons" and p["fraction"] == f])[0])
             for f in fractions]
    tol = 1e-12
    dr = []
    for delta in (0.9, 0.95):
        hit = next((f for f, m in means if m >= delta * full - tol), None)
        dr.append({"delta": delta, "value": None if hit is None else round(1 - hit, 12), "fraction": hit})
    within5 = next((f for f, m in means if full - m <= 0.05 + tol), None)
    return {"request": {"fractions": fractions, "seeds": seeds,
                        "validation": {"fraction": v_fraction, "seed": v_seed}},
            "validationRows": held, "subsets": subsets, "strengths": strengths,
            "projectionStrengths": projection_strengths,
            "points": points, "fullAccuracy": full, "diffusedRedundancy": dr,
            "within5Points": within5, "meanAccuracies": [m for _, m in means]}


def float32_list(values):
    """Shortest float32 text of each value: Float32Array.from() restores the exact float32."""
    return [float(str(v)) for v in values.astype(np.float32).ravel()]


def main():
    (x, y), (xt, yt) = make_data()
    fallback = centered_trace(x) / D
    values, vectors = principal_axes(x)
    pca_cases = []
    for k in (1, 5, 24):
        for end, axes in (("top", np.arange(k)), ("bottom", np.arange(D - k, D))):
            case = folded_case(x, y, xt, yt, vectors[:, axes], 1e-3, float(values[axes].sum()),
                               fallback)
            pca_cases.append({"end": end, **case})
    projection_cases = []
    for seed in (1, 2):
        p = random_projection(D, seed)
        for k in (3, 20):
            case = folded_case(x, y, xt, yt, p[:, :k], 1e-2, fallback * k, fallback)
            projection_cases.append({"seed": seed, "width": 20, **case})
    golden = {
        "command": COMMAND, "numTrain": N_TRAIN, "numTest": N_TEST, "dim": D, "classes": C,
        "train": {"features": float32_list(x), "labels": y.tolist()},
        "test": {"features": float32_list(xt), "labels": yt.tolist()},
        "cases": ridge_cases(x, y, xt, yt, fallback),
        "pcaEigenvalues": values.tolist(),
        "pcaCases": pca_cases,
        "projectionCases": projection_cases,
        "endToEnd": end_to_end(x, y, xt, yt),
    }
    with open(sys.argv[1], "w") as file:
        json.dump(golden, file)
        file.write("\n")
    e2e = golden["endToEnd"]
    print("full", e2e["fullAccuracy"], "means", e2e["meanAccuracies"],
          "DR", e2e["diffusedRedundancy"], "within5", e2e["within5Points"])
    print("relative strengths", [s["relative"] for s in e2e["strengths"]])
    print("projection strengths", [s["relative"] for s in e2e["projectionStrengths"]])


if __name__ == "__main__":
    main()
