# Writes tests/fixtures/goldens/cka-demo-notebook.json: the arrays and values of Kornblith et al.'s
# demo notebook (google-research representation_similarity/Demo.ipynb), which need numpy's RNG.
#   /usr/bin/python3 tests/reference/cka_demo_golden.py
# Expected printout: linear CKA 0.55761, debiased 0.51346 (the notebook's values).
import json
import os

import numpy as np


def center_gram(gram, unbiased=False):
    gram = gram.copy()
    if unbiased:
        n = gram.shape[0]
        np.fill_diagonal(gram, 0)
        means = np.sum(gram, 0, dtype=np.float64) / (n - 2)
        means -= np.sum(means) / (2 * (n - 1))
        gram -= means[:, None]
        gram -= means[None, :]
        np.fill_diagonal(gram, 0)
    else:
        means = np.mean(gram, 0, dtype=np.float64)
        means -= np.mean(means) / 2
        gram -= means[:, None]
        gram -= means[None, :]
    return gram


def cka(gram_x, gram_y, debiased=False):
    gram_x = center_gram(gram_x, unbiased=debiased)
    gram_y = center_gram(gram_y, unbiased=debiased)
    scaled = gram_x.ravel().dot(gram_y.ravel())
    return scaled / (np.linalg.norm(gram_x) * np.linalg.norm(gram_y))


np.random.seed(1337)
X = np.random.randn(100, 10)
Y = np.random.randn(100, 10) + X
linear = cka(X @ X.T, Y @ Y.T)
debiased = cka(X @ X.T, Y @ Y.T, debiased=True)
print(f"linear CKA {linear:.5f}, debiased {debiased:.5f}")
out = os.path.join(os.path.dirname(__file__), "../fixtures/goldens/cka-demo-notebook.json")
with open(out, "w") as f:
    json.dump({"source": "Demo.ipynb: np.random.seed(1337); X = randn(100, 10); Y = randn(100, 10) + X",
               "X": X.tolist(), "Y": Y.tolist(), "linear": linear, "debiased": debiased}, f)
