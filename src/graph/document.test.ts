// Example-based tests for the graph document: preset round trips, URL form, and every load error with its path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENGINE_MESSAGES, engineMessage, LANGS } from '../i18n/messages';
import {
  decodeDocument,
  decodeDocumentFromUrl,
  encodeDocumentForUrl,
  GRAPH_VERSION,
  parseDocument,
  serializeDocument,
  type DecodeResult,
  type LoadError,
} from './document';
import { presetDocument } from '../testing/fixtures';

const presetText = readFileSync(new URL('../../presets/mnist-gan.json', import.meta.url), 'utf8');
/** A fresh, mutable copy of the preset's raw JSON for building broken files. */
const presetRaw = (): Record<string, any> => JSON.parse(presetText);

/** Every code a test saw, checked against the message tables at the end. */
const seenCodes = new Set<string>();

function errorsOf(r: DecodeResult): LoadError[] {
  if (r.ok) throw new Error('expected the document to be refused');
  expect(r.errors.length).toBeGreaterThan(0);
  for (const e of r.errors) {
    seenCodes.add(e.code);
    expect(e.path.length).toBeGreaterThan(0);
  }
  return r.errors;
}

/** Refused with exactly this one error (path and code), whose message renders fully in every language. */
function expectOnly(r: DecodeResult, path: string, code: string): LoadError {
  const errors = errorsOf(r);
  expect(errors.map((e) => ({ path: e.path, code: e.code }))).toEqual([{ path, code }]);
  expectRenders(errors[0].code, errors[0].args);
  return errors[0];
}

function expectRenders(code: string, args?: Record<string, string | number>): void {
  for (const lang of LANGS) {
    expect(ENGINE_MESSAGES[lang][code], `${lang} message for ${code}`).toBeTruthy();
    // A placeholder left in the text means the error forgot an argument the message needs.
    expect(engineMessage(code, args, lang)).not.toMatch(/\{\w+\}/);
  }
}

const decode = (raw: unknown) => decodeDocument(raw);

describe('preset round trips', () => {
  it('serialize → parse returns the same document, and a second round is byte-equal', () => {
    const doc = presetDocument();
    const text1 = serializeDocument(doc);
    const r1 = parseDocument(text1);
    expect(r1.ok).toBe(true);
    if (!r1.ok) return;
    expect(r1.doc).toEqual(doc);
    expect(r1.migratedFrom).toBeUndefined();
    const text2 = serializeDocument(r1.doc);
    expect(text2).toBe(text1);
  });

  it('the preset file itself decodes to what it says (no defaults silently filled in)', () => {
    const r = parseDocument(presetText);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(JSON.parse(serializeDocument(r.doc))).toEqual(JSON.parse(presetText));
  });

  it('survives the URL form unchanged, and the link is URL-safe', () => {
    const doc = presetDocument();
    const link = encodeDocumentForUrl(doc);
    expect(link).toMatch(/^[A-Za-z0-9_-]+$/);
    const r = decodeDocumentFromUrl(link);
    expect(r.ok && r.doc).toEqual(doc);
  });

  it('keeps non-ASCII text through the URL form', () => {
    const doc = presetDocument();
    doc.name = '고전 MNIST GAN — 28×28 🎨';
    doc.nodes[0].label = 'z ~ 𝒩(0, 1)';
    const r = decodeDocumentFromUrl(encodeDocumentForUrl(doc));
    expect(r.ok && r.doc).toEqual(doc);
  });

  it('refuses a damaged link without throwing', () => {
    expectOnly(decodeDocumentFromUrl('%%%not base64%%%'), '(link)', 'load.badLink');
    // Valid base64 of bytes that are not UTF-8.
    expectOnly(decodeDocumentFromUrl('_-8'), '(link)', 'load.badLink');
    // Valid base64 of text that is not JSON.
    expectOnly(decodeDocumentFromUrl(btoa('hello')), '(file)', 'load.notJson');
  });
});

describe('file-level load errors', () => {
  it('not JSON', () => {
    const e = expectOnly(parseDocument('{"format": "ganvas-graph",'), '(file)', 'load.notJson');
    expect(String(e.args?.detail)).not.toBe('');
  });

  it('not an object', () => {
    for (const v of [null, 42, 'ganvas', [], [presetRaw()], true]) expectOnly(decode(v), '(root)', 'load.notObject');
  });

  it('wrong format', () => {
    const raw = presetRaw();
    raw.format = 'keras-model';
    expectOnly(decode(raw), 'format', 'load.notGanvas');
    delete raw.format;
    expectOnly(decode(raw), 'format', 'load.notGanvas');
  });

  it('missing or non-integer version', () => {
    const raw = presetRaw();
    delete raw.version;
    expectOnly(decode(raw), 'version', 'load.noVersion');
    for (const v of ['1', 1.5, null]) expectOnly(decode({ ...raw, version: v }), 'version', 'load.noVersion');
  });

  it('a future version is refused clearly, naming both versions', () => {
    const e = expectOnly(decode({ ...presetRaw(), version: GRAPH_VERSION + 1 }), 'version', 'load.unknownVersion');
    expect(engineMessage(e.code, e.args, 'en')).toContain(`version ${GRAPH_VERSION + 1}`);
    expect(engineMessage(e.code, e.args, 'en')).toContain(`up to ${GRAPH_VERSION}`);
    expectOnly(decode({ ...presetRaw(), version: -1 }), 'version', 'load.unknownVersion');
  });

  it('migrates version 0 (connections, no training block) to version 1', () => {
    const v0 = {
      format: 'ganvas-graph',
      version: 0,
      name: 'old file',
      nodes: [
        { id: 'z', type: 'NoiseInput', params: { size: 64 }, position: { x: 0, y: 0 } },
        { id: 'd', type: 'Dense', params: { units: 32 }, position: { x: 10, y: 20 } },
      ],
      connections: [
        { id: 'c1', source: 'z', sourceOutput: 'out', target: 'd', targetInput: 'in' },
        { source: 'd', sourceOutput: 'out', target: 'z', targetInput: 'in' },
      ],
    };
    const r = decode(v0);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(0);
    expect(r.doc.version).toBe(1);
    expect(r.doc.edges).toEqual([
      { id: 'c1', from: { node: 'z', socket: 'out' }, to: { node: 'd', socket: 'in' } },
      { id: 'e1', from: { node: 'd', socket: 'out' }, to: { node: 'z', socket: 'in' } },
    ]);
    expect(r.doc.training).toEqual({ iterations: 20000, batchSize: 128, sampleInterval: 1000, seed: 42 });
    expect(r.doc.nodes[1].params).toEqual({ units: 32, activation: 'none', useBias: true });
    expect('connections' in r.doc).toBe(false);
    // Once migrated it is a plain version-1 document.
    const again = parseDocument(serializeDocument(r.doc));
    expect(again.ok && again.doc).toEqual(r.doc);
    expect(again.ok && again.migratedFrom).toBeUndefined();
  });

  it('a version-0 connection to a missing node is reported at its migrated path', () => {
    const v0 = {
      format: 'ganvas-graph',
      version: 0,
      nodes: [{ id: 'z', type: 'NoiseInput', params: {}, position: { x: 0, y: 0 } }],
      connections: [{ source: 'z', sourceOutput: 'out', target: 'gone', targetInput: 'in' }],
    };
    expectOnly(decode(v0), 'edges[0].to.node', 'load.edgeUnknownNode');
  });

  it('nodes and edges must be lists of bounded length', () => {
    // With no node list every edge end is unknown too; the list error comes first.
    const noList = errorsOf(decode({ ...presetRaw(), nodes: {} }));
    expect(noList[0]).toMatchObject({ path: 'nodes', code: 'load.notArray' });
    expect(new Set(noList.slice(1).map((e) => e.code))).toEqual(new Set(['load.edgeUnknownNode']));
    expectOnly(decode({ ...presetRaw(), nodes: {}, edges: [] }), 'nodes', 'load.notArray');
    const raw = presetRaw();
    delete raw.edges;
    expectOnly(decode(raw), 'edges', 'load.notArray');
    const many = Array.from({ length: 501 }, (_, i) => ({ id: `n${i}`, type: 'Flatten', params: {}, position: { x: 0, y: 0 } }));
    expectOnly(decode({ ...presetRaw(), nodes: many, edges: [] }), 'nodes', 'load.tooMany');
  });

  it('name and notes must be bounded text', () => {
    expectOnly(decode({ ...presetRaw(), name: 5 }), 'name', 'load.notString');
    expectOnly(decode({ ...presetRaw(), notes: 'x'.repeat(10_001) }), 'notes', 'load.tooLong');
    const noName = presetRaw();
    delete noName.name;
    const r = decode(noName);
    expect(r.ok && r.doc.name).toBe('Untitled GAN');
  });

  it('training settings are checked one by one', () => {
    const e = expectOnly(decode({ ...presetRaw(), training: { iterations: 20000, batchSize: 0 } }), 'training.batchSize', 'param.range');
    expect(e.args).toMatchObject({ param: 'batchSize', min: 1, max: 4096 });
    expectOnly(decode({ ...presetRaw(), training: { seed: 1.5 } }), 'training.seed', 'param.range');
    expectOnly(decode({ ...presetRaw(), training: [] }), 'training', 'load.notObject');
  });
});

describe('node-level load errors name the node and the field', () => {
  /** The preset with node `i` changed by `edit`. */
  const withNode = (i: number, edit: (n: Record<string, any>) => void) => {
    const raw = presetRaw();
    edit(raw.nodes[i]);
    return decode(raw);
  };

  it('duplicate node id', () => {
    const raw = presetRaw();
    raw.nodes[3].id = 'g_dense1';
    // The later copy is refused; edges to g_dense2 then point nowhere, and say so.
    const errors = errorsOf(decode(raw));
    expect(errors[0]).toMatchObject({ path: 'nodes[3] "g_dense1".id', code: 'load.duplicateId', args: { id: 'g_dense1' } });
    expect(errors.slice(1).map((e) => e.path)).toEqual(['edges[2].to.node', 'edges[3].from.node']);
    expectRenders(errors[0].code, errors[0].args);
  });

  it('duplicate edge id', () => {
    const raw = presetRaw();
    raw.edges[5].id = 'e1';
    expectOnly(decode(raw), 'edges[5].id', 'load.duplicateId');
  });

  it('missing or malformed node id', () => {
    for (const edit of [(n: Record<string, any>) => delete n.id, (n: Record<string, any>) => (n.id = 'has space'), (n: Record<string, any>) => (n.id = 'x'.repeat(65))]) {
      // The node is dropped, so its two edges (e2 into it, e3 out of it) point nowhere as well.
      const errors = errorsOf(withNode(2, edit));
      expect(errors.map((e) => `${e.path} ${e.code}`)).toEqual([
        'nodes[2].id load.badId',
        'edges[1].to.node load.edgeUnknownNode',
        'edges[2].from.node load.edgeUnknownNode',
      ]);
    }
  });

  it('a node that is not an object', () => {
    const raw = presetRaw();
    raw.nodes.push('Dense');
    expectOnly(decode(raw), 'nodes[13]', 'load.notObject');
  });

  it('unknown type', () => {
    const e = expectOnly(withNode(4, (n) => (n.type = 'Conv3D')), 'nodes[4] "g_reshape".type', 'load.unknownType');
    expect(engineMessage(e.code, e.args, 'en')).toContain('Conv3D');
  });

  it('unknown type that is not a string does not crash the loader', () => {
    // JSON can carry an object whose own "toString" is not a function; String() on it throws.
    const r = parseDocument(presetText.replace('"type": "Reshape"', '"type": {"toString": 1, "valueOf": 2}'));
    expectOnly(r, 'nodes[4] "g_reshape".type', 'load.unknownType');
  });

  it('unknown param', () => {
    const e = expectOnly(withNode(1, (n) => (n.params.kernelSize = 3)), 'nodes[1] "g_dense1".params.kernelSize', 'load.unknownParam');
    expect(e.args).toEqual({ param: 'kernelSize', type: 'Dense' });
  });

  it('prototype keys in params are unknown params, not pollution', () => {
    const text = presetText.replace('"params": { "size": 100 }', '"params": { "size": 100, "__proto__": { "polluted": 1 }, "constructor": 1 }');
    const errors = errorsOf(parseDocument(text));
    expect(errors.map((e) => e.path)).toEqual(['nodes[0] "g_z".params.__proto__', 'nodes[0] "g_z".params.constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('params must be an object', () => {
    expectOnly(withNode(1, (n) => (n.params = [128])), 'nodes[1] "g_dense1".params', 'load.notObject');
  });

  it('missing params take their defaults', () => {
    const raw = presetRaw();
    delete raw.nodes[1].params;
    const r = decode(raw);
    expect(r.ok && r.doc.nodes[1].params).toEqual({ units: 128, activation: 'none', useBias: true });
  });

  // One case per kind of parameter and per way a value can be wrong.
  const badValues: [string, number, string, unknown, string][] = [
    ['int: not a whole number', 1, 'units', 12.5, 'param.notInteger'],
    ['int: a string', 1, 'units', '128', 'param.notInteger'],
    ['int: zero', 1, 'units', 0, 'param.range'],
    ['int: above max', 0, 'size', 4097, 'param.range'],
    ['float: a string', 2, 'alpha', '0.01', 'param.notNumber'],
    ['float: null', 2, 'alpha', null, 'param.notNumber'],
    ['float: above max', 2, 'alpha', 1.5, 'param.range'],
    ['float: negative', 2, 'alpha', -0.1, 'param.range'],
    ['float: exclusive min', 10, 'learningRate', 0, 'param.rangeExclusive'],
    ['enum: softmax', 3, 'activation', 'softmax', 'param.option'],
    ['enum: wrong type', 3, 'activation', 1, 'param.option'],
    ['enum: prototype key', 5, 'dataset', 'constructor', 'param.option'],
    ['bool: a string', 3, 'useBias', 'true', 'param.notBoolean'],
    ['bool: a number', 3, 'useBias', 1, 'param.notBoolean'],
    ['shape: empty', 4, 'targetShape', [], 'param.shape'],
    ['shape: rank too high', 4, 'targetShape', [1, 1, 1, 1, 784], 'param.shape'],
    ['shape: zero dim', 5, 'shape', [28, 0, 1], 'param.shape'],
    ['shape: fractional dim', 5, 'shape', [28, 28, 1.5], 'param.shape'],
    ['shape: dim above max', 5, 'shape', [5000, 1, 1], 'param.shape'],
    ['shape: text', 5, 'shape', '28x28x1', 'param.shape'],
  ];
  it.each(badValues)('%s', (_what, i, key, value, code) => {
    const raw = presetRaw();
    raw.nodes[i].params[key] = value;
    const e = expectOnly(decode(raw), `nodes[${i}] "${raw.nodes[i].id}".params.${key}`, code);
    expect(e.args?.param).toBe(key);
  });

  it('Infinity from an overflowing number literal is not a float', () => {
    const r = parseDocument(presetText.replace('"alpha": 0.01', '"alpha": 1e999'));
    expectOnly(r, 'nodes[2] "g_lrelu".params.alpha', 'param.notNumber');
  });

  it('bad position', () => {
    expectOnly(withNode(6, (n) => delete n.position), 'nodes[6] "d_flatten".position', 'load.badPosition');
    expectOnly(withNode(6, (n) => (n.position = { x: '1', y: 2 })), 'nodes[6] "d_flatten".position', 'load.badPosition');
    expectOnly(withNode(6, (n) => (n.position = [0, 0])), 'nodes[6] "d_flatten".position', 'load.badPosition');
  });

  it('label too long, or not text', () => {
    const e = expectOnly(withNode(7, (n) => (n.label = 'é'.repeat(10_001))), 'nodes[7] "d_dense1".label', 'load.tooLong');
    expect(e.args).toEqual({ max: 10_000 });
    expectOnly(withNode(7, (n) => (n.label = { html: '<b>' })), 'nodes[7] "d_dense1".label', 'load.notString');
    const ok = withNode(7, (n) => (n.label = '<img src=x onerror=alert(1)>'));
    expect(ok.ok && ok.doc.nodes[7].label).toBe('<img src=x onerror=alert(1)>');
  });

  it('reports every error at once, in document order', () => {
    const raw = presetRaw();
    raw.nodes[1].params.units = 0;
    raw.nodes[9].params.activation = 'softmax';
    raw.nodes[12].position = null;
    const errors = errorsOf(decode(raw));
    expect(errors.map((e) => e.path)).toEqual([
      'nodes[1] "g_dense1".params.units',
      'nodes[9] "d_dense2".params.activation',
      'nodes[12] "g_loss".position',
    ]);
  });
});

describe('edge-level load errors', () => {
  it('edge to an unknown node', () => {
    const raw = presetRaw();
    raw.edges[4].to.node = 'd_flattten';
    const e = expectOnly(decode(raw), 'edges[4].to.node', 'load.edgeUnknownNode');
    expect(engineMessage(e.code, e.args, 'ko')).toContain('d_flattten');
  });

  it('edge from an unknown node', () => {
    const raw = presetRaw();
    raw.edges[0].from.node = 'nowhere';
    expectOnly(decode(raw), 'edges[0].from.node', 'load.edgeUnknownNode');
  });

  it('malformed edges', () => {
    const raw = presetRaw();
    raw.edges[1] = { id: 'e2', from: 'g_dense1', to: { node: 'g_lrelu', socket: 'in' } };
    expectOnly(decode(raw), 'edges[1]', 'load.badEdge');
    const raw2 = presetRaw();
    raw2.edges[1].to.socket = 7;
    expectOnly(decode(raw2), 'edges[1].to', 'load.badEdge');
    const raw3 = presetRaw();
    raw3.edges[1].id = '';
    expectOnly(decode(raw3), 'edges[1].id', 'load.badId');
  });

  it('sockets are not judged at load time (analysis reports them on the node)', () => {
    const raw = presetRaw();
    raw.edges[0].from.socket = 'nope';
    expect(decode(raw).ok).toBe(true);
  });
});

describe('messages', () => {
  it('every load error code seen above has text in every language', () => {
    // Guards against this file silently testing nothing: the suites above must have produced these.
    expect(seenCodes.size).toBeGreaterThanOrEqual(20);
    for (const code of seenCodes) for (const lang of LANGS) expect(ENGINE_MESSAGES[lang][code], `${lang}: ${code}`).toBeTruthy();
  });

  it('en and ko define the same codes', () => {
    expect(Object.keys(ENGINE_MESSAGES.ko).sort()).toEqual(Object.keys(ENGINE_MESSAGES.en).sort());
  });
});
