// Real PNG files for upload tests, drawn in code: signature, IHDR, one zlib-compressed IDAT, IEND
// (https://www.w3.org/TR/png/#5DataRep). A browser decodes them, so a test can check an image really rendered.
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** An 8-bit RGB image whose pixel at (x, y) is `color(x, y)`. */
export function pngImage(
  width: number,
  height: number,
  color: (x: number, y: number) => [number, number, number],
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, no filter method, no interlace
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3); // each row starts with filter type 0 (none)
    for (let x = 0; x < width; x++) rows.set(color(x, y), row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A soft sunset gradient with a sun: something that looks like a photo in a screenshot. */
export function samplePhoto(width = 480, height = 320): Buffer {
  const sun = { x: width * 0.68, y: height * 0.58, r: height * 0.16 };
  return pngImage(width, height, (x, y) => {
    const t = y / height;
    if (y > height * 0.72) return [30 + 20 * t, 60 + 30 * t, 90 + 40 * t];
    if ((x - sun.x) ** 2 + (y - sun.y) ** 2 < sun.r ** 2) return [255, 214, 120];
    return [Math.round(250 - 60 * t), Math.round(170 - 90 * t), Math.round(120 + 60 * t)];
  });
}
