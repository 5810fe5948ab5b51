import { CATEGORY_LABELS, type ElementType, paletteFor } from '../../shared/index.js'
import { EXIT, type Io } from './main.js'

/** `signflow catalog [--element-type T] [--json]` */
export function runCatalog(options: { elementType: ElementType; json?: boolean }, io: Io): number {
  const palette = paletteFor(options.elementType)
  if (options.json) {
    io.out(`${JSON.stringify(palette, null, 2)}\n`)
    return EXIT.ok
  }
  for (const group of palette) {
    io.out(`${CATEGORY_LABELS[group.category]}\n`)
    for (const item of group.items) {
      const tags = [item.kind, item.tier === 'later' ? 'later' : '', item.disabledReason ? 'not here' : '']
        .filter(Boolean)
        .join(', ')
      io.out(`  ${item.type.padEnd(24)} ${item.label} (${tags}): ${item.description}\n`)
    }
  }
  return EXIT.ok
}
