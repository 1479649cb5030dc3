"""PyTorch side of `npm run bench:gradients`: eval-mode forward and forward + backward of a ResNet50.

`export` writes a seeded torchvision resnet50(num_classes=10) as ONNX (BatchNorm kept, opset 17,
batch axis dynamic) at one image size, plus seeded images and labels, so both runtimes see the same
weights and tensors. `time` runs PyTorch 1.13 on them: forward under no_grad, then forward +
backward of the mean cross-entropy, BatchNorm in inference mode (running statistics), and prints
one JSON line with images per second, peak RSS and the first batch's per-parameter gradient norms.
"""
import argparse
import json
import resource
import time

import numpy as np
import torch
import torchvision


def build_model(classes, seed):
    torch.manual_seed(seed)
    model = torchvision.models.resnet50(num_classes=classes)
    # Non-trivial running statistics, as a trained checkpoint has, so inference-mode BN matters.
    generator = torch.Generator().manual_seed(seed + 1)
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            n = module.num_features
            module.running_mean.copy_(torch.randn(n, generator=generator) * 0.1)
            module.running_var.copy_(torch.rand(n, generator=generator) * 0.5 + 0.75)
            module.weight.data.copy_(torch.rand(n, generator=generator) * 0.5 + 0.75)
    return model.eval()


def export(args):
    model = build_model(args.classes, args.seed)
    dummy = torch.zeros(1, 3, args.size, args.size)
    torch.onnx.export(model, dummy, args.onnx, opset_version=17, input_names=['input'],
                      output_names=['logits'], dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}},
                      # PRESERVE on an eval-mode model keeps BatchNormalization (EVAL folds it into
                      # the convs, whose gradients then differ from PyTorch's w.r.t. W and γ).
                      do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE)
    rng = np.random.default_rng(args.seed)
    images = rng.standard_normal((args.count, 3, args.size, args.size), dtype=np.float32)
    labels = rng.integers(0, args.classes, size=args.count).astype(np.int64)
    images.tofile(args.images)
    labels.tofile(args.labels)
    print(json.dumps({'onnx': args.onnx, 'images': args.images, 'labels': args.labels}))


def run_timed(step, count, batch):
    # OpenMP spin-waits make the first runs (and any run on a busy machine) slow: warm up.
    for _ in range(2):
        step(0, batch)
    started = time.perf_counter()
    for start in range(0, count, batch):
        step(start, min(count, start + batch))
    return count / (time.perf_counter() - started)


def timing(args):
    torch.set_num_threads(args.threads)
    model = build_model(args.classes, args.seed)
    size = args.size
    images = torch.from_numpy(np.fromfile(args.images, dtype='<f4').reshape(-1, 3, size, size))
    labels = torch.from_numpy(np.fromfile(args.labels, dtype='<i8'))
    count = (len(images) // args.batch) * args.batch
    loss_fn = torch.nn.CrossEntropyLoss()

    def forward(start, end):
        with torch.no_grad():
            model(images[start:end])

    def backward(start, end):
        model.zero_grad(set_to_none=True)
        loss_fn(model(images[start:end]), labels[start:end]).backward()

    forward_rate = run_timed(forward, count, args.batch)
    forward_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    backward_rate = run_timed(backward, count, args.batch)
    backward(0, args.batch)
    norms = {name: float(p.grad.norm()) for name, p in model.named_parameters()}
    print(json.dumps({
        'forwardImagesPerSecond': forward_rate,
        'backwardImagesPerSecond': backward_rate,
        'forwardPeakRssBytes': forward_rss,
        'peakRssBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        'firstBatchNorms': norms,
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
    }))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('mode', choices=['export', 'time'])
    parser.add_argument('--size', type=int, required=True)
    parser.add_argument('--onnx')
    parser.add_argument('--images', required=True)
    parser.add_argument('--labels', required=True)
    parser.add_argument('--count', type=int, default=64)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--classes', type=int, default=10)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    (export if args.mode == 'export' else timing)(args)


if __name__ == '__main__':
    main()
