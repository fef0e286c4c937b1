// Draws images as a √n × √n grid on a canvas: grayscale (channels 1) or RGB (channels 3, interleaved per pixel).
// `scale` maps a stored value to 0…1: 1 for the worker's float samples, 1/255 for prepared uint8 pixels.

export interface GridImages {
  pixels: ArrayLike<number>;
  count: number;
  width: number;
  height: number;
  channels?: number;
}

export function drawGrid(c: HTMLCanvasElement, g: GridImages, scale = 1, cols = Math.ceil(Math.sqrt(g.count))): void {
  const ctx = c.getContext('2d');
  if (!ctx) return;
  const ch = g.channels === 3 ? 3 : 1;
  const rows = Math.max(1, Math.ceil(g.count / cols));
  c.width = Math.max(1, cols * g.width);
  c.height = Math.max(1, rows * g.height);
  const img = ctx.createImageData(c.width, c.height);
  const per = g.width * g.height * ch;
  const byte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v * scale)));
  for (let k = 0; k < g.count; k++) {
    const ox = (k % cols) * g.width;
    const oy = Math.floor(k / cols) * g.height;
    for (let y = 0; y < g.height; y++) {
      for (let x = 0; x < g.width; x++) {
        const i = k * per + (y * g.width + x) * ch;
        const o = 4 * ((oy + y) * c.width + ox + x);
        if (ch === 3) {
          img.data[o] = byte(g.pixels[i]);
          img.data[o + 1] = byte(g.pixels[i + 1]);
          img.data[o + 2] = byte(g.pixels[i + 2]);
        } else img.data[o] = img.data[o + 1] = img.data[o + 2] = byte(g.pixels[i]);
        img.data[o + 3] = 255;
      }
    }
  }
  ctx.putImageData(img, 0, 0);
}
