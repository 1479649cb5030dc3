"""scikit-learn on the features of `npm run bench:features`: the same ridge and logistic probes.

Reads a job JSON (paths of the .npy features and labels, then one entry per probe: its columns,
alpha or C) and prints one JSON line with each fit's wall time and test top-1. Thread counts come
from OMP_NUM_THREADS / OPENBLAS_NUM_THREADS, set by the caller.
"""
import json
import sys
import time
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge


def ridge_fit(train_x, one_hot, test_x, test_y, probe):
    columns = np.asarray(probe['columns'], dtype=np.intp)
    x = np.ascontiguousarray(train_x[:, columns])
    started = time.perf_counter()
    model = Ridge(alpha=probe['alpha'], fit_intercept=True, solver='auto').fit(x, one_hot)
    seconds = time.perf_counter() - started
    predicted = model.predict(np.ascontiguousarray(test_x[:, columns])).argmax(axis=1)
    return {'seconds': seconds, 'accuracy': float((predicted == test_y).mean())}


def logistic_fit(train_x, train_y, test_x, test_y, probe):
    columns = np.asarray(probe['columns'], dtype=np.intp)
    x = np.ascontiguousarray(train_x[:, columns])
    model = LogisticRegression(
        C=probe['C'],
        multi_class='multinomial',
        solver='lbfgs',
        max_iter=probe['maxIterations'],
        tol=probe['tol'],
    )
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        model.fit(x, train_y)
    seconds = time.perf_counter() - started
    accuracy = float((model.predict(np.ascontiguousarray(test_x[:, columns])) == test_y).mean())
    return {'seconds': seconds, 'accuracy': accuracy, 'iterations': int(model.n_iter_[0])}


def numpy_products(train_x, one_hot, covariance_path):
    started = time.perf_counter()
    train_x.T @ train_x
    cross = time.perf_counter() - started
    started = time.perf_counter()
    train_x.T @ one_hot
    feature_label = time.perf_counter() - started
    covariance = np.load(covariance_path)
    started = time.perf_counter()
    np.linalg.eigh(covariance)
    eigh = time.perf_counter() - started
    return {'crossSeconds': cross, 'featureLabelSeconds': feature_label, 'eighSeconds': eigh}


def main():
    with open(sys.argv[1]) as handle:
        job = json.load(handle)
    train_x = np.load(job['trainFeatures'], mmap_mode='r')
    train_y = np.load(job['trainLabels'])
    test_x = np.load(job['testFeatures'], mmap_mode='r')
    test_y = np.load(job['testLabels'])
    train_x = np.asarray(train_x)
    test_x = np.asarray(test_x)
    one_hot = np.zeros((train_y.size, job['classes']), dtype=np.float32)
    one_hot[np.arange(train_y.size), train_y] = 1
    products = numpy_products(train_x, one_hot, job['covariance'])
    ridge = [ridge_fit(train_x, one_hot, test_x, test_y, p) for p in job['ridge']]
    logistic = [logistic_fit(train_x, train_y, test_x, test_y, p) for p in job['logistic']]
    versions = f'scikit-learn {sklearn.__version__}, NumPy {np.__version__}, SciPy {scipy.__version__}'
    print(json.dumps({'numpy': products, 'ridge': ridge, 'logistic': logistic, 'versions': versions}))


if __name__ == '__main__':
    main()
