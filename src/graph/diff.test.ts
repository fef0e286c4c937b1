import { describe, expect, it } from 'vitest';
import presetJson from '../../presets/mnist-gan.json';
import { cloneDocument, decodeDocument, type GraphDocument } from './document';
import { describeDiff, diffDocuments } from './diff';

const preset = (): GraphDocument => {
  const r = decodeDocument(presetJson);
  if (!r.ok) throw new Error('preset invalid');
  return r.doc;
};

/** Inserts a node of `type` on the edge leaving `after` (the editor's "insert on a connection"). */
function insertAfter(doc: GraphDocument, after: string, id: string, type: string, params: Record<string, number | string | boolean>) {
  const out = doc.edges.find((e) => e.from.node === after)!;
  doc.nodes.push({ id, type, params, position: { x: 0, y: 0 } });
  doc.edges.push({ id: `${id}-in`, from: { node: after, socket: 'out' }, to: { node: id, socket: 'in' } });
  out.from = { node: id, socket: 'out' };
}

describe('graph diff', () => {
  it('finds nothing between a document and its copy, whatever the positions, name and notes', () => {
    const a = preset();
    const b = cloneDocument(a);
    b.name = 'Another name';
    b.notes = 'moved things around';
    for (const n of b.nodes) n.position = { x: n.position.x + 50, y: n.position.y - 20 };
    b.edges.reverse();
    b.edges.forEach((e, i) => (e.id = `x${i}`));
    expect(diffDocuments(a, b)).toEqual([]);
    expect(describeDiff(a, b, 'en')).toEqual([]);
  });

  it('says a changed parameter in words, in English and Korean', () => {
    const a = preset();
    const b = cloneDocument(a);
    b.nodes.find((n) => n.id === 'g_dense1')!.params.units = 256;
    expect(diffDocuments(a, b)).toEqual([{ kind: 'param', node: 'g_dense1', type: 'Dense', param: 'units', from: 128, to: 256 }]);
    expect(describeDiff(a, b, 'en')).toEqual(['g_dense1: units 128 → 256']);
    expect(describeDiff(a, b, 'ko')).toEqual(['g_dense1: 유닛 수 128 → 256']);
  });

  it('names an inserted node by its type and the node it follows, and a removed one likewise', () => {
    const a = preset();
    const b = cloneDocument(a);
    insertAfter(b, 'g_dense1', 'g_bn1', 'BatchNormalization', { momentum: 0.99, epsilon: 0.001 });
    const lines = describeDiff(a, b, 'en');
    expect(lines).toEqual(['added BatchNormalization after g_dense1 (g_bn1)']);
    // The rewired edge g_dense1 → g_lrelu is part of the insertion, not a separate change.
    expect(diffDocuments(a, b).map((c) => c.kind)).toEqual(['added']);
    expect(describeDiff(b, a, 'en')).toEqual(['removed BatchNormalization after g_dense1 (g_bn1)']);
    expect(describeDiff(a, b, 'ko')).toEqual(['g_dense1 뒤에 BatchNormalization (배치 정규화) 추가 (g_bn1)']);
  });

  it('says training settings, booleans, enums and shapes as a person reads them', () => {
    const a = preset();
    const b = cloneDocument(a);
    b.training.batchSize = 64;
    b.training.seed = 7;
    const dense2 = b.nodes.find((n) => n.id === 'g_dense2')!;
    dense2.params.useBias = false;
    dense2.params.activation = 'sigmoid';
    b.nodes.find((n) => n.id === 'g_reshape')!.params.targetShape = [7, 7, 16];
    expect(describeDiff(a, b, 'en')).toEqual([
      'g_dense2: activation tanh → sigmoid',
      'g_dense2: bias on → off',
      'g_reshape: target shape 28×28×1 → 7×7×16',
      'training: batch size 128 → 64',
      'training: seed 42 → 7',
    ]);
    expect(describeDiff(a, b, 'ko')).toContain('학습: 배치 크기 128 → 64');
  });

  it('tells rewiring between kept nodes apart from connecting and disconnecting', () => {
    const a = preset();
    const b = cloneDocument(a);
    // G's second Dense now reads the first Dense directly (skipping LeakyReLU), and D loses its loss edge.
    b.edges.find((e) => e.to.node === 'g_dense2')!.from = { node: 'g_dense1', socket: 'out' };
    b.edges = b.edges.filter((e) => e.to.node !== 'd_loss');
    expect(describeDiff(a, b, 'en')).toEqual(['g_dense2.in: input from g_lrelu → g_dense1', 'disconnected d_dense2.out → d_loss.pred']);
    expect(describeDiff(b, a, 'en')).toEqual(['g_dense2.in: input from g_dense1 → g_lrelu', 'connected d_dense2.out → d_loss.pred']);
  });

  it('reports a node whose type changed under the same id once, not as rewiring', () => {
    const a = preset();
    const b = cloneDocument(a);
    const n = b.nodes.find((x) => x.id === 'g_lrelu')!;
    n.type = 'ReLU';
    n.params = {};
    expect(describeDiff(a, b, 'en')).toEqual(['g_lrelu: LeakyReLU → ReLU']);
  });
});
