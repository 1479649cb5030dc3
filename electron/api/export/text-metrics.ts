// Advance widths (1/1000 em) of DejaVu Sans and DejaVu Sans Bold, read from the fonts' hmtx tables,
// for the characters below; anything else counts as 1 em.
const CHARACTERS =
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~±·−Δ—–…→≈×°µ'

const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
  636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
  575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
  611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
  278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
  838, 318, 838, 684, 1000, 500, 1000, 838, 838, 838, 500, 636,
]

const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
  696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
  683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
  724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
  343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
  838, 380, 838, 774, 1000, 500, 1000, 838, 838, 838, 500, 736,
]

const INDEX = new Map([...CHARACTERS].map((ch, i) => [ch, i]))

/**
 * Text width as librsvg will draw it in DejaVu Sans: ECharts lays out labels, legends and
 * margins by measured text, and without a canvas (server-side) its built-in guess is Arial's.
 */
export function measureDejaVuText(text: string, font: string | undefined): { width: number } {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12)
  const isBold = /\bbold\b|\b[6-9]00\b/.test(font ?? '')
  const table = isBold ? BOLD : REGULAR
  let units = 0
  for (const ch of text) {
    const i = INDEX.get(ch)
    units += i === undefined ? 1000 : table[i]
  }
  return { width: (units / 1000) * size }
}
