// The one list of node types: the palette, the engine, the exporters and the tests all read it. The types come from
// all.ts (one line per node file); here they are ordered for the palette: inputs, layers, the combiner, losses, each
// group alphabetical by type.
import type { NodeCategory, NodeDef } from './types';
import * as all from './all';

const CATEGORY_ORDER: readonly NodeCategory[] = ['input', 'layer', 'combiner', 'loss'];

export const NODE_TYPES: readonly NodeDef[] = Object.values(all as Record<string, NodeDef>).sort(
  (a, b) => CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
);

const byType = new Map(NODE_TYPES.map((d) => [d.type, d]));

export function nodeDef(type: string): NodeDef | undefined {
  return byType.get(type);
}

export type { NodeDef } from './types';
