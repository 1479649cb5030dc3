#!/usr/bin/python3
"""PyTorch golden logits on the first N Fashion-MNIST test images, for the evaluation job.

The network is torchvision's resnet18/resnet50 with every weight copied by name from a BN-kept ONNX
file (a synthesized model, or the reference trainer's epoch_<N>.bn.onnx). Images go through
train_fmnist.preprocess, the trainer's own code. The golden stores the float32 logits (base64,
little-endian, [N, 10]), the labels, and NumPy's metrics over those logits
(eval_metrics_golden.metrics), so the TypeScript side can compare both.

Regenerate (torch 1.13 / torchvision 0.14 / onnx 1.12 from Debian; CI has none of them):
  source /work/tools/env.sh
  # (a) CI: synthesized ResNet18, 64 images, plus the IDX fixture holding those images
  node bin/resnet-workbench.js synth --depth 18 --classes 10 --size 32 --seed 3 /tmp/eval-synth18.onnx
  /usr/bin/python3 tests/reference/eval_torch_golden.py --arch resnet18 --images 64 \
      --idx-out tests/fixtures/goldens/eval-fmnist-64 /tmp/eval-synth18.onnx tests/fixtures/goldens/eval-synth18-logits.json
  # (b) local: the quick reference run (tests/reference/train_fmnist.py --profile quick --seed 0 --out /tmp/quick)
  /usr/bin/python3 tests/reference/eval_torch_golden.py --arch resnet50 --images 512 \
      --state /tmp/quick/state.pt --also /tmp/quick/epoch_2.onnx \
      /tmp/quick/epoch_2.bn.onnx tests/fixtures/goldens/eval-quick-epoch2-logits.json
"""
import argparse
import base64
import gzip
import hashlib
import json
import os
import sys

import numpy as np
import onnx
import torch
import torchvision
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_fmnist  # noqa: E402  (the trainer's exact reader and preprocessing)
from eval_metrics_golden import compact_json, metrics  # noqa: E402

NUM_CLASSES = 10


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_weights(model_path, network):
    """Copies every initializer into the torchvision parameter or buffer of the same name; all must match."""
    graph = onnx.load(model_path).graph
    tensors = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    # torch.onnx deduplicates equal initializers into Identity nodes: downsample.1.bias and bn3.bias
    # of a block stay bit-identical in training (same gradient into the residual sum, both start at 0).
    for node in graph.node:
        if node.op_type == "Identity" and node.input[0] in tensors:
            tensors[node.output[0]] = tensors[node.input[0]]
    state = network.state_dict()
    expected = {k for k in state if not k.endswith("num_batches_tracked")}
    if expected != set(tensors):
        raise SystemExit(f"names differ: torch-only {sorted(expected - set(tensors))[:5]}, "
                         f"onnx-only {sorted(set(tensors) - expected)[:5]}")
    for name in expected:
        if tuple(state[name].shape) != tensors[name].shape:
            raise SystemExit(f"{name}: torch {tuple(state[name].shape)} vs onnx {tensors[name].shape}")
        state[name] = torch.from_numpy(tensors[name].copy())
    network.load_state_dict(state)


def max_difference_to_state(network, state_path):
    """Largest |ONNX weight - state.pt weight|: proves the ONNX file is the trainer's last state."""
    saved = torch.load(state_path, map_location="cpu")["model"]
    current = network.state_dict()
    return max(float((current[k].double() - saved[k].double()).abs().max())
               for k in current if not k.endswith("num_batches_tracked"))


def first_test_images(count):
    images = train_fmnist.read_idx(os.path.join(train_fmnist.DATA_DIR, "t10k-images-idx3-ubyte.gz"))
    labels = train_fmnist.read_idx(os.path.join(train_fmnist.DATA_DIR, "t10k-labels-idx1-ubyte.gz"))
    return images[:count].copy(), labels[:count].astype(np.int64)


def write_idx(path, array):
    """An unsigned-byte IDX file, gzipped with mtime 0 so the bytes are reproducible."""
    header = (0x0800 | array.ndim).to_bytes(4, "big")
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


def write_idx_fixture(folder, images, labels):
    os.makedirs(folder, exist_ok=True)
    write_idx(os.path.join(folder, "t10k-images-idx3-ubyte.gz"), images)
    write_idx(os.path.join(folder, "t10k-labels-idx1-ubyte.gz"), labels)


def torch_logits(network, images_u8):
    """float32 logits as PyTorch computes them, and float64 ones (same input tensor, network in
    double) as the exact value both float32 runtimes approximate."""
    with torch.no_grad():
        batch = train_fmnist.preprocess(torch.from_numpy(images_u8))
        logits32 = network(batch).numpy().astype(np.float32)
        logits64 = network.double()(batch.double()).numpy()
    network.float()
    return logits32, logits64


LITTLE_ENDIAN = {"float32": "<f4", "float64": "<f8"}


def encoded(array, dtype):
    raw = array.astype(LITTLE_ENDIAN[dtype]).tobytes()
    return {"dims": list(array.shape), "dtype": dtype, "littleEndianBase64": base64.b64encode(raw).decode("ascii")}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", choices=["resnet18", "resnet50"], required=True)
    parser.add_argument("--images", type=int, required=True)
    parser.add_argument("--idx-out", help="also write the images as a t10k IDX pair into this folder")
    parser.add_argument("--state", help="state.pt of the run: check the ONNX weights equal its model state")
    parser.add_argument("--also", action="append", default=[], help="another export of the same weights (sha256 recorded)")
    parser.add_argument("model", help="BN-kept ONNX file whose initializers carry torchvision names")
    parser.add_argument("out", help="golden JSON to write")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    network = getattr(torchvision.models, args.arch)(num_classes=NUM_CLASSES).eval()
    load_weights(args.model, network)
    images, labels = first_test_images(args.images)
    if args.idx_out:
        write_idx_fixture(args.idx_out, images, labels)
    logits, logits64 = torch_logits(network, images)
    golden = {
        "description": f"torchvision {args.arch} logits (weights copied by name from the model) on the first "
                       f"{args.images} Fashion-MNIST t10k images, preprocessed by train_fmnist.preprocess",
        "command": "/usr/bin/python3 tests/reference/eval_torch_golden.py " + " ".join(argv),
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__, "numpy": np.__version__},
        "arch": args.arch,
        "modelFolder": os.path.dirname(os.path.abspath(args.model)),
        "models": {os.path.basename(p): sha256_of(p) for p in [args.model, *args.also]},
        "stateMaxDifference": max_difference_to_state(network, args.state) if args.state else None,
        "dataset": {"split": "t10k", "limit": args.images},
        "preprocessing": {"resize": None, "centerCrop": None, "pad": train_fmnist.PAD, "grayToRgb": True,
                          "mean": [train_fmnist.MEAN] * 3, "std": [train_fmnist.STD] * 3, "inputSize": [32, 32]},
        "labels": labels.tolist(),
        "logits": encoded(logits, "float32"),
        "logitsFloat64": encoded(logits64, "float64"),
        "float32VsFloat64MaxDifference": float(np.abs(logits - logits64).max()),
        "numpy": metrics(logits, labels, NUM_CLASSES, False),
    }
    with open(args.out, "w") as handle:
        handle.write(compact_json(golden))
    summary = golden["numpy"]
    print(f"wrote {args.out}: max |logit| {np.abs(logits).max():.4g}, top1 {summary['top1']:.4f}, "
          f"nll {summary['nll']:.4f}, ece {summary['ece']:.4f}, state diff {golden['stateMaxDifference']}")


if __name__ == "__main__":
    main(sys.argv[1:])
