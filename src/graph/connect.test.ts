import { describe, expect, it } from 'vitest';
import preset from '../../presets/mnist-gan.json';
import { analyzeGraph } from './analyze';
import { checkConnection, displayTotals } from './connect';
import { decodeDocument, defaultParams, emptyDocument, type GraphDocument } from './document';

const mnist = (): GraphDocument => {
  const r = decodeDocument(preset);
  if (!r.ok) throw new Error('bad preset');
  return r.doc;
};
const add = (doc: GraphDocument, id: string, type: string, params: Record<string, unknown> = {}) => {
  doc.nodes.push({ id, type, params: { ...defaultParams(type), ...params } as GraphDocument['nodes'][number]['params'], position: { x: 0, y: 0 } });
};

describe('checkConnection', () => {
  it('accepts a valid edge', () => {
    const doc = mnist();
    doc.edges = doc.edges.filter((e) => e.id !== 'e2');
    expect(checkConnection(doc, { node: 'g_dense1', socket: 'out' }, { node: 'g_lrelu', socket: 'in' })).toBeNull();
  });
  it('refuses a self-loop, output→output and a second edge into an input', () => {
    const doc = mnist();
    expect(checkConnection(doc, { node: 'g_dense1', socket: 'out' }, { node: 'g_dense1', socket: 'in' })?.code).toBe('connect.sameNode');
    expect(checkConnection(doc, { node: 'g_dense1', socket: 'out' }, { node: 'g_lrelu', socket: 'out' })?.code).toBe('graph.noSuchInput');
    expect(checkConnection(doc, { node: 'g_z', socket: 'out' }, { node: 'd_dense1', socket: 'in' })?.code).toBe('graph.extraConnection');
  });
  it('refuses impossible shapes and cycles', () => {
    const doc = mnist();
    add(doc, 'r', 'Reshape', { targetShape: [10, 10] });
    expect(checkConnection(doc, { node: 'g_dense2', socket: 'out' }, { node: 'r', socket: 'in' })?.code).toBe('shape.reshapeCount');
    add(doc, 'l', 'BCELoss');
    expect(checkConnection(doc, { node: 'd_flatten', socket: 'out' }, { node: 'l', socket: 'pred' })?.code).toBe('shape.lossNeedsProbability');
    const loop = emptyDocument();
    add(loop, 'a', 'Dense');
    add(loop, 'b', 'Dense');
    loop.edges.push({ id: 'e1', from: { node: 'a', socket: 'out' }, to: { node: 'b', socket: 'in' } });
    expect(checkConnection(loop, { node: 'b', socket: 'out' }, { node: 'a', socket: 'in' })?.code).toBe('connect.wouldCycle');
  });
});

describe('displayTotals', () => {
  it('matches the preset totals', () => {
    const doc = mnist();
    expect(displayTotals(doc, analyzeGraph(doc))).toEqual({ generator: 114_064, discriminator: 100_609 });
  });
  it('counts a generator that is not joined to a combiner yet', () => {
    const doc = mnist();
    doc.nodes = doc.nodes.filter((n) => n.id.startsWith('g_') && n.id !== 'g_loss');
    doc.edges = doc.edges.filter((e) => doc.nodes.some((n) => n.id === e.from.node) && doc.nodes.some((n) => n.id === e.to.node));
    const a = analyzeGraph(doc);
    expect(a.totals.generator).toBe(0); // analyzeGraph only places nodes once a combiner joins G and D
    expect(displayTotals(doc, a)).toEqual({ generator: 114_064, discriminator: 0 });
  });
});
