// A 5×7 bitmap font for the runner's grid captions ("Digit: 7"): the PNG writer has no text. Digits, the letters of
// "Digit" and a few marks; an unknown character draws as a hollow box so nothing is silently dropped. Node and
// browser alike (pure data), used by the runner only.
const GLYPHS: Record<string, string[]> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11111', '00010', '00100', '00010', '00001', '10001', '01110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  D: ['11100', '10010', '10001', '10001', '10001', '10010', '11100'],
  i: ['00100', '00000', '01100', '00100', '00100', '00100', '01110'],
  g: ['00000', '01111', '10001', '10001', '01111', '00001', '01110'],
  t: ['01000', '01000', '11100', '01000', '01000', '01001', '00110'],
  ':': ['00000', '01100', '01100', '00000', '01100', '01100', '00000'],
  ' ': ['00000', '00000', '00000', '00000', '00000', '00000', '00000'],
  '-': ['00000', '00000', '00000', '11111', '00000', '00000', '00000'],
};
const UNKNOWN = ['11111', '10001', '10001', '10001', '10001', '10001', '11111'];

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Blank columns between characters. */
export const GLYPH_GAP = 1;

/** Width in font pixels of `text`. */
export const textWidth = (text: string): number => (text.length === 0 ? 0 : text.length * (GLYPH_WIDTH + GLYPH_GAP) - GLYPH_GAP);

/** Calls `dot(x, y)` for every lit font pixel of `text`, from its top-left corner. */
export function drawText(text: string, dot: (x: number, y: number) => void): void {
  [...text].forEach((ch, k) => {
    const rows = GLYPHS[ch] ?? UNKNOWN;
    for (let y = 0; y < GLYPH_HEIGHT; y++) for (let x = 0; x < GLYPH_WIDTH; x++) if (rows[y][x] === '1') dot(k * (GLYPH_WIDTH + GLYPH_GAP) + x, y);
  });
}
