// Draws the extension's icon, media/icon.png (128×128 RGBA), with no
// dependencies: shapes sampled 4×4 per pixel, PNG bytes written with zlib.
// The picture repeats the gutter's language: the AI completion's diamond,
// reviewed (a tick in a green disc), on the purple of the AI marks.
// Run: node scripts/icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4;

const inRoundedSquare = (x, y, r = 22) => {
  const cx = Math.min(Math.max(x, r), SIZE - r);
  const cy = Math.min(Math.max(y, r), SIZE - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const inDiamond = (x, y, cx, cy, r) => Math.abs(x - cx) + Math.abs(y - cy) <= r;
const inDisc = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
/** Distance from (x, y) to the segment (ax, ay)–(bx, by). */
function segDist(x, y, ax, ay, bx, by) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}
const inTick = (x, y) => segDist(x, y, 78, 98, 88, 107) <= 4 || segDist(x, y, 88, 107, 106, 84) <= 4;

/** The colour at a sample point, [r, g, b, a], later shapes on top. */
function sample(x, y) {
  if (!inRoundedSquare(x, y)) return [0, 0, 0, 0];
  let c = [0x3b + Math.round((y / SIZE) * 0x20), 0x1f, 0x6b + Math.round((y / SIZE) * 0x30), 255];
  if (inDiamond(x, y, 54, 54, 34)) c = [0xe9, 0xd5, 0xff, 255];
  if (inDiamond(x, y, 54, 54, 16)) c = [0x8a, 0x2b, 0xd6, 255];
  if (inDisc(x, y, 92, 94, 26)) c = [0x2e, 0x2e, 0x3a, 255];
  if (inDisc(x, y, 92, 94, 22)) c = [0x38, 0x8a, 0x34, 255];
  if (inTick(x, y)) c = [255, 255, 255, 255];
  return c;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        // Premultiplied, so transparent samples do not darken the edges.
        for (let k = 0; k < 3; k++) acc[k] += (c[k] * c[3]) / 255;
        acc[3] += c[3];
      }
    }
    const n = SS * SS;
    const a = acc[3] / n;
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    for (let k = 0; k < 3; k++) raw[o + k] = a ? Math.round(((acc[k] / n) * 255) / a) : 0;
    raw[o + 3] = Math.round(a);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('../media/icon.png', import.meta.url), png);
console.log(`media/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
