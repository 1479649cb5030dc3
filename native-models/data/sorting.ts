// Python sorts str by code point; JavaScript's default sort compares UTF-16 units, which puts
// U+E000..U+FFFF after astral characters. torchvision's class and file order is Python's.

function sortKey(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit
}

/** Orders strings as Python's sorted() does. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i += 1) {
    const left = a.charCodeAt(i)
    const right = b.charCodeAt(i)
    if (left !== right) return sortKey(left) - sortKey(right)
  }
  return a.length - b.length
}
