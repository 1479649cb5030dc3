"""PyTorch on the benchmark's tensors: torchvision resnet50(num_classes=10), eval, no_grad.

Reads the workbench's tensor-cache file (float32 NCHW after a 64-byte-aligned header), so both
runtimes see the same input tensors. Weights are torchvision's random init, not the synthesized
model's: same architecture and tensor sizes, which is what the timing depends on.
Prints one JSON line.
"""
import argparse
import json
import resource
import time

import numpy as np
import torch
import torchvision


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--tensors', required=True)
    parser.add_argument('--offset', type=int, required=True)
    parser.add_argument('--count', type=int, required=True)
    parser.add_argument('--dims', type=int, nargs=3, required=True)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--classes', type=int, default=10)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    c, h, w = args.dims
    images = np.fromfile(args.tensors, dtype='<f4', count=args.count * c * h * w, offset=args.offset)
    images = torch.from_numpy(images.reshape(args.count, c, h, w))
    model = torchvision.models.resnet50(num_classes=args.classes).eval()
    with torch.no_grad():
        # OpenMP spin-waits make the first runs (and any run on a busy machine) slow: warm up.
        for _ in range(3):
            model(images[: args.batch])
        started = time.perf_counter()
        for start in range(0, args.count, args.batch):
            model(images[start : start + args.batch])
        seconds = time.perf_counter() - started
    print(json.dumps({
        'imagesPerSecond': args.count / seconds,
        'peakRssBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        'torch': torch.__version__,
        'torchvision': torchvision.__version__,
        'threads': torch.get_num_threads(),
    }))


if __name__ == '__main__':
    main()
