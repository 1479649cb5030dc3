// ImageNet-C (and Tiny-ImageNet-C) as released: `<corruption>/<severity>/<class>/<image>`, each
// severity folder an ImageFolder of the clean validation images under that corruption.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { CORRUPTION_NAMES } from '../../electron/api/contract/index.ts'
import type { CorruptionName, PrecomputedSet } from '../../electron/api/contract/index.ts'
import { DatasetError } from './errors.ts'
import { classFolderSet } from './folder-reader.ts'
import { scanClassFolders } from './image-folder.ts'
import { isCorruptionName, unknownWarning } from './precomputed-names.ts'
import { compareCodePoints } from './sorting.ts'
import type { SourceSet } from './source-set.ts'

type Severity = 1 | 2 | 3 | 4 | 5
const SEVERITY_NAMES = ['1', '2', '3', '4', '5']
/** How the release's tar files group the corruptions; extracting them keeps this level. */
const FAMILY_FOLDERS = ['noise', 'blur', 'weather', 'digital', 'extra']

async function subFolders(folder: string): Promise<string[]> {
  const listed = await readdir(folder, { withFileTypes: true })
  const flags = await Promise.all(
    listed.map(async (entry) =>
      entry.isSymbolicLink()
        ? (await stat(join(folder, entry.name)).catch(() => null))?.isDirectory() === true
        : entry.isDirectory(),
    ),
  )
  return listed
    .filter((entry, i) => flags[i] && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort(compareCodePoints)
}

async function severitiesOf(root: string, name: CorruptionName): Promise<Severity[]> {
  const folders = await subFolders(join(root, name))
  const severities = SEVERITY_NAMES.filter((s) => folders.includes(s)).map(Number) as Severity[]
  if (severities.length === 0) {
    throw new DatasetError(
      'DATASET_MALFORMED',
      `'${join(root, name)}' holds no severity folder '1' … '5': ImageNet-C keeps each severity's images in '${name}/<severity>/<class>/<image>'; move the class folders into a severity folder.`,
    )
  }
  return severities
}

/** A root that holds the release's family folders ('noise/gaussian_noise/…') one level too high. */
async function familyLevelError(root: string, unknown: readonly string[]): Promise<DatasetError> {
  for (const family of unknown.filter((name) => FAMILY_FOLDERS.includes(name))) {
    const inner = (await subFolders(join(root, family))).filter(isCorruptionName)
    if (inner.length > 0)
      return new DatasetError(
        'DATASET_MALFORMED',
        `'${root}' holds the corruption folders one level down ('${join(root, family, inner[0])}'): move the corruption folders of every family folder into one folder and choose that one.`,
      )
  }
  return new DatasetError(
    'DATASET_EMPTY',
    `'${root}' holds no ImageNet-C corruption folder ('fog/3/<class>/<image>', …) nor CIFAR-10-C arrays ('fog.npy' + 'labels.npy'): choose the folder that holds them.`,
  )
}

/** The corruptions and severities of an ImageNet-C folder (folder names only: nothing is read). */
export async function listImageNetC(
  root: string,
): Promise<Omit<PrecomputedSet, 'path' | 'layout'>> {
  const folders = await subFolders(root)
  const unknown = folders.filter((name) => !isCorruptionName(name))
  const names = CORRUPTION_NAMES.filter((name) => folders.includes(name))
  if (names.length === 0) throw await familyLevelError(root, unknown)
  const corruptions = await Promise.all(
    names.map(async (name) => ({ name, severities: await severitiesOf(root, name) })),
  )
  const incomplete = corruptions.filter((c) => c.severities.length < 5)
  const warnings = [
    ...unknownWarning(root, unknown, 'folders'),
    ...incomplete.map(
      (c) =>
        `'${join(root, c.name)}' lacks severity folder(s) ${[1, 2, 3, 4, 5].filter((s) => !c.severities.includes(s as Severity)).join(', ')}: those cells cannot be swept.`,
    ),
  ]
  return { corruptions, unknown, imagesPerCell: null, warnings }
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() === true
}

/** The folder of one (corruption, severity) cell, refused with the fix when it is missing. */
export async function imageNetCSliceFolder(
  root: string,
  corruption: CorruptionName,
  severity: number,
): Promise<string> {
  const corruptionFolder = join(root, corruption)
  if (!(await isFolder(corruptionFolder))) {
    const folders = await subFolders(root)
    const present = CORRUPTION_NAMES.filter((name) => folders.includes(name))
    throw new DatasetError(
      'NOT_FOUND',
      `'${corruptionFolder}' is missing: '${root}' holds ${present.map((n) => `'${n}'`).join(', ') || 'no corruption folder'}; choose one of those corruptions.`,
    )
  }
  const folder = join(corruptionFolder, String(severity))
  if (!(await isFolder(folder))) {
    throw new DatasetError(
      'NOT_FOUND',
      `The severity folder '${folder}' is missing: ImageNet-C keeps each severity in '${corruption}/1' … '${corruption}/5'; extract ${corruption}'s severity ${severity} again, or leave severity ${severity} out.`,
    )
  }
  return folder
}

/** One (corruption, severity) slice of an ImageNet-C folder: an ImageFolder of class folders. */
export async function readImageNetCSlice(
  root: string,
  corruption: CorruptionName,
  severity: number,
): Promise<SourceSet> {
  const folder = await imageNetCSliceFolder(root, corruption, severity)
  const scan = await scanClassFolders(folder, folder)
  if (scan.items.length === 0) {
    throw new DatasetError(
      'DATASET_EMPTY',
      `'${folder}' holds no image in class folders: ImageNet-C keeps '${corruption}/${severity}/<class>/<image>'.`,
    )
  }
  return classFolderSet(folder, null, scan)
}
