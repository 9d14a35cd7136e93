import { inflateSync } from 'node:zlib';

/** How varied a PNG's pixels are: a blank page has one colour and zero spread. */
export interface PngStats {
  readonly width: number;
  readonly height: number;
  /** Distinct colours among the sampled pixels (capped at 4096). */
  readonly colours: number;
  /** Standard deviation of the luminance (0..255). */
  readonly lumaStdDev: number;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium's screenshots are) and measures it. */
export function pngStats(png: Uint8Array): PngStats {
  const buf = Buffer.from(png);
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('pngStats: only 8-bit non-interlaced PNGs');
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      if (channels === 0) throw new Error(`pngStats: colour type ${data[9]} not supported`);
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      const v = raw[src + x]!;
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : paeth(a, b, c);
      out[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const colours = new Set<number>();
  let sum = 0;
  let sum2 = 0;
  let n = 0;
  for (let i = 0; i < width * height; i += 7) {
    const p = i * channels;
    const r = out[p]!;
    const g = out[p + 1]!;
    const bl = out[p + 2]!;
    if (colours.size < 4096) colours.add((r << 16) | (g << 8) | bl);
    const l = 0.299 * r + 0.587 * g + 0.114 * bl;
    sum += l;
    sum2 += l * l;
    n++;
  }
  const mean = sum / n;
  return { width, height, colours: colours.size, lumaStdDev: Math.sqrt(Math.max(0, sum2 / n - mean * mean)) };
}
