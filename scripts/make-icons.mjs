// Draws the app and tray icons (a blue tile with a white server glyph) as PNGs with no dependencies,
// so build/ resources are reproducible: `node scripts/make-icons.mjs`.
import fs from 'node:fs';
import zlib from 'node:zlib';

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size) {
  const rows = [];
  const r = size * 0.18;
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      const dx = Math.max(r - x, 0, x - (size - 1 - r)), dy = Math.max(r - y, 0, y - (size - 1 - r));
      const inside = dx * dx + dy * dy <= r * r;
      const u = x / size, v = y / size;
      const bar = u > 0.25 && u < 0.75 && [[0.22, 0.38], [0.44, 0.6], [0.66, 0.82]].some(([a, b]) => v > a && v < b);
      const led = bar && u > 0.62 && u < 0.68;
      const [R, G, B] = led ? [0x6c, 0xcb, 0x5f] : bar ? [255, 255, 255] : [0x0f, 0x6c, 0xbd];
      row.push(R, G, B, inside ? 255 : 0);
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}
fs.mkdirSync('build/icons', { recursive: true });
fs.writeFileSync('build/icons/icon.png', png(512));
fs.writeFileSync('build/icons/tray.png', png(32));
