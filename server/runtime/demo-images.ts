/**
 * The demo company's stamp and signature, drawn in code so the repository holds no binary files:
 * a red round stamp with a star and a blue handwritten-looking stroke, as RGBA PNGs with a
 * transparent background, anti-aliased. Also a minimal PNG encoder (8-bit RGBA, no filter) that
 * tests use to make real images.
 */
import { deflateSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'latin1')
  out.set(data, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/** A PNG of `width` × `height` pixels from RGBA bytes, row by row (`rgba.length` = width × height × 4). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new RangeError('encodePng: rgba must hold width × height × 4 bytes')
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8 bits per channel, RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0 // filter: none
    rows.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array(0)),
  ])
}

type Color = readonly [number, number, number]

/** A canvas of `coverage(x, y)` in 0…1, sampled 4 × 4 per pixel, painted in one colour. */
function paint(width: number, height: number, color: Color, coverage: (x: number, y: number) => number): Buffer {
  const rgba = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) sum += coverage(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)
      }
      const i = (y * width + x) * 4
      rgba.set(color, i)
      rgba[i + 3] = Math.round(Math.min(1, sum / 16) * 255)
    }
  }
  return encodePng(width, height, rgba)
}

/** A red round stamp, 150 × 150: two rings, a ring of dots and a five-pointed star. */
export function demoStampPng(): Buffer {
  const size = 150
  const c = size / 2
  return paint(size, size, [200, 30, 40], (x, y) => {
    const dx = x - c
    const dy = y - c
    const r = Math.hypot(dx, dy)
    if ((r >= 66 && r <= 72) || (r >= 50 && r <= 53)) return 1
    // 24 dots between the rings
    if (r > 55 && r < 64) {
      const angle = Math.atan2(dy, dx)
      const nearest = Math.round((angle / (2 * Math.PI)) * 24) * ((2 * Math.PI) / 24)
      if (Math.hypot(dx - 59.5 * Math.cos(nearest), dy - 59.5 * Math.sin(nearest)) < 2.6) return 1
    }
    // a star of radius 34: inside when the point is within the star's polygon (polar test)
    const a = Math.atan2(dy, dx) + Math.PI / 2
    const sector = (2 * Math.PI) / 5
    const t = Math.abs((((a % sector) + sector) % sector) / sector - 0.5) * 2 // 1 at a point, 0 between
    const outer = 34
    const inner = 14
    return r <= inner + (outer - inner) * t ** 1.6 ? 1 : 0
  })
}

/** A blue signature stroke, 200 × 100: loops drawn as a thick line along a sum of sines. */
export function demoSignaturePng(): Buffer {
  const width = 200
  const height = 100
  const points: Array<[number, number]> = []
  for (let i = 0; i <= 900; i++) {
    const t = i / 900
    // forward with small backward loops (cursive letters), rising and falling, slanted
    const loop = Math.sin(t * Math.PI * 16)
    const y =
      52 - 20 * Math.cos(t * Math.PI * 16) * (0.6 + 0.4 * Math.sin(t * Math.PI * 3)) - 8 * Math.sin(t * Math.PI * 2)
    const x = 16 + t * 160 + 9 * loop + (52 - y) * 0.35
    points.push([x, y])
  }
  // a flourish under it
  for (let i = 0; i <= 200; i++) {
    const t = i / 200
    points.push([22 + t * 160, 86 - 7 * Math.sin(t * Math.PI) + 4 * t])
  }
  // Rasterized once onto the 4 × 4 sample grid `paint` reads: each point of the line marks the samples near it.
  const scale = 4
  const mask = new Uint8Array(width * scale * height * scale)
  const reach = 1.7 * scale
  for (const [px, py] of points) {
    const [cx, cy] = [px * scale, py * scale]
    for (let sy = Math.max(0, Math.floor(cy - reach)); sy <= Math.min(height * scale - 1, cy + reach); sy++) {
      for (let sx = Math.max(0, Math.floor(cx - reach)); sx <= Math.min(width * scale - 1, cx + reach); sx++) {
        if (Math.hypot(sx + 0.5 - cx, sy + 0.5 - cy) <= reach) mask[sy * width * scale + sx] = 1
      }
    }
  }
  return paint(
    width,
    height,
    [25, 55, 170],
    (x, y) => mask[Math.floor(y * scale) * width * scale + Math.floor(x * scale)] ?? 0,
  )
}
