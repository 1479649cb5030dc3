import type { Preprocessing } from '../../../../electron/api/contract/index.ts'

export interface PreprocessingPreset {
  name: string
  note: string
  preprocessing: Preprocessing
}

/** What common training scripts do; a starting point, checked on real images before it is saved. */
export const PREPROCESSING_PRESETS: readonly PreprocessingPreset[] = [
  {
    name: 'ImageNet (torchvision)',
    note: 'resize 256, center crop 224, ImageNet mean and std',
    preprocessing: {
      resize: 256,
      centerCrop: 224,
      pad: 0,
      grayToRgb: false,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      inputSize: [224, 224],
    },
  },
  {
    name: 'CIFAR-10',
    note: '32×32 as stored, CIFAR-10 mean and std',
    preprocessing: {
      resize: null,
      centerCrop: null,
      pad: 0,
      grayToRgb: false,
      mean: [0.4914, 0.4822, 0.4465],
      std: [0.247, 0.2435, 0.2616],
      inputSize: [32, 32],
    },
  },
  {
    name: 'MNIST family, 28 → 32 padded, gray → RGB',
    note: 'zero padding of 2, gray copied to 3 channels, Fashion-MNIST mean and std',
    preprocessing: {
      resize: null,
      centerCrop: null,
      pad: 2,
      grayToRgb: true,
      mean: [0.286, 0.286, 0.286],
      std: [0.353, 0.353, 0.353],
      inputSize: [32, 32],
    },
  },
]
