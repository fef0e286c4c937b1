// The generator and discriminator frames drawn behind their nodes, as geometry: where each frame is, and moving
// nodes after an automatic layout so that no frame overlaps the other frame or a node that is not its member.
import type { Point } from '../../graph/document';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}
export type Net = 'generator' | 'discriminator';

/** Space between a frame and its nodes, and the strip above them that holds the frame's label. */
export const FRAME_PAD = 24;
export const FRAME_LABEL = 30;
const GAP = 40;

/** Frames hold a network's inputs and layers; losses and the combiner sit between or outside them. */
const isMember = (net: Net, id: string, groups: Record<string, string>, category: (id: string) => string | undefined) =>
  groups[id] === net && category(id) !== 'loss' && category(id) !== 'combiner';

export function frameRects(boxes: Record<string, Rect>, groups: Record<string, string>, category: (id: string) => string | undefined): Partial<Record<Net, Rect>> {
  const out: Partial<Record<Net, Rect>> = {};
  for (const net of ['generator', 'discriminator'] as const) {
    const members = Object.entries(boxes).filter(([id]) => isMember(net, id, groups, category));
    if (members.length === 0) continue;
    const x0 = Math.min(...members.map(([, b]) => b.x));
    const y0 = Math.min(...members.map(([, b]) => b.y));
    const x1 = Math.max(...members.map(([, b]) => b.x + b.w));
    const y1 = Math.max(...members.map(([, b]) => b.y + b.h));
    out[net] = { x: x0 - FRAME_PAD, y: y0 - FRAME_PAD - FRAME_LABEL, w: x1 - x0 + 2 * FRAME_PAD, h: y1 - y0 + 2 * FRAME_PAD + FRAME_LABEL };
  }
  return out;
}

export const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * New positions (only for nodes that move) so that the two frames do not overlap — the lower frame's members move
 * down below the upper one — and no node outside a frame sits inside it: such a node moves right, past the frame.
 */
export function separateFrames(boxes: Record<string, Rect>, groups: Record<string, string>, category: (id: string) => string | undefined): Record<string, Point> {
  const pos: Record<string, Rect> = Object.fromEntries(Object.entries(boxes).map(([id, b]) => [id, { ...b }]));
  let frames = frameRects(pos, groups, category);
  const { generator: g, discriminator: d } = frames;
  if (g && d && overlaps(g, d)) {
    const lower: Net = d.y + d.h / 2 >= g.y + g.h / 2 ? 'discriminator' : 'generator';
    const upper = lower === 'discriminator' ? g : d;
    const low = lower === 'discriminator' ? d : g;
    const dy = upper.y + upper.h + GAP - low.y;
    for (const [id, b] of Object.entries(pos)) if (isMember(lower, id, groups, category)) b.y += dy;
    frames = frameRects(pos, groups, category);
  }
  for (const net of ['generator', 'discriminator'] as const) {
    const f = frames[net];
    if (!f) continue;
    for (const [id, b] of Object.entries(pos)) {
      if (isMember(net, id, groups, category) || !overlaps(f, b)) continue;
      if (isMember(net === 'generator' ? 'discriminator' : 'generator', id, groups, category)) continue;
      b.x = f.x + f.w + GAP;
    }
  }
  const moved: Record<string, Point> = {};
  for (const [id, b] of Object.entries(pos)) if (b.x !== boxes[id].x || b.y !== boxes[id].y) moved[id] = { x: b.x, y: b.y };
  return moved;
}
