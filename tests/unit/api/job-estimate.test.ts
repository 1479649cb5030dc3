import { describe, expect, it } from 'vitest'
import { throughputOf } from '../../../electron/api/job-estimate.ts'

const RESNET50_32 = 83_431_424 // MACs per image at 32×32

describe('the throughput behind job estimates', () => {
  it('separates per-job overhead from the rate when the jobs differ in size', () => {
    // seconds = 0.5 + images × MACs / 1e11, exactly
    const jobs = [300, 1000, 3000].map((images) => ({
      work: images * RESNET50_32,
      seconds: 0.5 + (images * RESNET50_32) / 1e11,
    }))
    const throughput = throughputOf(jobs)!
    expect(throughput.overheadSeconds).toBeCloseTo(0.5, 9)
    expect(throughput.macsPerSecond / 1e11).toBeCloseTo(1, 9)
    expect(throughput.jobs).toBe(3)
  })

  it('assumes the usual overhead when the jobs are all of one size, and keeps the fastest', () => {
    const work = 1000 * RESNET50_32
    const throughput = throughputOf([
      { work, seconds: 1.9 },
      { work, seconds: 1.434 },
    ])!
    expect(throughput.overheadSeconds).toBe(0.6)
    // 1000 images in 1.434 − 0.6 s
    expect(throughput.macsPerSecond).toBeCloseTo(work / 0.834, 3)
  })

  it('never lets the overhead take more than half of a short job', () => {
    const throughput = throughputOf([{ work: 10 * RESNET50_32, seconds: 0.4 }])!
    expect(throughput.overheadSeconds).toBe(0.2)
    expect(throughput.macsPerSecond).toBeCloseTo((10 * RESNET50_32) / 0.2, 3)
  })

  it('falls back to the usual overhead when a line through noisy jobs would slope downwards', () => {
    const jobs = [
      { work: 300 * RESNET50_32, seconds: 2.0 },
      { work: 1000 * RESNET50_32, seconds: 1.2 },
      { work: 3000 * RESNET50_32, seconds: 1.1 },
    ]
    // The usual 0.6 s, capped at half of the shortest job (1.1 s).
    expect(throughputOf(jobs)!.overheadSeconds).toBe(0.55)
  })

  it('has nothing to say without timed jobs', () => {
    expect(throughputOf([])).toBeNull()
  })
})
