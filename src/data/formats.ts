// Which image format a file holds, told by its first bytes (names lie: a .png may be a JPEG, a .txt may be anything),
// and its pixel size from the header alone, so a decompression bomb is refused before it is decoded.
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';

export const IMAGE_EXTENSIONS = /\.(png|jpe?g|jfif|gif|bmp|dib|webp)$/i;

export function sniffFormat(b: Uint8Array): ImageFormat | undefined {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && ascii(b, 0, 4) === 'GIF8' && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'gif';
  if (b.length >= 14 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  return undefined;
}

const ascii = (b: Uint8Array, at: number, n: number): string => String.fromCharCode(...b.subarray(at, at + n));
const be16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const be32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const le16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const le24 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const le32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/** Width and height from the header, or undefined when the header is cut short or malformed. */
export function headerSize(b: Uint8Array, format: ImageFormat): { width: number; height: number } | undefined {
  const ok = (width: number, height: number) => (width > 0 && height > 0 ? { width, height } : undefined);
  switch (format) {
    case 'png':
      return b.length >= 24 && ascii(b, 12, 4) === 'IHDR' ? ok(be32(b, 16), be32(b, 20)) : undefined;
    case 'gif':
      return b.length >= 10 ? ok(le16(b, 6), le16(b, 8)) : undefined;
    case 'bmp': {
      if (b.length < 26) return undefined;
      if (le32(b, 14) === 12) return ok(le16(b, 18), le16(b, 20));
      const h = le32(b, 22) | 0; // negative height: rows stored top-down
      return ok(le32(b, 18) | 0, Math.abs(h));
    }
    case 'webp': {
      if (b.length < 30) return undefined;
      const chunk = ascii(b, 12, 4);
      if (chunk === 'VP8 ') return b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a ? ok(le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff) : undefined;
      if (chunk === 'VP8L') {
        if (b[20] !== 0x2f) return undefined;
        const bits = le32(b, 21);
        return ok((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
      }
      if (chunk === 'VP8X') return ok(le24(b, 24) + 1, le24(b, 27) + 1);
      return undefined;
    }
    case 'jpeg': {
      let i = 2;
      while (i + 9 < b.length) {
        if (b[i] !== 0xff) return undefined;
        const marker = b[i + 1];
        if (marker === 0xff) {
          i++; // fill byte
          continue;
        }
        // SOF0…SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return ok(be16(b, i + 7), be16(b, i + 5));
        if (marker === 0xd9 || marker === 0xda) return undefined;
        i += 2 + be16(b, i + 2);
      }
      return undefined;
    }
  }
}
