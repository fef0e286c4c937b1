// What the walkthrough lights up on the canvas: node and edge ids with the role each plays in the shown stage.
// GanNode.svelte and ShapeConnection.svelte read the store and add a CSS class; null means no highlighting.
import { writable } from 'svelte/store';
import type { GanStructure } from '../../graph/analyze';
import type { GraphDocument } from '../../graph/document';
import type { WalkStageId } from '../../train/walkthrough';

/** updated: weights change in this stage; frozen: used (gradients may pass) but not changed; read: data flows. */
export type Role = 'updated' | 'frozen' | 'read';

export interface Highlight {
  nodes: Record<string, Role>;
  edges: Record<string, Role>;
}

export const highlight = writable<Highlight | null>(null);

/** The nodes and connections stage `id` touches, from the analysed GAN structure of `doc`. */
export function stageHighlight(id: WalkStageId | 'intro', doc: GraphDocument, gan: GanStructure): Highlight | null {
  const nodes: Record<string, Role> = {};
  const g = [...gan.generatorInputs, ...gan.generator];
  const d = [gan.image, ...gan.discriminator];
  const mark = (ids: string[], role: Role) => ids.forEach((x) => (nodes[x] = role));
  switch (id) {
    case 'real':
      mark([gan.image], 'read');
      break;
    case 'generate':
      mark(g, 'read');
      break;
    case 'dReal':
      mark(g, 'frozen');
      mark(d, 'updated');
      mark([gan.image, gan.dLoss], 'read');
      break;
    case 'dFake':
      mark(g, 'frozen');
      // The fakes of stage 2 enter D where the real images did; the image input itself is not read.
      mark(gan.discriminator, 'updated');
      mark([gan.dLoss], 'read');
      break;
    case 'gStep':
      mark(g, 'updated');
      mark(gan.generatorInputs, 'read');
      mark([gan.combiner, ...d], 'frozen');
      mark([gan.gLoss], 'read');
      break;
    default:
      return null;
  }
  // A connection takes the role of the computation it feeds: an edge into an updated layer carries the gradient
  // that updates it; into a frozen one, a tensor that passes through unchanged weights.
  const edges: Record<string, Role> = {};
  const rank: Record<Role, number> = { read: 0, frozen: 1, updated: 2 };
  for (const e of doc.edges) {
    const a = nodes[e.from.node];
    const b = nodes[e.to.node];
    if (!a || !b) continue;
    edges[e.id] = rank[a] >= rank[b] ? a : b;
  }
  // In the G step the gradient of G's loss flows through frozen D into G: G's output edge carries it.
  if (id === 'gStep') for (const e of doc.edges) if (e.from.node === gan.generatorOutput && e.to.node === gan.combiner) edges[e.id] = 'updated';
  return { nodes, edges };
}
