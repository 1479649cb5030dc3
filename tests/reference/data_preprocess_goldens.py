#!/usr/bin/python3
"""Images of odd sizes and torchvision's Resize + CenterCrop of them, for the preprocessing parity tests.

Command that produced the committed files (from the repository root, Debian python3-torch 1.13,
python3-torchvision 0.14, python3-pil 9.4, numpy; nothing is downloaded):

    /usr/bin/python3 tests/reference/data_preprocess_goldens.py

Writes tests/fixtures/data/parity/:
  <name>.jpg / <name>.png   seeded, natural-ish images drawn with PIL (gradients, shapes, lines, noise)
                            at odd sizes; JPEGs in 4:2:0, 4:4:4 and progressive, gray and RGB; PNGs
                            in L and RGBA (alpha must be dropped, as ImageFolder's convert('RGB') does)
  goldens.json              per image: PIL's decode (mode, size, sha256 of the raw pixels) and, per
                            filter (bilinear, bicubic), transforms.Resize(resize) + CenterCrop(crop)
                            on the PIL image, as a base64 PNG (lossless; L or RGB)
"""

import base64
import hashlib
import io
import json
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from torchvision import transforms
from torchvision.transforms import InterpolationMode

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(REPO, 'tests', 'fixtures', 'data', 'parity')

# name, width, height, format/mode/options, resize (None: none), crop (None: none)
CASES = [
    ('tall-333x517', 333, 517, 'jpeg-rgb', 256, 224),
    ('wide-640x427', 640, 427, 'jpeg-rgb-444', 256, 224),
    ('sliver-97x1001', 97, 1001, 'jpeg-rgb', 64, 56),
    ('sliver-1001x97', 1001, 97, 'jpeg-rgb-444', 72, 64),
    ('near-square-255x257', 255, 257, 'jpeg-rgb', 80, 71),
    ('near-square-257x255', 257, 255, 'jpeg-rgb-progressive', 80, 80),
    ('tiny-31x45', 31, 45, 'jpeg-rgb', 64, 57),
    ('small-64x65', 64, 65, 'jpeg-rgb-444', 48, 47),
    ('wide-480x271', 480, 271, 'jpeg-rgb', 96, 88),
    ('square-149x149', 149, 149, 'jpeg-rgb', None, 101),
    ('tall-123x456', 123, 456, 'jpeg-rgb', 50, None),
    ('odd-211x173', 211, 173, 'jpeg-gray', 60, 53),
    ('thin-45x300', 45, 300, 'jpeg-rgb', 33, 30),
    ('thin-700x95', 700, 95, 'jpeg-gray', 41, 39),
    ('square-128x128', 128, 128, 'jpeg-rgb-progressive', 128, 111),
    ('upscale-50x51', 50, 51, 'jpeg-rgb', 75, 70),
    ('odd-150x149', 150, 149, 'jpeg-rgb-444', 37, 36),
    ('large-399x601', 399, 601, 'jpeg-rgb', 70, 64),
    ('pad-89x77', 89, 77, 'jpeg-rgb', 40, 48),
    ('large-601x401', 601, 401, 'jpeg-gray', 65, 59),
    ('near-112x113', 112, 113, 'jpeg-rgb', 112, 112),
    ('odd-163x97', 163, 97, 'jpeg-rgb', 29, 27),
    ('alpha-141x119', 141, 119, 'png-rgba', 45, 41),
    ('gray-119x141', 119, 141, 'png-gray', 45, 41),
]

FILTERS = {'bilinear': InterpolationMode.BILINEAR, 'bicubic': InterpolationMode.BICUBIC}


def natural_image(width, height, rng):
    """Smooth colour gradients, a blurred blob, hard-edged shapes and lines, and a noisy patch."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    phase = rng.uniform(0, 2 * np.pi, size=3)
    base = np.stack([
        128 + 90 * np.sin(x / max(width, 1) * 3.1 + phase[0]) * np.cos(y / max(height, 1) * 2.3),
        128 + 80 * np.cos((x + y) / (width + height) * 4.7 + phase[1]),
        128 + 100 * np.sin(y / max(height, 1) * 5.3 + phase[2]),
    ], axis=-1)
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), 'RGB')
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x0, x1 = sorted(rng.integers(0, width, size=2))
        y0, y1 = sorted(rng.integers(0, height, size=2))
        colour = tuple(int(v) for v in rng.integers(0, 256, size=3))
        shape = rng.integers(0, 3)
        if shape == 0:
            draw.rectangle([x0, y0, x1, y1], fill=colour)
        elif shape == 1:
            draw.ellipse([x0, y0, x1, y1], fill=colour)
        else:
            draw.line([x0, y0, x1, y1], fill=colour, width=int(rng.integers(1, 4)))
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    pixels = np.array(image).astype(np.int16)
    ph, pw = max(1, height // 4), max(1, width // 4)
    py, px = int(rng.integers(0, height - ph + 1)), int(rng.integers(0, width - pw + 1))
    pixels[py:py + ph, px:px + pw] += rng.integers(-40, 41, size=(ph, pw, 3)).astype(np.int16)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), 'RGB')


def save(image, kind, path_stem, rng):
    if kind.startswith('jpeg'):
        path = path_stem + '.jpg'
        if kind == 'jpeg-gray':
            image = image.convert('L')
        options = {'quality': 88}
        if kind.endswith('-444'):
            options['subsampling'] = 0
        if kind.endswith('-progressive'):
            options['progressive'] = True
        image.save(path, 'JPEG', **options)
        return path
    path = path_stem + '.png'
    if kind == 'png-gray':
        image = image.convert('L')
    else:
        ramp = np.linspace(0, 255, image.width * image.height).reshape(image.height, image.width)
        alpha = Image.fromarray(ramp.astype(np.uint8))
        image = image.convert('RGBA')
        image.putalpha(alpha)
    image.save(path, 'PNG', optimize=True)
    return path


def as_rgb_or_gray(image):
    """What ImageFolder's loader gives (convert('RGB')), except that gray stays gray."""
    return image if image.mode in ('L', 'RGB') else image.convert('RGB')


def transformed(image, filter_mode, resize, crop):
    steps = []
    if resize is not None:
        steps.append(transforms.Resize(resize, interpolation=filter_mode))
    if crop is not None:
        steps.append(transforms.CenterCrop(crop))
    return np.array(transforms.Compose(steps)(image))


def packed(pixels):
    """A lossless PNG (its row filters compress smooth images far better than zlib on raw bytes)."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, 'PNG', optimize=True)
    return base64.b64encode(buffer.getvalue()).decode('ascii')


def golden_case(name, width, height, kind, resize, crop, seed):
    rng = np.random.default_rng(seed)
    path = save(natural_image(width, height, rng), kind, os.path.join(OUT, name), rng)
    with Image.open(path) as opened:
        opened.load()
        decoded = as_rgb_or_gray(opened)
        raw = np.array(decoded)
        outputs = {}
        for filter_name, filter_mode in FILTERS.items():
            pixels = transformed(decoded, filter_mode, resize, crop)
            channels = 1 if pixels.ndim == 2 else pixels.shape[2]
            outputs[filter_name] = {'shape': [pixels.shape[0], pixels.shape[1], channels],
                                    'png': packed(pixels)}
    return {
        'file': os.path.basename(path),
        'decoded': {'mode': decoded.mode, 'width': decoded.width, 'height': decoded.height,
                    'sha256': hashlib.sha256(raw.tobytes()).hexdigest()},
        'resize': resize,
        'centerCrop': crop,
        'outputs': outputs,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = [golden_case(*case, seed=1000 + i) for i, case in enumerate(CASES)]
    document = {
        'producedBy': '/usr/bin/python3 tests/reference/data_preprocess_goldens.py',
        'versions': {'torchvision': __import__('torchvision').__version__,
                     'pillow': Image.__version__, 'numpy': np.__version__},
        'layout': 'base64 PNG of the uint8 result (L for gray, RGB otherwise)',
        'cases': cases,
    }
    with open(os.path.join(OUT, 'goldens.json'), 'w') as f:
        json.dump(document, f, indent=1)
        f.write('\n')
    print(f'{len(cases)} images written to {OUT}')


if __name__ == '__main__':
    main()
