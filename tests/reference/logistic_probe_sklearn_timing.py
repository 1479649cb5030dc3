#!/usr/bin/python3
"""Fits scikit-learn's LogisticRegression (multinomial, L2, lbfgs, default tol) on the rows that
tests/reference/logistic-probe-timing.ts wrote, and prints JSON: fit time, iterations, accuracy,
coef (k×C row-major) and intercept. Usage: logistic_probe_sklearn_timing.py <folder> <weightDecay>
Run with OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 (the timing script sets them).
"""
import json
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression


def main():
    folder, decay = sys.argv[1], float(sys.argv[2])
    train_x = np.load(f"{folder}/train_x.npy")
    train_y = np.load(f"{folder}/train_y.npy")
    test_x = np.load(f"{folder}/test_x.npy")
    test_y = np.load(f"{folder}/test_y.npy")
    n = train_x.shape[0]
    model = LogisticRegression(multi_class="multinomial", penalty="l2", C=1.0 / (decay * n),
                               solver="lbfgs", max_iter=2000)
    started, cpu_started = time.perf_counter(), time.process_time()
    model.fit(train_x, train_y)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps({
        "seconds": seconds,
        "cpuSeconds": cpu_seconds,
        "iterations": int(model.n_iter_[0]),
        "testAccuracy": float(model.score(test_x, test_y)),
        "coef": model.coef_.T.ravel().tolist(),
        "intercept": model.intercept_.tolist(),
    }))


if __name__ == "__main__":
    main()
