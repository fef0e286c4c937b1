// Example-based tests for analyzeGraph: shapes on the preset, every validation message, roles and parameter counts.
import { describe, expect, it } from 'vitest';
import { ENGINE_MESSAGES, engineMessage, LANGS } from '../i18n/messages';
import { analyzeGraph, type Diagnostic, type GraphAnalysis } from './analyze';
import { defaultParams, type GraphDocument, type GraphNode } from './document';
import { presetDocument } from '../testing/fixtures';
import type { Params } from '../nodes/types';

/** Every diagnostic code produced here; the last test checks each has a message in every language. */
const seenCodes = new Set<string>();

function analyze(doc: GraphDocument): GraphAnalysis {
  const a = analyzeGraph(doc);
  for (const d of a.diagnostics) {
    seenCodes.add(d.code);
    for (const lang of LANGS) expect(engineMessage(d.code, d.args, lang), `${lang} ${d.code}`).not.toMatch(/\{\w+\}/);
  }
  return a;
}

const errors = (a: GraphAnalysis) => a.diagnostics.filter((d) => d.severity === 'error');

/** The preset changed by `edit`. */
function preset(edit: (doc: GraphDocument) => void = () => {}): GraphDocument {
  const doc = presetDocument();
  edit(doc);
  return doc;
}

const node = (doc: GraphDocument, id: string): GraphNode => doc.nodes.find((n) => n.id === id)!;
const setParam = (doc: GraphDocument, id: string, key: string, value: unknown) => {
  (node(doc, id).params as Record<string, unknown>)[key] = value;
};
function addNode(doc: GraphDocument, id: string, type: string, params: Params = {}): void {
  doc.nodes.push({ id, type, params: { ...defaultParams(type), ...params }, position: { x: 0, y: 0 } });
}
let edgeCounter = 100;
function connect(doc: GraphDocument, from: string, to: string, fromSocket = 'out', toSocket = 'in'): string {
  const id = `x${edgeCounter++}`;
  doc.edges.push({ id, from: { node: from, socket: fromSocket }, to: { node: to, socket: toSocket } });
  return id;
}
function removeNode(doc: GraphDocument, id: string): void {
  doc.nodes = doc.nodes.filter((n) => n.id !== id);
  doc.edges = doc.edges.filter((e) => e.from.node !== id && e.to.node !== id);
}
const removeEdge = (doc: GraphDocument, id: string) => {
  doc.edges = doc.edges.filter((e) => e.id !== id);
};
const edge = (doc: GraphDocument, id: string) => doc.edges.find((e) => e.id === id)!;

/** The analysis fails, and among its errors is one matching `expected`. */
function expectError(a: GraphAnalysis, expected: Partial<Diagnostic>): Diagnostic {
  expect(a.ok).toBe(false);
  expect(a.gan).toBeUndefined();
  const match = errors(a).find((d) => Object.entries(expected).every(([k, v]) => JSON.stringify(d[k as keyof Diagnostic]) === JSON.stringify(v)));
  expect(match, `no ${JSON.stringify(expected)} in ${JSON.stringify(errors(a))}`).toBeDefined();
  return match!;
}

describe('the preset', () => {
  const a = analyze(preset());

  it('is a complete, compilable GAN with no diagnostics at all', () => {
    expect(a.diagnostics).toEqual([]);
    expect(a.ok).toBe(true);
    expect(a.gan).toEqual({
      generatorInputs: ['g_z'],
      discriminatorInputs: ['d_image'],
      image: 'd_image',
      generator: ['g_dense1', 'g_lrelu', 'g_dense2', 'g_reshape'],
      discriminator: ['d_flatten', 'd_dense1', 'd_lrelu', 'd_dense2'],
      generatorOutput: 'g_reshape',
      generatorOutputSocket: 'out',
      discriminatorOutput: 'd_dense2',
      discriminatorOutputSocket: 'out',
      combiner: 'gan',
      dLoss: 'd_loss',
      gLoss: 'g_loss',
    });
  });

  it('has the expected shape on every edge', () => {
    const fmt = Object.fromEntries(Object.entries(a.edgeShapes).map(([id, s]) => [id, s.map((d) => d ?? '?').join('×')]));
    expect(fmt).toEqual({
      e1: '?×100',
      e2: '?×128',
      e3: '?×128',
      e4: '?×784',
      e5: '?×28×28×1',
      e6: '?×784',
      e7: '?×128',
      e8: '?×128',
      e9: '?×1',
      e10: '?×28×28×1',
      e11: '?×1',
      e12: '?×1',
    });
  });

  it('assigns every node to a network', () => {
    expect(a.network).toEqual({
      g_z: 'generator',
      g_dense1: 'generator',
      g_lrelu: 'generator',
      g_dense2: 'generator',
      g_reshape: 'generator',
      d_image: 'discriminator',
      d_flatten: 'discriminator',
      d_dense1: 'discriminator',
      d_lrelu: 'discriminator',
      d_dense2: 'discriminator',
      gan: 'link',
      d_loss: 'discriminator',
      g_loss: 'generator',
    });
  });

  it('counts parameters per node and per network as the book does', () => {
    expect(a.nodeParams).toMatchObject({
      g_dense1: 12_928, // 100·128 + 128
      g_lrelu: 0,
      g_dense2: 101_136, // 128·784 + 784
      g_reshape: 0,
      d_flatten: 0,
      d_dense1: 100_480, // 784·128 + 128
      d_lrelu: 0,
      d_dense2: 129, // 128·1 + 1
    });
    expect(a.totals).toEqual({ generator: 114_064, discriminator: 100_609 });
  });
});

describe('parameter counts follow the parameters', () => {
  it('G with a 256-unit hidden layer has 227,344 parameters', () => {
    const a = analyze(preset((d) => setParam(d, 'g_dense1', 'units', 256)));
    expect(a.ok).toBe(true);
    expect(a.nodeParams.g_dense1).toBe(25_856);
    expect(a.nodeParams.g_dense2).toBe(201_488);
    expect(a.totals).toEqual({ generator: 227_344, discriminator: 100_609 });
  });

  it('a Dense without bias drops its bias terms', () => {
    const a = analyze(preset((d) => setParam(d, 'd_dense1', 'useBias', false)));
    expect(a.nodeParams.d_dense1).toBe(100_352);
    expect(a.totals.discriminator).toBe(100_481);
  });

  it('z size changes the first Dense layer only', () => {
    const a = analyze(preset((d) => setParam(d, 'g_z', 'size', 64)));
    expect(a.edgeShapes.e1).toEqual([null, 64]);
    expect(a.nodeParams.g_dense1).toBe(64 * 128 + 128);
    expect(a.totals.generator).toBe(114_064 - 36 * 128);
  });

  it('an extra LeakyReLU + Dense in D adds exactly its own parameters', () => {
    const a = analyze(
      preset((d) => {
        addNode(d, 'd_dense_mid', 'Dense', { units: 64 });
        addNode(d, 'd_lrelu2', 'LeakyReLU');
        removeEdge(d, 'e8');
        connect(d, 'd_lrelu', 'd_dense_mid');
        connect(d, 'd_dense_mid', 'd_lrelu2');
        connect(d, 'd_lrelu2', 'd_dense2');
      }),
    );
    expect(a.ok).toBe(true);
    expect(a.gan?.discriminator).toEqual(['d_flatten', 'd_dense1', 'd_lrelu', 'd_dense_mid', 'd_lrelu2', 'd_dense2']);
    expect(a.totals.discriminator).toBe(100_480 + (128 * 64 + 64) + (64 + 1));
  });
});

describe('structural errors', () => {
  it('cycle', () => {
    // g_dense1 now reads from g_lrelu, which reads from g_dense1.
    const a = analyze(preset((d) => (edge(d, 'e1').from = { node: 'g_lrelu', socket: 'out' })));
    expectError(a, { node: 'g_dense1', code: 'graph.cycle' });
    expectError(a, { node: 'g_lrelu', code: 'graph.cycle' });
    // Nodes downstream of the loop (g_dense2 … g_loss) cannot be ordered either, but they are not on it.
    expect(errors(a).filter((d) => d.code === 'graph.cycle').map((d) => d.node).sort()).toEqual(['g_dense1', 'g_lrelu']);
  });

  it('self loop', () => {
    const a = analyze(preset((d) => (edge(d, 'e3').from = { node: 'g_dense2', socket: 'out' })));
    expectError(a, { node: 'g_dense2', edge: 'e3', code: 'graph.selfLoop' });
    expectError(a, { node: 'g_dense2', socket: 'in', code: 'graph.missingInput' });
  });

  it('missing input', () => {
    const a = analyze(preset((d) => removeEdge(d, 'e3')));
    const e = expectError(a, { node: 'g_dense2', socket: 'in', code: 'graph.missingInput' });
    expect(e.args).toEqual({ socket: 'in' });
    // Shapes stop at the gap instead of producing follow-up errors.
    expect(a.edgeShapes.e4).toBeUndefined();
    expect(errors(a).map((d) => d.code)).toEqual(['graph.missingInput']);
  });

  it('a second connection on an occupied input is refused on that edge', () => {
    const doc = preset();
    const extra = connect(doc, 'd_lrelu', 'g_dense1');
    const a = analyze(doc);
    expectError(a, { node: 'g_dense1', socket: 'in', edge: extra, code: 'graph.extraConnection' });
    // The first edge keeps the input.
    expect(a.edgeShapes.e1).toEqual([null, 100]);
  });

  it('unknown output and input sockets', () => {
    const out = analyze(preset((d) => (edge(d, 'e1').from.socket = 'z')));
    expect(expectError(out, { node: 'g_z', socket: 'z', edge: 'e1', code: 'graph.noSuchOutput' }).args).toEqual({ socket: 'z' });
    const inp = analyze(preset((d) => (edge(d, 'e10').to.socket = 'generator')));
    expectError(inp, { node: 'gan', socket: 'generator', edge: 'e10', code: 'graph.noSuchInput' });
    expectError(inp, { node: 'gan', socket: 'fake', code: 'graph.missingInput' });
  });

  it('edge to a node that does not exist (a document that skipped decoding)', () => {
    const a = analyze(preset((d) => (edge(d, 'e5').to.node = 'ghost')));
    expectError(a, { node: 'd_image', edge: 'e5', code: 'graph.edgeMissingNode' });
  });

  it('unknown node type (a document that skipped decoding)', () => {
    const a = analyze(preset((d) => (node(d, 'd_flatten').type = 'Conv3D')));
    expect(expectError(a, { node: 'd_flatten', code: 'graph.unknownType' }).args).toEqual({ type: 'Conv3D' });
  });
});

describe('impossible shapes', () => {
  it('Reshape count mismatch', () => {
    const a = analyze(preset((d) => setParam(d, 'g_reshape', 'targetShape', [28, 28, 3])));
    const e = expectError(a, { node: 'g_reshape', socket: 'in', code: 'shape.reshapeCount' });
    expect(e.args).toEqual({ from: '?×784', to: '28×28×3', have: 784, want: 2352 });
  });

  it('Dense after an image without Flatten', () => {
    const a = analyze(
      preset((d) => {
        removeNode(d, 'd_flatten');
        connect(d, 'd_image', 'd_dense1');
      }),
    );
    expect(expectError(a, { node: 'd_dense1', socket: 'in', code: 'shape.denseNeedsFlat' }).args).toEqual({ shape: '?×28×28×1' });
  });

  it('loss on something that is not one probability per image', () => {
    const a = analyze(preset((d) => setParam(d, 'd_dense2', 'units', 10)));
    expect(expectError(a, { node: 'd_loss', socket: 'pred', code: 'shape.lossNeedsProbability' }).args).toEqual({ shape: '?×10' });
    expectError(a, { node: 'g_loss', socket: 'pred', code: 'shape.lossNeedsProbability' });
    // A loss straight on an image.
    const b = analyze(preset((d) => (edge(d, 'e9').from = { node: 'd_image', socket: 'out' })));
    expect(expectError(b, { node: 'd_loss', code: 'shape.lossNeedsProbability' }).args).toEqual({ shape: '?×28×28×1' });
  });

  it('combiner: G makes a different shape than D reads', () => {
    const a = analyze(preset((d) => setParam(d, 'g_reshape', 'targetShape', [784])));
    const e = expectError(a, { node: 'gan', socket: 'fake', code: 'shape.combinerDatasetMismatch' });
    expect(e.args).toEqual({ fake: '?×784', dataset: 'MNIST', expected: '28×28×1' });
    const b = analyze(preset((d) => setParam(d, 'g_reshape', 'targetShape', [28, 1, 28])));
    expectError(b, { node: 'gan', socket: 'fake', code: 'shape.combinerDatasetMismatch' });
  });

  it('ImageInput shape must match the dataset (28×28×1 for mnist)', () => {
    const a = analyze(preset((d) => setParam(d, 'd_image', 'shape', [32, 32, 3])));
    expect(expectError(a, { node: 'd_image', code: 'shape.datasetMismatch' }).args).toEqual({ dataset: 'MNIST', expected: '28×28×1', got: '32×32×3' });
    const b = analyze(preset((d) => setParam(d, 'd_image', 'shape', [784])));
    expectError(b, { node: 'd_image', code: 'shape.datasetMismatch' });
  });
});

describe('branches and joins', () => {
  it('a join whose inputs disagree gets a message on the join, in its own words', () => {
    // G: z → Dense 128 → LeakyReLU, and z → Dense 64; Add(a, b) of ?×128 and ?×64.
    const doc = preset();
    addNode(doc, 'g_side', 'Dense', { units: 64 });
    addNode(doc, 'g_add', 'Add');
    connect(doc, 'g_z', 'g_side');
    connect(doc, 'g_lrelu', 'g_add', 'out', 'a');
    connect(doc, 'g_side', 'g_add', 'out', 'b');
    edge(doc, 'e3').from = { node: 'g_add', socket: 'out' };
    const d = expectError(analyze(doc), { node: 'g_add', socket: 'b', code: 'shape.addMismatch' });
    expect(engineMessage(d.code, d.args)).toBe('Add needs two inputs of the same shape, but a is ?×128 and b is ?×64: make both branches end in the same shape.');
    expect(engineMessage(d.code, d.args, 'ko')).toContain('?×64');
  });

  it('a wrong input rank gets a message on the node: Concatenate of an image and a vector', () => {
    const doc = preset();
    addNode(doc, 'd_cat', 'Concatenate');
    connect(doc, 'd_image', 'd_cat', 'out', 'a');
    connect(doc, 'd_dense1', 'd_cat', 'out', 'b');
    edge(doc, 'e7').from = { node: 'd_cat', socket: 'out' };
    const d = expectError(analyze(doc), { node: 'd_cat', socket: 'b', code: 'shape.concatRank' });
    expect(engineMessage(d.code, d.args)).toContain('a is ?×28×28×1 and b is ?×128');
  });

  it('Concatenate along the batch axis is refused; along the last it adds the sizes', () => {
    const build = (axis: number) => {
      const doc = preset();
      addNode(doc, 'g_side', 'Dense', { units: 64 });
      addNode(doc, 'g_cat', 'Concatenate', { axis });
      connect(doc, 'g_z', 'g_side');
      connect(doc, 'g_lrelu', 'g_cat', 'out', 'a');
      connect(doc, 'g_side', 'g_cat', 'out', 'b');
      edge(doc, 'e3').from = { node: 'g_cat', socket: 'out' };
      return analyze(doc);
    };
    expectError(build(0), { node: 'g_cat', code: 'shape.concatAxis' });
    const ok = build(-1);
    expect(errors(ok)).toEqual([]);
    expect(ok.shapes.g_cat.out).toEqual([null, 192]);
    expect(ok.nodeParams.g_dense2).toBe(192 * 784 + 784);
  });

  it('G reads one noise input and D one image input', () => {
    const doc = preset();
    addNode(doc, 'z2', 'NoiseInput');
    addNode(doc, 'g_cat', 'Concatenate');
    connect(doc, 'g_z', 'g_cat', 'out', 'a');
    connect(doc, 'z2', 'g_cat', 'out', 'b');
    edge(doc, 'e1').from = { node: 'g_cat', socket: 'out' };
    expectError(analyze(doc), { node: 'z2', code: 'graph.extraNoise' });
    const two = preset();
    addNode(two, 'img2', 'ImageInput');
    addNode(two, 'd_add', 'Add');
    connect(two, 'd_image', 'd_add', 'out', 'a');
    connect(two, 'img2', 'd_add', 'out', 'b');
    edge(two, 'e5').from = { node: 'd_add', socket: 'out' };
    expectError(analyze(two), { node: 'img2', code: 'graph.extraImage' });
  });
});

describe('bad parameters', () => {
  const cases: [string, string, string, unknown, string][] = [
    ['units 0', 'g_dense1', 'units', 0, 'param.range'],
    ['units 1.5', 'g_dense1', 'units', 1.5, 'param.notInteger'],
    ['alpha NaN', 'g_lrelu', 'alpha', Number.NaN, 'param.notNumber'],
    ['alpha Infinity', 'd_lrelu', 'alpha', Number.POSITIVE_INFINITY, 'param.notNumber'],
    ["activation 'softmax'", 'd_dense2', 'activation', 'softmax', 'param.option'],
    ['useBias missing', 'd_dense1', 'useBias', undefined, 'param.notBoolean'],
    ['learning rate 0', 'd_loss', 'learningRate', 0, 'param.rangeExclusive'],
    ['target shape with a zero', 'g_reshape', 'targetShape', [28, 0, 1], 'param.shape'],
  ];
  it.each(cases)('%s', (_what, id, key, value, code) => {
    const a = analyze(preset((d) => setParam(d, id, key, value)));
    const e = expectError(a, { node: id, param: key, code });
    expect(e.args?.param).toBe(key);
  });

  it('β1 above β2 (a check across parameters)', () => {
    const a = analyze(preset((d) => setParam(d, 'g_loss', 'beta1', 0.9999)));
    expectError(a, { node: 'g_loss', param: 'beta1', code: 'param.beta1AboveBeta2' });
  });

  it('a node with bad parameters gets no shape and no follow-up shape errors', () => {
    const a = analyze(preset((d) => setParam(d, 'g_dense1', 'units', 0)));
    expect(a.shapes.g_dense1).toBeUndefined();
    expect(errors(a).map((d) => d.code)).toEqual(['param.range']);
  });
});

describe('GAN structure', () => {
  it('no combiner', () => {
    const a = analyze(preset((d) => removeNode(d, 'gan')));
    expect(expectError(a, { code: 'graph.noCombiner' }).node).toBeUndefined();
  });

  it('two combiners', () => {
    const doc = preset();
    addNode(doc, 'gan2', 'FreezingCombiner');
    connect(doc, 'g_reshape', 'gan2', 'out', 'fake');
    connect(doc, 'd_dense2', 'gan2', 'out', 'critic');
    expectError(analyze(doc), { node: 'gan2', code: 'graph.extraCombiner' });
  });

  it('missing D loss', () => {
    const a = analyze(preset((d) => removeNode(d, 'd_loss')));
    expectError(a, { node: 'd_dense2', code: 'graph.noDLoss' });
  });

  it('missing G loss', () => {
    const a = analyze(preset((d) => removeNode(d, 'g_loss')));
    expectError(a, { node: 'gan', code: 'graph.noGLoss' });
  });

  it('a second loss on the same network', () => {
    const doc = preset();
    addNode(doc, 'd_loss2', 'BCELoss');
    connect(doc, 'd_dense2', 'd_loss2', 'out', 'pred');
    expectError(analyze(doc), { node: 'd_loss2', code: 'graph.extraLoss' });
  });

  it('a loss that trains nothing', () => {
    const doc = preset();
    addNode(doc, 'stray_z', 'NoiseInput', { size: 1 });
    addNode(doc, 'stray_loss', 'BCELoss');
    connect(doc, 'stray_z', 'stray_loss', 'out', 'pred');
    expectError(analyze(doc), { node: 'stray_loss', code: 'graph.lossNotOnGan' });
  });

  it('no noise input and no image input', () => {
    const a = analyze(preset((d) => removeNode(d, 'g_z')));
    expectError(a, { code: 'graph.noNoise' });
    const b = analyze(preset((d) => removeNode(d, 'd_image')));
    expectError(b, { code: 'graph.noImage' });
  });

  it('G must start at noise', () => {
    const doc = preset();
    addNode(doc, 'img2', 'ImageInput');
    addNode(doc, 'flat2', 'Flatten');
    edge(doc, 'e1').from = { node: 'flat2', socket: 'out' };
    connect(doc, 'img2', 'flat2');
    const a = analyze(doc);
    expectError(a, { node: 'gan', socket: 'fake', code: 'graph.generatorNeedsNoise' });
  });

  it('D must start at an image', () => {
    const doc = preset();
    addNode(doc, 'z2', 'NoiseInput', { size: 784 });
    edge(doc, 'e6').from = { node: 'z2', socket: 'out' };
    removeNode(doc, 'd_flatten');
    removeNode(doc, 'd_image');
    const a = analyze(doc);
    expectError(a, { node: 'gan', socket: 'critic', code: 'graph.discriminatorNeedsImage' });
    expectError(a, { code: 'graph.noImage' });
  });

  it('a node shared by G and D', () => {
    // D reads G's output instead of real images: G's nodes are then in both chains.
    const a = analyze(preset((d) => (edge(d, 'e5').from = { node: 'g_reshape', socket: 'out' })));
    expectError(a, { node: 'g_dense1', code: 'graph.sharedNode' });
    expect(a.network.g_dense1).toBe('link');
  });

  it('a combiner inside a chain is not a layer', () => {
    const doc = preset();
    addNode(doc, 'gan2', 'FreezingCombiner');
    connect(doc, 'g_reshape', 'gan2', 'out', 'fake');
    connect(doc, 'd_dense2', 'gan2', 'out', 'critic');
    edge(doc, 'e11').from = { node: 'gan2', socket: 'out' };
    const a = analyze(doc);
    expect(expectError(a, { node: 'gan2', code: 'graph.notALayer' }).args).toEqual({ type: 'FreezingCombiner' });
  });

  it('an unconnected input is a warning, not an error', () => {
    const doc = preset();
    addNode(doc, 'spare_z', 'NoiseInput');
    const a = analyze(doc);
    expect(a.diagnostics).toEqual([{ severity: 'warning', node: 'spare_z', code: 'graph.unused' }]);
    expect(a.ok).toBe(true);
  });

  it('an empty document explains what is missing', () => {
    const a = analyze({ ...preset(), nodes: [], edges: [] });
    expect(errors(a).map((d) => d.code).sort()).toEqual(['graph.noCombiner', 'graph.noImage', 'graph.noNoise']);
  });
});

describe('messages', () => {
  it('every diagnostic code produced above has text in every language', () => {
    // Must run last (vitest runs a file's tests in order); the floor catches a suite that stopped producing codes.
    expect(seenCodes.size).toBeGreaterThanOrEqual(30);
    for (const code of seenCodes) for (const lang of LANGS) expect(ENGINE_MESSAGES[lang][code], `${lang}: ${code}`).toBeTruthy();
  });
});
