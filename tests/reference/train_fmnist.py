#!/usr/bin/python3
"""Reference trainer: torchvision ResNet50 (num_classes=10) on Fashion-MNIST at 32x32.

Writes a run folder in the workbench's format (epoch_<N>.onnx, epoch_<N>.bn.onnx,
metrics.jsonl, run.json) plus state.pt for --resume.

Needs Debian's PyTorch (python3-torch 1.13, python3-torchvision 0.14, python3-onnx 1.12):
run it with /usr/bin/python3, not a pyenv/venv python. Nothing is downloaded.

Commands that produce the reference runs (see train_all.sh, which runs them under nice):
    /usr/bin/python3 tests/reference/train_fmnist.py --profile full --seed 0 --out /work/runs/seed0 --resume
    /usr/bin/python3 tests/reference/train_fmnist.py --profile full --seed 1 --out /work/runs/seed1 --resume
    /usr/bin/python3 tests/reference/train_fmnist.py --profile full --seed 0 --damp-sigma 0.1 \
        --out /work/runs/damp --resume
Smoke test (<= 15 min on 2 cores; ~2 min measured):
    /usr/bin/python3 tests/reference/train_fmnist.py --profile quick --seed 0 --out /tmp/quick

Preprocessing (recorded in run.json, reproduced by the TypeScript side):
    uint8 28x28 -> float32 / 255 -> zero-pad 2 px per side (32x32) -> gray replicated to 3 channels
    -> (x - 0.2860) / 0.3530 on every channel.  Optional --augment: random 32x32 crop of the padded
    image after 4 more px of zero padding (training only).

Init: torchvision's zero_init_residual=True by default (architecture unchanged; the last BN gamma of
each bottleneck starts at 0). Measured here: with the default init, lr 0.1 and no warm-up the loss
jumps to 30-70 within 3 steps (gradient norm 358 at step 0) and training sits near chance after 60
steps; a 150-step linear warm-up only delays the divergence (step ~120). --no-zero-init-residual
restores the default init.

DAMP (Trinh et al. 2024, reference/papers.md 3.1): each batch is split into M sub-batches; each
sub-batch draws its own xi ~ N(1, sigma^2) per element of every conv/linear weight and BN weight
(gamma); biases and BN beta are untouched. The loss gradient is evaluated at theta*xi (the weights
are overwritten by theta*xi, forward/backward, then restored exactly from a clean copy), averaged
over sub-batches, and the SGD step is applied to the clean weights.
"""

import argparse
import glob
import gzip
import hashlib
import json
import math
import os
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
import onnx

DATA_DIR = '/usr/share/datasets/fashion-mnist'
CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
           'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
MEAN = 0.2860
STD = 0.3530
PAD = 2
AUG_PAD = 4
N_BN = 53
TEST_SUBSET_SEED = 0  # test subsets are the same for every run so runs stay comparable
EVAL_BATCH = 500
STATE_VERSION = 1

PROFILES = {
    'quick': {'epochs': 2, 'subset': 3000, 'test_subset': 1000},
    'full': {'epochs': 10, 'subset': None, 'test_subset': None},
}
DEFAULTS = {'seed': 0, 'batch_size': 128, 'lr': 0.1, 'damp_sigma': 0.0, 'damp_subbatches': 8,
            'augment': False, 'threads': 2, 'profile': 'full', 'zero_init_residual': True,
            'metric_names': 'workbench'}
# How metrics.jsonl names its numbers. 'workbench': the README's example (a train and a test line per
# epoch with split, loss, accuracy, lr, grad_norms). 'plain': one flat line per epoch as an ordinary
# training script writes it (train_loss, train_acc, test_loss, test_acc, lr_end), which the workbench
# must map to roles by name. 'plain-grads': the plain line plus one flat 'grad_norms/<param>' field per
# parameter (the epoch mean of its gradient's L2 norm), as a script logging per-parameter norms writes them.
METRIC_NAMES = ('workbench', 'plain', 'plain-grads')
MOMENTUM = 0.9
WEIGHT_DECAY = 5e-4


def log(msg):
    print(msg, flush=True)


def die(msg, code=2):
    print('ERROR: ' + msg, file=sys.stderr, flush=True)
    sys.exit(code)


def sub_seed(seed, stream):
    """Independent 63-bit seed for one random stream, derived from the run seed."""
    h = hashlib.sha256(f'{seed}:{stream}'.encode()).digest()
    return int.from_bytes(h[:8], 'little') & ((1 << 63) - 1)


def fmt_dur(s):
    s = int(max(0, s))
    h, r = divmod(s, 3600)
    m, s = divmod(r, 60)
    return f'{h}h{m:02d}m{s:02d}s' if h else f'{m}m{s:02d}s'


# ----------------------------------------------------------------------------- data

def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], 'big')
    ndim = magic & 0xFF
    if (magic >> 8) != 0x08:  # 0x08 = unsigned byte
        raise ValueError(f'{path}: not an unsigned-byte IDX file (magic {magic:#x})')
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f'{path}: size mismatch')
    return arr.reshape(dims)


def load_split(split):
    x = read_idx(os.path.join(DATA_DIR, f'{split}-images-idx3-ubyte.gz'))
    y = read_idx(os.path.join(DATA_DIR, f'{split}-labels-idx1-ubyte.gz'))
    return torch.from_numpy(x.copy()), torch.from_numpy(y.astype(np.int64))


def subset_indices(n_total, n, seed_value):
    if n is None or n >= n_total:
        return None
    rng = np.random.default_rng(seed_value)
    return np.sort(rng.choice(n_total, size=n, replace=False))


def preprocess(u8, aug_gen=None):
    """uint8 [N,28,28] -> float32 [N,3,32,32], exactly the pipeline written to run.json."""
    x = u8.to(torch.float32) / 255.0
    x = F.pad(x, (PAD, PAD, PAD, PAD))  # zeros, before normalization
    if aug_gen is not None:
        n, h, w = x.shape
        xp = F.pad(x, (AUG_PAD, AUG_PAD, AUG_PAD, AUG_PAD))
        offs = torch.randint(0, 2 * AUG_PAD + 1, (n, 2), generator=aug_gen)
        x = torch.stack([xp[i, oy:oy + h, ox:ox + w] for i, (oy, ox) in enumerate(offs.tolist())])
    x = (x - MEAN) / STD
    return x.unsqueeze(1).expand(-1, 3, -1, -1).contiguous()


# ----------------------------------------------------------------------------- DAMP

class DampNoise:
    """xi ~ N(1, sigma^2) for the DAMP parameters, drawn into one flat buffer by 2 threads
    (each thread fills a fixed half with its own seeded generator, so it is deterministic)."""

    def __init__(self, params, sigma, seed, n_workers=2):
        self.params = params
        self.sigma = sigma
        total = sum(p.numel() for p in params)
        self.flat = torch.empty(total)
        self.views = []
        off = 0
        for p in params:
            self.views.append(self.flat[off:off + p.numel()].view_as(p))
            off += p.numel()
        bounds = [total * i // n_workers for i in range(n_workers + 1)]
        self.chunks = [self.flat[bounds[i]:bounds[i + 1]] for i in range(n_workers)]
        self.gens = [torch.Generator().manual_seed(sub_seed(seed, f'damp-noise-{i}'))
                     for i in range(n_workers)]
        self.pool = ThreadPoolExecutor(n_workers)
        self.clean = [p.detach().clone() for p in params]

    def _fill(self, i):
        self.chunks[i].normal_(1.0, self.sigma, generator=self.gens[i])

    @torch.no_grad()
    def snapshot(self):
        for c, p in zip(self.clean, self.params):
            c.copy_(p)

    @torch.no_grad()
    def perturb(self):
        list(self.pool.map(self._fill, range(len(self.chunks))))
        for p, c, xi in zip(self.params, self.clean, self.views):
            torch.mul(c, xi, out=p)

    @torch.no_grad()
    def restore(self):
        for p, c in zip(self.params, self.clean):
            p.copy_(c)

    def get_state(self):
        return [g.get_state() for g in self.gens]

    def set_state(self, states):
        for g, s in zip(self.gens, states):
            g.set_state(s)


def damp_params(model):
    """conv/linear weights and BatchNorm2d weights (gamma); no biases, no BN beta."""
    out = []
    for mod_name, mod in model.named_modules():
        if isinstance(mod, (torch.nn.Conv2d, torch.nn.Linear, torch.nn.BatchNorm2d)):
            out.append((f'{mod_name}.weight', mod.weight))
    return out


# ----------------------------------------------------------------------------- files

def atomic_write_bytes(path, data):
    d, base = os.path.split(path)
    tmp = os.path.join(d, f'.{base}.tmp-{os.getpid()}')
    with open(tmp, 'wb') as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def atomic_write_json(path, obj):
    atomic_write_bytes(path, (json.dumps(obj, indent=2) + '\n').encode())


def metrics_text(records):
    return ''.join(json.dumps(r) + '\n' for r in records)


def export_onnx(model, path, bn_kept):
    """Export with a temp name, verify, then os.replace. Returns the BN node count."""
    d, base = os.path.split(path)
    tmp = os.path.join(d, f'.{base}.tmp-{os.getpid()}')
    was_training = model.training
    model.eval()
    kwargs = dict(opset_version=17, input_names=['input'], output_names=['logits'],
                  dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}})
    if bn_kept:
        kwargs.update(training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    else:
        kwargs.update(do_constant_folding=True)
    with torch.no_grad():
        torch.onnx.export(model, torch.zeros(1, 3, 32, 32), tmp, **kwargs)
    model.train(was_training)
    m = onnx.load(tmp)
    onnx.checker.check_model(m)
    n_bn = sum(1 for n in m.graph.node if n.op_type == 'BatchNormalization')
    want = N_BN if bn_kept else 0
    if n_bn != want:
        os.unlink(tmp)
        raise RuntimeError(f'{base}: {n_bn} BatchNormalization nodes, expected {want}')
    with open(tmp, 'rb') as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return n_bn


def clean_temp_files(out):
    for p in glob.glob(os.path.join(out, '.*.tmp-*')):
        os.unlink(p)


# ----------------------------------------------------------------------------- config

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True, help='run folder')
    ap.add_argument('--profile', choices=sorted(PROFILES), default=None,
                    help='quick: 3000 train / 1000 test images, 2 epochs; full (default): all data, 10 epochs')
    ap.add_argument('--seed', type=int, default=None)
    ap.add_argument('--epochs', type=int, default=None)
    ap.add_argument('--subset', type=int, default=None, help='seeded subset of the 60k training images')
    ap.add_argument('--test-subset', type=int, default=None, help='fixed subset of the 10k test images')
    ap.add_argument('--batch-size', type=int, default=None)
    ap.add_argument('--lr', type=float, default=None)
    ap.add_argument('--damp-sigma', type=float, default=None, help='0 = plain SGD')
    ap.add_argument('--damp-subbatches', type=int, default=None)
    ap.add_argument('--augment', action='store_true', default=None,
                    help='random crop with 4 px zero padding (training only)')
    ap.add_argument('--no-zero-init-residual', dest='zero_init_residual', action='store_false', default=None,
                    help='keep torchvision\'s default init of the last BN gamma of each block (1 instead of 0); '
                         'diverges at lr 0.1 here')
    ap.add_argument('--threads', type=int, default=None, help='torch intra-op threads (default 2)')
    ap.add_argument('--name', default=None, help='run name in run.json (default: folder name)')
    ap.add_argument('--tag', action='append', default=[], help='extra tag for run.json (repeatable)')
    ap.add_argument('--metric-names', choices=METRIC_NAMES, default=None,
                    help='workbench (default): split/loss/accuracy/lr lines; plain: one line per epoch '
                         'with train_loss, train_acc, test_loss, test_acc, lr_end; plain-grads: plain plus '
                         'grad_norms/<param> fields')
    ap.add_argument('--resume', action='store_true', help='continue from the last completed epoch')
    return ap.parse_args(argv)


def resolve_config(args):
    explicit = {k: getattr(args, k) for k in
                ('seed', 'epochs', 'subset', 'test_subset', 'batch_size', 'lr', 'damp_sigma',
                 'damp_subbatches', 'augment', 'threads', 'profile', 'zero_init_residual',
                 'metric_names')
                if getattr(args, k) is not None}
    cfg = dict(DEFAULTS)
    cfg.update(PROFILES[explicit.get('profile', DEFAULTS['profile'])])
    cfg.update(explicit)
    return cfg, explicit


def training_block(cfg, n_train, n_test, steps_per_epoch):
    return {
        'seed': cfg['seed'],
        'epochs': cfg['epochs'],
        'batchSize': cfg['batch_size'],
        'stepsPerEpoch': steps_per_epoch,
        'dropLast': True,
        'optimizer': 'SGD',
        'nesterov': True,
        'momentum': MOMENTUM,
        'lr': cfg['lr'],
        'weightDecay': WEIGHT_DECAY,
        'schedule': 'cosine, per step, from lr to 0 over epochs*stepsPerEpoch steps',
        'dampSigma': cfg['damp_sigma'],
        'dampSubbatches': cfg['damp_subbatches'],  # unused when dampSigma is 0
        'augment': 'random-crop-pad4' if cfg['augment'] else None,
        'trainSubset': cfg['subset'],
        'testSubset': cfg['test_subset'],
        'trainImages': n_train,
        'testImages': n_test,
        'trainSubsetSeed': sub_seed(cfg['seed'], 'train-subset') if cfg['subset'] else None,
        'testSubsetSeed': None,
        'profile': cfg['profile'],
        'threads': cfg['threads'],
        'torchVersion': torch.__version__,
        'torchvisionVersion': torchvision.__version__,
        'onnxVersion': onnx.__version__,
        'onnxOpset': 17,
        'model': 'torchvision.models.resnet50(num_classes=10, zero_init_residual=%s)' % cfg['zero_init_residual'],
        'zeroInitResidual': cfg['zero_init_residual'],
        'metricNames': cfg['metric_names'],
    }


CLI_KEYS = ('seed', 'epochs', 'subset', 'test_subset', 'batch_size', 'lr', 'damp_sigma',
            'damp_subbatches', 'augment', 'profile', 'zero_init_residual', 'metric_names')


def cli_from_training(t):
    """The settings a run.json 'training' block was made with (used by --resume before epoch 1 ends)."""
    try:
        return {'seed': t['seed'], 'epochs': t['epochs'], 'subset': t['trainSubset'],
                'test_subset': t['testSubset'], 'batch_size': t['batchSize'], 'lr': t['lr'],
                'damp_sigma': t['dampSigma'], 'damp_subbatches': t['dampSubbatches'],
                'augment': bool(t['augment']), 'profile': t['profile'],
                'zero_init_residual': t['zeroInitResidual'],
                'metric_names': t.get('metricNames', 'workbench')}
    except KeyError:
        return None


def run_json(cfg, name, extra_tags, training):
    damp = cfg['damp_sigma'] > 0
    tags = ['reference', 'damp' if damp else 'sgd', f'seed-{cfg["seed"]}']
    if damp:
        tags.append(f'sigma-{cfg["damp_sigma"]:g}')
    if cfg['profile'] == 'quick':
        tags.append('quick')
    tags += [t for t in extra_tags if t not in tags]
    notes = [
        f'ResNet50 (torchvision, ImageNet stem) trained from scratch on Fashion-MNIST at 32x32, '
        f'{"DAMP sigma=%g with %d sub-batches per batch" % (cfg["damp_sigma"], cfg["damp_subbatches"]) if damp else "plain SGD"}, '
        f'Nesterov momentum {MOMENTUM}, weight decay {WEIGHT_DECAY}, cosine lr per step, '
        f'{"random-crop augmentation" if cfg["augment"] else "no augmentation"}.',
        'epoch_<N>.onnx: default eval export, BatchNorm folded into the convs (initializers onnx::Conv_*). '
        'epoch_<N>.bn.onnx: BN-kept export (TrainingMode.PRESERVE on an eval-mode model, no constant '
        'folding), 53 BatchNormalization nodes using running statistics.',
        ('metrics.jsonl: one line per epoch; train_loss/train_acc are running means over the epoch\'s '
         'steps, in train mode (batch-statistics BN, weights changing during the epoch'
         + ('; DAMP: measured at the perturbed weights' if damp else '') + '). '
         'lr_end is the learning rate in effect at the end of the epoch (after its last scheduler step). '
         'test_loss/test_acc: eval mode (running BN statistics), mean NLL and top-1 over the test '
         + (f'subset (the first {cfg["test_subset"]} images of t10k).' if cfg['test_subset'] else
            'set (all 10k t10k images).')
         + (' grad_norms/<param>: L2 norm of that parameter\'s loss gradient (train-mode BN, weight decay '
            'not included), taken after each optimizer step\'s backward and averaged over the epoch\'s '
            'steps; not eval-mode gradients of a checkpoint.' if cfg['metric_names'] == 'plain-grads' else '')
         if cfg['metric_names'] in ('plain', 'plain-grads') else
         'metrics.jsonl train lines: loss/accuracy are running means over the epoch\'s steps, in train '
         'mode (batch-statistics BN, weights changing during the epoch'
         + ('; DAMP: measured at the perturbed weights' if damp else '') + '). '
         'lr is the learning rate in effect at the end of the epoch (after its last scheduler step). '
         'grad_norms: L2 norm of each parameter\'s loss gradient (train-mode BN, weight decay not '
         'included' + ('; DAMP: the gradient averaged over the sub-batches, each at its own perturbed '
                       'weights' if damp else '') + '), taken after each optimizer step\'s backward and '
         'averaged over the epoch\'s steps. They are not eval-mode gradients of a checkpoint. '
         'test lines: eval mode (running BN statistics), mean NLL and top-1 over the test '
         + (f'subset (the first {cfg["test_subset"]} images of t10k, the same for every run).'
            if cfg['test_subset'] else 'set (all 10k t10k images).')),
    ]
    if damp:
        notes.append(
            'DAMP: xi ~ N(1, sigma^2) per element of conv/linear weights and BN gamma (not biases, not '
            'BN beta), one independent draw per sub-batch; gradient taken at theta*xi (weights '
            'overwritten, no extra xi chain-rule factor), averaged over sub-batches, SGD step on the '
            'clean weights. BatchNorm batch statistics are computed per sub-batch of '
            f'{cfg["batch_size"] // cfg["damp_subbatches"]} images and the BN running statistics are '
            'updated by every sub-batch forward (at perturbed weights), i.e. '
            f'{cfg["damp_subbatches"]} running-stat updates per optimizer step.')
    if cfg['zero_init_residual']:
        notes.append('Init: torchvision zero_init_residual=True (the last BN gamma of every bottleneck starts '
                     'at 0; architecture unchanged), because at lr 0.1 without warm-up the default init '
                     'diverged within the first steps (loss 30-70, then stuck near chance).')
    notes.append('Training drops the last incomplete batch of each epoch (drop_last). '
                 'Produced by tests/reference/train_fmnist.py.')
    return {
        'name': name,
        'tags': tags,
        'notes': ' '.join(notes),
        'classes': CLASSES,
        'preprocessing': {'resize': None, 'centerCrop': None, 'pad': PAD, 'grayToRgb': True,
                          'mean': [MEAN] * 3, 'std': [STD] * 3, 'inputSize': [32, 32]},
        'dataset': {'name': 'fashion-mnist', 'path': DATA_DIR, 'testSplit': 't10k',
                    'testLimit': cfg['test_subset']},
        'training': training,
    }


# ----------------------------------------------------------------------------- main

def evaluate(model, x_u8, y):
    model.eval()
    nll, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(y), EVAL_BATCH):
            xb = preprocess(x_u8[i:i + EVAL_BATCH])
            yb = y[i:i + EVAL_BATCH]
            out = model(xb)
            nll += F.cross_entropy(out, yb, reduction='sum').item()
            correct += int((out.argmax(1) == yb).sum())
    model.train()
    return nll / len(y), correct / len(y)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    out = os.path.abspath(args.out)
    state_path = os.path.join(out, 'state.pt')
    run_path = os.path.join(out, 'run.json')
    metrics_path = os.path.join(out, 'metrics.jsonl')
    cfg, explicit = resolve_config(args)

    state = None
    if os.path.exists(state_path):
        if not args.resume:
            die(f'{out} already holds a training state (state.pt). Pass --resume to continue that '
                f'run, or choose another --out. Nothing was changed.')
        state = torch.load(state_path)
        saved = state['config']
    elif os.path.isdir(out) and (os.path.exists(run_path) or os.path.exists(metrics_path)
                                 or glob.glob(os.path.join(out, 'epoch_*.onnx'))):
        if not args.resume:
            die(f'{out} already holds a run (run.json/metrics/exports) without a completed-epoch state. '
                f'Pass --resume to restart it from epoch 1 with the same settings, or choose another '
                f'--out. Nothing was changed.')
        saved = None
        if os.path.exists(run_path):
            with open(run_path) as f:
                rj = json.load(f)
            saved = cli_from_training(rj.get('training', {}))
    else:
        saved = None
    if saved is not None:
        conflicts = {k: (v, saved.get(k)) for k, v in explicit.items()
                     if k != 'threads' and saved.get(k) != v}
        if conflicts:
            die(f'--resume with settings that differ from the saved run: '
                + ', '.join(f'{k}={v[0]!r} (saved {v[1]!r})' for k, v in conflicts.items()))
        cfg = dict(saved, threads=cfg['threads'])
    if cfg['damp_sigma'] > 0 and cfg['batch_size'] // cfg['damp_subbatches'] < 2:
        die('each DAMP sub-batch needs at least 2 images (batch-size / damp-subbatches)')

    if state is not None and state['epoch'] >= cfg['epochs']:
        text = metrics_text(state['metrics'])
        if not os.path.exists(metrics_path) or open(metrics_path).read() != text:
            atomic_write_bytes(metrics_path, text.encode())
        log(f'Run in {out} is already complete ({state["epoch"]}/{cfg["epochs"]} epochs); nothing to do.')
        return 0

    torch.set_num_threads(cfg['threads'])
    seed = cfg['seed']
    os.makedirs(out, exist_ok=True)
    clean_temp_files(out)

    # data
    tx, ty = load_split('train')
    vx, vy = load_split('t10k')
    tr_idx = subset_indices(len(ty), cfg['subset'], sub_seed(seed, 'train-subset'))
    if tr_idx is not None:
        tx, ty = tx[tr_idx], ty[tr_idx]
    # The first N test images (not a random subset), so the workbench can evaluate exactly the
    # images the logged test accuracy came from (run.json dataset.testLimit).
    if cfg['test_subset'] is not None and cfg['test_subset'] < len(vy):
        vx, vy = vx[:cfg['test_subset']], vy[:cfg['test_subset']]
    bs = cfg['batch_size']
    steps_per_epoch = len(ty) // bs
    total_steps = steps_per_epoch * cfg['epochs']
    if steps_per_epoch < 1:
        die('training subset smaller than one batch')

    training = training_block(cfg, len(ty), len(vy), steps_per_epoch)
    cli_cfg = {k: cfg[k] for k in CLI_KEYS}
    rj = run_json(cfg, args.name or os.path.basename(out), args.tag, training)
    if state is None or not os.path.exists(run_path):
        atomic_write_json(run_path, rj)

    # model, optimizer, schedule (init from the global RNG seeded with --seed)
    torch.manual_seed(seed)
    np.random.seed(seed % (2 ** 32))
    random.seed(seed)
    model = torchvision.models.resnet50(num_classes=10, zero_init_residual=cfg['zero_init_residual'])
    model.train()
    named = list(model.named_parameters())
    opt = torch.optim.SGD(model.parameters(), lr=cfg['lr'], momentum=MOMENTUM, nesterov=True,
                          weight_decay=WEIGHT_DECAY)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.5 * (1.0 + math.cos(math.pi * min(s, total_steps) / total_steps)))
    data_gen = torch.Generator().manual_seed(sub_seed(seed, 'data-order'))
    aug_gen = torch.Generator().manual_seed(sub_seed(seed, 'augment')) if cfg['augment'] else None
    damp = None
    if cfg['damp_sigma'] > 0:
        damp = DampNoise([p for _, p in damp_params(model)], cfg['damp_sigma'], seed)

    start_epoch, global_step, records = 0, 0, []
    if state is not None:
        model.load_state_dict(state['model'])
        opt.load_state_dict(state['optimizer'])
        sched.load_state_dict(state['scheduler'])
        start_epoch, global_step, records = state['epoch'], state['global_step'], state['metrics']
        rng = state['rng']
        torch.set_rng_state(rng['torch'])
        np.random.set_state(rng['numpy'])
        random.setstate(rng['python'])
        data_gen.set_state(rng['data'])
        if aug_gen is not None:
            aug_gen.set_state(rng['augment'])
        if damp is not None:
            damp.set_state(rng['damp'])
        del state
        log(f'Resuming {out} after epoch {start_epoch}/{cfg["epochs"]} (global step {global_step}).')
    # metrics.jsonl must hold exactly the completed epochs' lines
    text = metrics_text(records)
    if not os.path.exists(metrics_path) or open(metrics_path).read() != text:
        atomic_write_bytes(metrics_path, text.encode())
    for p in glob.glob(os.path.join(out, 'epoch_*.onnx')):  # exports of an epoch that never completed
        try:
            n = int(os.path.basename(p).split('_')[1].split('.')[0])
        except ValueError:
            continue
        if n > start_epoch:
            os.unlink(p)

    log(f'{out}: {"DAMP sigma=%g, %d sub-batches" % (cfg["damp_sigma"], cfg["damp_subbatches"]) if damp else "SGD"}, '
        f'seed {seed}, {len(ty)} train / {len(vy)} test images, batch {bs}, {steps_per_epoch} steps x '
        f'{cfg["epochs"]} epochs, torch {torch.__version__}, {torch.get_num_threads()} threads')

    run_t0 = time.time()
    run_steps_done = 0
    for epoch in range(start_epoch + 1, cfg['epochs'] + 1):
        ep_t0 = time.time()
        perm = torch.randperm(len(ty), generator=data_gen)
        loss_sum, correct, seen = 0.0, 0, 0
        gn_sum = torch.zeros(len(named), dtype=torch.float64)
        win_t0, win_steps = time.time(), 0
        for i in range(steps_per_epoch):
            idx = perm[i * bs:(i + 1) * bs]
            x = preprocess(tx[idx], aug_gen)
            y = ty[idx]
            opt.zero_grad(set_to_none=False)
            if damp is None:
                logits = model(x)
                loss = F.cross_entropy(logits, y)
                loss.backward()
                loss_sum += loss.item() * len(y)
                correct += int((logits.argmax(1) == y).sum())
            else:
                damp.snapshot()
                for part in torch.tensor_split(torch.arange(len(y)), cfg['damp_subbatches']):
                    damp.perturb()
                    logits = model(x[part])
                    loss = F.cross_entropy(logits, y[part], reduction='sum') / len(y)
                    loss.backward()
                    loss_sum += loss.item() * len(y)
                    correct += int((logits.argmax(1) == y[part]).sum())
                damp.restore()
            seen += len(y)
            with torch.no_grad():
                gn_sum += torch.stack([p.grad.norm() for _, p in named]).double()
            opt.step()
            sched.step()
            global_step += 1
            run_steps_done += 1
            win_steps += 1
            if (i + 1) % 50 == 0 or i + 1 == steps_per_epoch:
                now = time.time()
                rate = win_steps * bs / (now - win_t0)
                sps = (now - run_t0) / run_steps_done
                left_ep = (steps_per_epoch - i - 1) * sps
                left_run = (total_steps - global_step) * sps
                log(f'epoch {epoch}/{cfg["epochs"]} step {i + 1}/{steps_per_epoch} (global {global_step}/'
                    f'{total_steps}) loss {loss_sum / seen:.4f} acc {correct / seen:.4f} '
                    f'lr {opt.param_groups[0]["lr"]:.5f} | {rate:.1f} img/s, {sps:.2f} s/step, '
                    f'epoch ETA {fmt_dur(left_ep)}, run ETA {fmt_dur(left_run)} (training only)')
                win_t0, win_steps = now, 0
        train_time = time.time() - ep_t0

        t0 = time.time()
        test_loss, test_acc = evaluate(model, vx, vy)
        eval_time = time.time() - t0
        t0 = time.time()
        export_onnx(model, os.path.join(out, f'epoch_{epoch}.onnx'), bn_kept=False)
        n_bn = export_onnx(model, os.path.join(out, f'epoch_{epoch}.bn.onnx'), bn_kept=True)
        export_time = time.time() - t0

        gn = (gn_sum / steps_per_epoch).tolist()
        if cfg['metric_names'] in ('plain', 'plain-grads'):
            new = [{'epoch': epoch, 'step': global_step, 'train_loss': loss_sum / seen,
                    'train_acc': correct / seen, 'test_loss': test_loss, 'test_acc': test_acc,
                    'lr_end': opt.param_groups[0]['lr']}]
            if cfg['metric_names'] == 'plain-grads':
                new[0].update({f'grad_norms/{n}': g for (n, _), g in zip(named, gn)})
        else:
            new = [
                {'epoch': epoch, 'step': global_step, 'split': 'train', 'loss': loss_sum / seen,
                 'accuracy': correct / seen, 'lr': opt.param_groups[0]['lr'],
                 'grad_norms': {n: g for (n, _), g in zip(named, gn)}},
                {'epoch': epoch, 'step': global_step, 'split': 'test', 'loss': test_loss,
                 'accuracy': test_acc},
            ]
        with open(metrics_path, 'a') as f:
            f.write(metrics_text(new))
            f.flush()
            os.fsync(f.fileno())
        records = records + new

        st = {
            'version': STATE_VERSION, 'config': cli_cfg, 'epoch': epoch, 'global_step': global_step,
            'model': model.state_dict(), 'optimizer': opt.state_dict(), 'scheduler': sched.state_dict(),
            'metrics': records,
            'rng': {'torch': torch.get_rng_state(), 'numpy': np.random.get_state(),
                    'python': random.getstate(), 'data': data_gen.get_state(),
                    'augment': aug_gen.get_state() if aug_gen is not None else None,
                    'damp': damp.get_state() if damp is not None else None},
        }
        tmp = os.path.join(out, f'.state.pt.tmp-{os.getpid()}')
        torch.save(st, tmp)
        with open(tmp, 'rb') as f:
            os.fsync(f.fileno())
        os.replace(tmp, state_path)
        del st
        log(f'epoch {epoch} done: train loss {loss_sum / seen:.4f} acc {correct / seen:.4f} | test loss '
            f'{test_loss:.4f} acc {test_acc:.4f} | train {fmt_dur(train_time)}, eval {fmt_dur(eval_time)}, '
            f'export {fmt_dur(export_time)} (checker ok, {n_bn} BN nodes in .bn.onnx)')

    log(f'Run complete: {out} ({cfg["epochs"]} epochs).')
    return 0


if __name__ == '__main__':
    sys.exit(main())
