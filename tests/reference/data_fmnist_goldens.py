#!/usr/bin/python3
"""A tiny committed IDX fixture and the reference trainer's Fashion-MNIST preprocessing of it (and of the
first 64 real test images), for the bit-exact pipeline test.

Command that produced the committed files (from the repository root, Debian python3-torch 1.13, numpy;
nothing is downloaded; the real dataset is read from /usr/share/datasets/fashion-mnist when present):

    /usr/bin/python3 tests/reference/data_fmnist_goldens.py

Writes tests/fixtures/data/fmnist-tiny/:
  t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz   8 seeded 28x28 images (image 0 holds every
                                                         value 0..255), labels 0..7
  train-images-idx3-ubyte, train-labels-idx1-ubyte       4 more images, uncompressed, labels 0..3
  golden.json   float32 bits of train_fmnist.preprocess (uint8 -> /255 -> pad 2 -> (x - 0.2860)/0.3530
                -> 3 channels) for the t10k fixture (zlib-deflated little-endian float32 [8, 3, 32, 32],
                base64) and the sha256 of the same for the first 64 real t10k images
"""

import base64
import gzip
import hashlib
import importlib.util
import json
import os
import struct
import zlib

import numpy as np
import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(REPO, 'tests', 'fixtures', 'data', 'fmnist-tiny')
REAL = '/usr/share/datasets/fashion-mnist'
REAL_COUNT = 64


def load_trainer():
    spec = importlib.util.spec_from_file_location(
        'train_fmnist', os.path.join(REPO, 'tests', 'reference', 'train_fmnist.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def idx_bytes(array):
    header = struct.pack('>I', 0x0800 | array.ndim) + b''.join(struct.pack('>I', d) for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def tiny_images(count, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:28, 0:28]
    images = []
    for i in range(count):
        blob = 255 * np.exp(-((x - rng.uniform(6, 22)) ** 2 + (y - rng.uniform(6, 22)) ** 2) / 40.0)
        noise = rng.integers(0, 30, size=(28, 28))
        images.append(np.clip(blob + noise, 0, 255).astype(np.uint8))
    images[0] = np.concatenate([np.arange(256), np.arange(528) % 256]).reshape(28, 28).astype(np.uint8)
    return np.stack(images)


def write_fixture():
    os.makedirs(OUT, exist_ok=True)
    test_images = tiny_images(8, seed=7)
    train_images = tiny_images(4, seed=8)
    with gzip.GzipFile(os.path.join(OUT, 't10k-images-idx3-ubyte.gz'), 'wb', mtime=0) as f:
        f.write(idx_bytes(test_images))
    with gzip.GzipFile(os.path.join(OUT, 't10k-labels-idx1-ubyte.gz'), 'wb', mtime=0) as f:
        f.write(idx_bytes(np.arange(8)))
    with open(os.path.join(OUT, 'train-images-idx3-ubyte'), 'wb') as f:
        f.write(idx_bytes(train_images))
    with open(os.path.join(OUT, 'train-labels-idx1-ubyte'), 'wb') as f:
        f.write(idx_bytes(np.arange(4)))


def preprocessed_bytes(trainer, images_u8):
    tensor = trainer.preprocess(torch.from_numpy(np.array(images_u8, copy=True)))
    assert tensor.dtype == torch.float32 and tensor.is_contiguous()
    return tensor.numpy().astype('<f4').tobytes(), list(tensor.shape)


def main():
    trainer = load_trainer()
    write_fixture()
    fixture = trainer.read_idx(os.path.join(OUT, 't10k-images-idx3-ubyte.gz'))
    fixture_bytes, fixture_shape = preprocessed_bytes(trainer, fixture)
    document = {
        'producedBy': '/usr/bin/python3 tests/reference/data_fmnist_goldens.py',
        'pipeline': 'tests/reference/train_fmnist.py preprocess(): uint8 -> /255 -> pad 2 -> '
                    '(x - 0.2860) / 0.3530 -> 3 channels',
        'torch': torch.__version__,
        'fixture': {
            'file': 't10k-images-idx3-ubyte.gz',
            'shape': fixture_shape,
            'sha256': hashlib.sha256(fixture_bytes).hexdigest(),
            'float32le': base64.b64encode(zlib.compress(fixture_bytes, 9)).decode('ascii'),
        },
    }
    real_path = os.path.join(REAL, 't10k-images-idx3-ubyte.gz')
    if os.path.exists(real_path):
        real_bytes, real_shape = preprocessed_bytes(trainer, trainer.read_idx(real_path)[:REAL_COUNT])
        document['real'] = {'file': real_path, 'first': REAL_COUNT, 'shape': real_shape,
                            'sha256': hashlib.sha256(real_bytes).hexdigest()}
    with open(os.path.join(OUT, 'golden.json'), 'w') as f:
        json.dump(document, f, indent=1)
        f.write('\n')
    print(f'wrote {OUT}' + ('' if 'real' in document else ' (no real dataset: real golden skipped)'))


if __name__ == '__main__':
    main()
