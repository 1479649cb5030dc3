#!/usr/bin/python3
"""Golden values for AC-GC's fake quantizer (papers.md §4.2), written with NumPy in float32.

The quantizer is the CuPy path of rdevans0/acgc's fixpoint.py (fixpoint_multi followed by
fixpoint_multi_dec with a scale), reached through autoquant.py's scramble: with the reported
width b, scramble passes bits = b and fbits = b - 1, and fixpoint_multi adds one to both, so the
grid has L = 2^b steps per unit of the scaled value. Every operation is float32, in the
reference's order, so the graph must reproduce each value bit for bit.

Run with Debian's Python: /usr/bin/python3 tests/reference/fake_quant_numpy.py
Writes tests/fixtures/goldens/compression/fake-quant.json.
"""
import base64
import json
import os

import numpy as np

F32 = np.float32
OUT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'goldens', 'compression',
                   'fake-quant.json'))
DIMS = (2, 6, 4, 5)
BITS = [1, 2, 3, 4, 5, 6, 7, 8, 12, 16]
TIE_BITS = 3


def b64(array):
    return base64.b64encode(np.ascontiguousarray(array, dtype='<f4').tobytes()).decode('ascii')


def channel_scale(x):
    """autoquant.py: scale = rescale / (x_max + 1e-6), rescale = 1.0, all float32."""
    x_max = np.abs(x).max(axis=(0, 2, 3))
    return x_max, F32(1.0) / (x_max + F32(1e-6))


def fixpoint_multi(xs, bits, fbits, signed):
    """fixpoint.py fixpoint_multi, CuPy kernel, zero_adjust=None as scramble passes it."""
    bits = bits + 1
    fbits = fbits + 1
    bias = np.zeros_like(bits) if signed else -(np.left_shift(1, bits - 1))
    bias = bias.astype(F32)
    adj = F32(0 if signed else -40)
    sh = np.ldexp(xs, fbits).astype(F32)
    za = np.where(sh == 0, (sh + adj) + bias, sh + bias).astype(F32)
    y = np.rint(za)  # __float2int_rn: round half to even
    low = -(np.left_shift(1, bits - 1)).astype(F32)
    high = (np.left_shift(1, bits - 1) - 1).astype(F32)
    return np.minimum(np.maximum(y, low), high).astype(F32), bias


def fixpoint_multi_dec(y, bias, fbits, scale):
    """fixpoint.py fixpoint_multi_dec, CuPy kernel: x = (x - bias) / (1<<fbits) / scale."""
    steps = np.left_shift(1, fbits + 1).astype(F32)
    return ((y - bias) / steps / scale).astype(F32)


def quantize(x, reported_bits):
    """x̂ for per-channel widths b (0 leaves a channel exact); also the accounting values."""
    x = x.astype(F32)
    x_max, scale = channel_scale(x)
    signed = bool(x.min() < 0)
    b = np.asarray(reported_bits, dtype=np.int64)
    off = b == 0
    b_safe = np.where(off, 1, b)
    per_channel = (None, Ellipsis, None, None)
    bits = np.broadcast_to(b_safe[per_channel], x.shape)
    fbits = bits - 1
    xs = (x * scale[per_channel]).astype(F32)
    y, bias = fixpoint_multi(xs, bits, fbits, signed)
    decoded = fixpoint_multi_dec(y, bias, fbits, scale[per_channel])
    quantized = np.where(off[per_channel], x, decoded).astype(F32)
    assert_zero_adjust_changes_nothing(xs, bits, fbits, signed, y)
    return quantized, {
        'maxAbs': b64(x_max),
        'zeroCount': (x == 0).sum(axis=(0, 2, 3)).tolist(),
        'quantizedNonzeroCount': (quantized != 0).sum(axis=(0, 2, 3)).tolist(),
        'bits': [float(v) for v in np.where(off, 0, b)],
        'signed': 1 if signed else 0,
    }


def assert_zero_adjust_changes_nothing(xs, bits, fbits, signed, y):
    """The −40 added to exact zeros of an unsigned tensor only moves them below the clip."""
    bias = np.zeros(bits.shape, F32) if signed else -(np.left_shift(1, bits)).astype(F32)
    plain = np.rint((np.ldexp(xs, fbits + 1).astype(F32) + bias).astype(F32))
    low = -(np.left_shift(1, bits)).astype(F32)
    high = (np.left_shift(1, bits) - 1).astype(F32)
    assert np.array_equal(np.minimum(np.maximum(plain, low), high), y)


def error_bound_bits(x, squared_error):
    """autoquant.py scramble: f = intrinsic − log2(scale) − 1, fbits = clip(trunc f, 1, 15),
    bits = fbits + 1. A channel whose dx² is 0 stays exact (b = 0). NumPy's float32 log2 is
    not correctly rounded here (1 ulp off at times); the graph takes log2 in float64 and rounds
    it to float32, so the widths are checked to agree under both."""
    narrow = widths_from_bound(x, squared_error, lambda v: np.log2(v.astype(F32)))
    wide = widths_from_bound(x, squared_error, lambda v: np.log2(v.astype(np.float64)).astype(F32))
    assert np.array_equal(narrow, wide), (narrow, wide)
    return wide


def widths_from_bound(x, squared_error, log2):
    _, scale = channel_scale(x.astype(F32))
    on = squared_error > 0
    dx2 = np.where(on, squared_error, F32(1)).astype(F32)
    intrinsic = (F32(-0.5) * log2(dx2)).astype(F32)
    f = ((intrinsic - log2(scale)) - F32(1)).astype(F32)
    fbits = np.clip(np.trunc(f), 1, 15)
    return np.where(on, fbits + 1, 0).astype(np.int64)


def signed_normal(rng):
    return (rng.standard_normal(DIMS) * rng.uniform(0.1, 3, DIMS[1])[None, :, None, None])


def post_relu(rng):
    return np.maximum(signed_normal(rng), 0)


def all_zero_channel(rng, signed):
    x = signed_normal(rng) if signed else post_relu(rng)
    x[:, 2] = 0
    return x


def magnitudes(rng):
    """Huge and tiny channel maxima; 1e38 gives a subnormal scale, 1e-30 values underflow."""
    x = np.abs(signed_normal(rng))
    maxima = [1e38, 3e30, 1e-20, 1e-38, 2.0, 1e-3]
    for c, m in enumerate(maxima):
        x[:, c] = x[:, c] / x[:, c].max() * m
    x[0, 0, 0, :3] = [1e-30, 1e-38, 1e-44]
    x[1, 4, 1, 1] = -1e-30
    return x


def ties(rng, signed):
    """Values whose x·s·L (+ bias) lands exactly on k + 0.5 at b = TIE_BITS."""
    x = signed_normal(rng) if signed else post_relu(rng)
    x = x.astype(F32)
    steps = 2 ** TIE_BITS
    for c in range(DIMS[1]):
        x_max = np.abs(x[:, c]).max()
        scale = F32(1.0) / (x_max + F32(1e-6))
        flat = x[:, c].reshape(-1)
        keep = int(np.argmax(np.abs(flat)))
        for i in range(flat.size):
            if i != keep:
                k = int(rng.integers(-steps if signed else 0, steps))
                flat[i] = find_tie(k, scale, F32(steps))
        x[:, c] = flat.reshape(x[:, c].shape)
    return x


def find_tie(k, scale, steps):
    """The float32 nearest (k + 0.5)/(s·L) whose float32 x·s·L is exactly k + 0.5."""
    guess = F32((k + 0.5) / (float(scale) * float(steps)))
    up, down = guess, guess
    for _ in range(64):
        for candidate in (up, down):
            if F32(F32(candidate * scale) * steps) == F32(k + 0.5):
                return candidate
        up, down = np.nextafter(up, F32(np.inf)), np.nextafter(down, F32(-np.inf))
    return guess


def main():
    rng = np.random.default_rng(20261206)
    inputs = {
        'signed-normal': signed_normal(rng),
        'post-relu': post_relu(rng),
        'zero-channel-unsigned': all_zero_channel(rng, signed=False),
        'zero-channel-signed': all_zero_channel(rng, signed=True),
        'magnitudes': magnitudes(rng),
        'ties-signed': ties(rng, signed=True),
        'ties-unsigned': ties(rng, signed=False),
    }
    inputs = {name: x.astype(F32) for name, x in inputs.items()}
    tie_count = {}
    cases = []
    channels = DIMS[1]
    mixed = [1, 5, 16, 0, 8, 12]
    for name, x in inputs.items():
        for b in BITS:
            cases.append(levels_case(name, x, [b] * channels))
        cases.append(levels_case(name, x, mixed))
        cases.append(levels_case(name, x, [0] * channels))
        squared_error = squared_error_bounds(rng, channels)
        bits = error_bound_bits(x, squared_error)
        quantized, expected = quantize(x, bits)
        cases.append({'input': name, 'mode': 'error-bound', 'squaredError': b64(squared_error),
                      'expected': {'quantized': b64(quantized), **expected}})
        if name.startswith('ties'):
            _, scale = channel_scale(x)
            sh = x * scale[None, :, None, None] * F32(2 ** TIE_BITS)
            tie_count[name] = int((np.abs(sh - np.floor(sh)) == 0.5).sum())
    cases.extend(every_width_cases(inputs['signed-normal']))
    golden = {
        'source': 'tests/reference/fake_quant_numpy.py',
        'dims': list(DIMS),
        'inputs': {name: b64(x) for name, x in inputs.items()},
        'tieCounts': tie_count,
        'cases': cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as handle:
        json.dump(golden, handle, separators=(',', ':'))
    print(f'{len(cases)} cases, ties {tie_count}, {os.path.getsize(OUT)} bytes -> {OUT}')


def levels_case(name, x, bits):
    quantized, expected = quantize(x, bits)
    levels = [float(2 ** b) if b > 0 else 0.0 for b in bits]
    return {'input': name, 'mode': 'levels', 'levels': levels,
            'expected': {'quantized': b64(quantized), **expected}}


def every_width_cases(x):
    """dx² per channel putting f mid-way into each width's interval, so that every width 2…16
    (and so every 2^b the graph computes) appears."""
    _, scale = channel_scale(x)
    widths = list(range(2, 17))
    channels = DIMS[1]
    cases = []
    for start in range(0, len(widths), channels):
        targets = (widths[start:start + channels] + widths)[:channels]
        f = np.array(targets, dtype=np.float64) - 0.5
        squared_error = np.exp2(-2 * (f + 1 + np.log2(scale.astype(np.float64)))).astype(F32)
        bits = error_bound_bits(x, squared_error)
        assert bits.tolist() == targets, (bits, targets)
        quantized, expected = quantize(x, bits)
        cases.append({'input': 'signed-normal', 'mode': 'error-bound',
                      'squaredError': b64(squared_error),
                      'expected': {'quantized': b64(quantized), **expected}})
    return cases


def squared_error_bounds(rng, channels):
    """Log-uniform dx², an exact power of two, AC-GC's 2^-16 floor, and 0 (exact channel)."""
    values = np.exp2(rng.uniform(-40, 0, channels)).astype(F32)
    values[1] = F32(2.0 ** -10)
    values[3] = F32(2.0 ** -16)
    values[channels - 1] = 0
    return values


if __name__ == '__main__':
    main()
