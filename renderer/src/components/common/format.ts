import type { DatasetRequest } from '../../../../electron/api/contract/index.ts'

export function percent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)} %`
}

export function fixed(value: number, digits = 3): string {
  return value.toFixed(digits)
}

export function seconds(ms: number): string {
  const s = ms / 1000
  if (s < 10) return `${s.toFixed(1)} s`
  if (s < 90) return `${Math.round(s)} s`
  const minutes = Math.floor(s / 60)
  return `${minutes} min ${Math.round(s - minutes * 60)} s`
}

export function rate(imagesPerSecond: number | null): string {
  return imagesPerSecond === null ? '–' : `${Math.round(imagesPerSecond)} img/s`
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

export function shortHash(hash: string): string {
  return hash.slice(0, 12)
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path
}

/** 'fashion-mnist · t10k · 1000 sampled (seed 0)'; `numImages`: how many the selection held. */
export function datasetLabel(
  dataset: DatasetRequest | null,
  name: string | null = null,
  numImages: number | null = null,
): string {
  if (dataset === null) return ''
  const parts = [name ?? baseName(dataset.path)]
  if (dataset.split) parts.push(dataset.split)
  if (dataset.holdout) {
    const { fraction, seed, part } = dataset.holdout
    parts.push(`${part} of a ${percent(fraction, 0)} holdout (seed ${seed})`)
  }
  const { sample } = dataset
  // A sample at least as large as the set keeps every image (the selection never repeats one).
  if (sample && numImages !== null && sample.count > numImages && dataset.limit === null) {
    parts.push(`all ${numImages} images (a sample of ${sample.count} was asked)`)
  } else if (sample) {
    parts.push(`${sample.count} sampled (seed ${sample.seed})`)
  }
  if (dataset.limit !== null && numImages !== null && dataset.limit > numImages && !sample)
    parts.push(`all ${numImages} images (the first ${dataset.limit} were asked)`)
  else if (dataset.limit !== null) parts.push(`first ${dataset.limit}`)
  return parts.join(' · ')
}

/**
 * The same images whatever sample, limit or class names a request gives: how the launcher dedupes
 * sets (a job stores its set with the run's class names filled in).
 */
export function datasetBaseKey(dataset: DatasetRequest): string {
  const { path, split, holdout } = dataset
  return JSON.stringify({ path: path.replace(/[\\/]+$/, ''), split, holdout })
}

export function signed(value: number, digits: number, unit = ''): string {
  const text = Math.abs(value).toFixed(digits)
  if (Number(text) === 0) return `±${text}${unit}`
  return `${value > 0 ? '+' : '−'}${text}${unit}`
}
