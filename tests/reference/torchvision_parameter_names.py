#!/usr/bin/python3
"""The parameter names and shapes of the torchvision ResNet50 that tests/reference/train_fmnist.py
trains (resnet50(num_classes=10)): its metrics.jsonl logs `grad_norms` under exactly these names
(model.named_parameters()). The parameter-key tests check that every one maps to a layer key.

Regenerate (Debian python3-torch 1.13 + python3-torchvision):
  /usr/bin/python3 tests/reference/torchvision_parameter_names.py \
      tests/fixtures/goldens/parameter-keys/torchvision-resnet50-named-parameters.json
"""
import json
import sys

import torch
import torchvision


def main(out):
    model = torchvision.models.resnet50(num_classes=10)
    golden = {
        'generator': 'tests/reference/torchvision_parameter_names.py (torch %s, torchvision %s)'
        % (torch.__version__, torchvision.__version__),
        'model': 'torchvision.models.resnet50(num_classes=10)',
        'parameters': [
            {'name': name, 'shape': list(p.shape)} for name, p in model.named_parameters()
        ],
    }
    with open(out, 'w') as f:
        json.dump(golden, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
