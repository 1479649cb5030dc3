#!/usr/bin/python3
"""Reference outputs of the ImageNet-C corruptions, from the original code, for the TypeScript ports
in native-models/analysis/robustness/corruptions.

The original functions (hendrycks/robustness, ImageNet-C/create_c/make_cifar_c.py for the 32-px
table, make_tinyimagenet_c.py for 64 px, make_imagenet_c.py for 224 px) are loaded from a checkout
outside this repository; nothing of them is copied here. Every NumPy / skimage random call they
make is replaced by the draws the TypeScript run recorded (tests/reference/export-corruption-draws.ts),
in order, so both sides see the same randomness and any difference is the deterministic part.

Needs Debian's python3-numpy, -scipy, -skimage, -opencv, -wand (ImageMagick), -pil, -torch and
-torchvision (the original modules import them). Regenerate:
  node tests/reference/export-corruption-draws.ts tests/.tmp/corruption-draws.json
  /usr/bin/python3 tests/reference/corruption_goldens.py /work/refcode/robustness \
    tests/.tmp/corruption-draws.json tests/fixtures/goldens/corruptions
(a copy of ImageNet-C/create_c at commit 8190fe32, e.g. `git -C <mirror> archive 8190fe3
  ImageNet-C/create_c | tar -x -C /work/refcode/robustness`).

Writes one <corruption>.json per corruption: the cases (table, severity, seed) and the reference
uint8 output (base64, HWC), and prints the largest and mean difference to the TypeScript output.
"""
import base64
import json
import os
import sys
import types

import numpy as np

MODULES = {32: 'make_cifar_c.py', 64: 'make_tinyimagenet_c.py', 224: 'make_imagenet_c.py'}
COMMAND = ('node tests/reference/export-corruption-draws.ts tests/.tmp/corruption-draws.json && '
           '/usr/bin/python3 tests/reference/corruption_goldens.py <robustness checkout> '
           'tests/.tmp/corruption-draws.json tests/fixtures/goldens/corruptions')


class Replay:
    """Hands out the recorded draws in order, checking each call matches what was recorded."""

    def __init__(self, draws):
        self.draws = list(draws)

    def take(self, kind, size, params=None):
        if not self.draws:
            raise AssertionError(f'the original asked for a {kind} draw the TypeScript run did not make')
        if self.is_batch_for(kind, size, params):
            return self.take_from_batch(size)
        draw = self.draws.pop(0)
        if draw['kind'] != kind:
            raise AssertionError(f'draw order differs: the original asks for {kind}, recorded {draw["kind"]}')
        n = int(np.prod(size)) if size is not None else 1
        if draw['size'] != n:
            raise AssertionError(f'{kind}: the original asks for {n} values, recorded {draw["size"]}')
        if params is not None:
            assert np.allclose(draw['params'], params), (kind, draw['params'], params)
        values = np.array(draw['values'], dtype=np.float64)
        return values if size is None or size == () else values.reshape(size)

    def is_batch_for(self, kind, size, params):
        """A port may draw in one call what the original draws per pixel (glass blur's
        randint(-d, d, size=2) for each pixel): one recorded draw of the same kind and parameters
        whose size is a whole multiple of the request then serves consecutive requests, in order."""
        draw = self.draws[0]
        n = int(np.prod(size)) if size is not None else 1
        if draw['kind'] != kind or draw['size'] <= n or draw['size'] % n != 0:
            return False
        return params is None or np.allclose(draw['params'], params)

    def take_from_batch(self, size):
        draw = self.draws[0]
        n = int(np.prod(size)) if size is not None else 1
        start = draw.get('served', 0)
        draw['served'] = start + n
        if draw['served'] == draw['size']:
            self.draws.pop(0)
        values = np.array(draw['values'][start:start + n], dtype=np.float64)
        return values if size is None or size == () else values.reshape(size)

    def take_texture(self, filename):
        """The image the port generated in place of the file the original reads (BGR, as imread)."""
        if not self.draws or self.draws[0]['kind'] != 'texture':
            raise AssertionError(f'the original reads {filename}; the TypeScript run recorded no texture there')
        draw = self.draws.pop(0)
        height, width, channels = (int(v) for v in draw['params'])
        return np.array(draw['values'], dtype=np.uint8).reshape(height, width, channels)

    def install(self, module):
        replay = self

        def normal(loc=0.0, scale=1.0, size=None):
            return replay.take('normal', size, [loc, scale])

        def uniform(low=0.0, high=1.0, size=None):
            v = replay.take('uniform', size, [low, high])
            return v if size is not None else float(v[0])

        def randint(low, high=None, size=None):
            if high is None:
                low, high = 0, low
            v = replay.take('integers', size, [low, high]).astype(np.int64)
            return v if size is not None else int(v[0])

        def poisson(lam=1.0, size=None):
            lam = np.asarray(lam)
            return replay.take('poisson', lam.shape if size is None else size)

        # frost reads its texture with cv2.imread; the port generates it and records it instead.
        module.cv2 = ImreadReplay(replay)

        np.random.normal = normal
        np.random.uniform = uniform
        np.random.randint = randint
        np.random.poisson = poisson
        import skimage.util.noise as noise

        noise._bernoulli = lambda p, shape, random_state=None: replay.take(
            'bernoulli', shape, [p]).astype(bool)


class ImreadReplay:
    """cv2 for the loaded module, except that imread returns the next recorded texture."""

    def __init__(self, replay):
        import cv2

        self._cv2 = cv2
        self._replay = replay

    def imread(self, filename, *args):
        return self._replay.take_texture(filename)

    def __getattr__(self, name):
        return getattr(self._cv2, name)


def load(checkout, table):
    """The module's code up to its '# End Distortions' line: imports, helpers and corruptions,
    without the dataset loading and saving that follows."""
    path = os.path.join(checkout, 'ImageNet-C', 'create_c', MODULES[table])
    source = open(path).read()
    end = source.index('# /////////////// End Distortions ///////////////')
    module = types.ModuleType(f'imagenet_c_{table}')
    module.__file__ = path
    exec(compile(source[:end], path, 'exec'), module.__dict__)
    return module, os.path.dirname(path)


def main(checkout, draws_path, out_dir):
    from PIL import Image

    cases = json.load(open(draws_path))['cases']
    modules = {t: load(checkout, t) for t in MODULES}
    by_name = {}
    for case in cases:
        module, folder = modules[case['table']]
        size = case['size']
        x = np.frombuffer(base64.b64decode(case['input']), dtype=np.uint8).reshape(size, size, 3)
        replay = Replay(case['draws'])
        replay.install(module)
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            out = getattr(module, case['name'])(Image.fromarray(x), case['severity'])
        finally:
            os.chdir(cwd)
        if replay.draws:
            raise AssertionError(f'{case["name"]}: {len(replay.draws)} recorded draws were not used')
        reference = np.uint8(out)
        ts = np.frombuffer(base64.b64decode(case['output']), dtype=np.uint8).reshape(reference.shape)
        diff = np.abs(reference.astype(int) - ts.astype(int))
        print(f'{case["name"]:18s} table {case["table"]:3d} severity {case["severity"]}: '
              f'max |diff| {diff.max()}, mean {diff.mean():.4f}')
        by_name.setdefault(case['name'], []).append({
            'table': case['table'], 'severity': case['severity'], 'seed': case['seed'],
            'reference': base64.b64encode(reference.tobytes()).decode('ascii'),
        })
    os.makedirs(out_dir, exist_ok=True)
    for name, entries in by_name.items():
        with open(os.path.join(out_dir, f'{name}.json'), 'w') as f:
            json.dump({'command': COMMAND, 'cases': entries}, f)
            f.write('\n')


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
