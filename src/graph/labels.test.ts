// A conditional GAN's labels checked against its data before any training: each mismatch is a message on the node
// to change, in English and Korean.
import { describe, expect, it } from 'vitest';
import { analyzeGraph, type Diagnostic, type Report } from './analyze';
import { validateGraph } from './validate';
import { topology } from './topology';
import { findRoles } from './roles';
import { checkLabels } from './labels';
import { DatasetCatalog } from './datasets';
import { catalogEntry } from '../data/dataset';
import { engineMessage } from '../i18n/messages';
import { denseCganDocument } from '../testing/cganFixtures';
import type { GraphDocument } from './document';

const errors = (doc: GraphDocument) => analyzeGraph(doc).diagnostics.filter((d) => d.severity === 'error');
const set = (doc: GraphDocument, id: string, params: Record<string, unknown>) => Object.assign(doc.nodes.find((n) => n.id === id)!.params, params);
const texts = (d: Diagnostic) => [engineMessage(d.code, d.args, 'en'), engineMessage(d.code, d.args, 'ko')];

describe('label mismatches', () => {
  it('an Embedding of 5 classes fed MNIST\'s 10 is told on the Embedding, in both languages, and the graph does not compile', () => {
    const doc = denseCganDocument();
    set(doc, 'd_embed', { inputDim: 5 });
    const a = analyzeGraph(doc);
    expect(a.ok).toBe(false);
    const e = errors(doc);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ node: 'd_embed', param: 'inputDim', code: 'graph.embeddingTooFewRows', args: { rows: 5, classes: 10, dataset: 'MNIST', last: 9 } });
    const [en, ko] = texts(e[0]);
    expect(en).toBe('This Embedding has 5 rows, but its labels come from MNIST, with 10 classes (0 to 9): set Input dimension to at least 10.');
    expect(ko).toBe('이 Embedding의 행은 5개인데, 레이블은 클래스가 10개(0부터 9까지)인 MNIST에서 옵니다. 입력 차원을 10 이상으로 두세요.');
  });

  it('a label input in a graph whose data has no labels is told on the label inputs', () => {
    const doc = denseCganDocument();
    // The analysis's steps with a dataset that has no labels (a learner's folder of unsorted images, say).
    const e: Diagnostic[] = [];
    const report: Report = (p) => e.push({ severity: 'error', ...p });
    const g = validateGraph(doc, report);
    const t = topology(g, report);
    const { network } = findRoles(doc, g, t, report);
    checkLabels(g, t, network, report, () => ({ name: 'letters' }));
    expect(e.map((d) => [d.node, d.code]).sort()).toEqual([['d_label', 'graph.labelsNoData'], ['g_label', 'graph.labelsNoData']]);
    expect(e[0].args).toEqual({ dataset: 'letters' });
    const [en, ko] = texts(e[0]);
    expect(en).toContain('has no labels');
    expect(ko).toContain('레이블이 없어');
  });

  it('a label input declaring another number of classes than the data is told on that input', () => {
    const doc = denseCganDocument();
    set(doc, 'g_label', { classes: 5 });
    const e = errors(doc);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ node: 'g_label', param: 'classes', code: 'graph.labelClasses' });
    expect(texts(e[0])[0]).toBe('This label input says 5 classes, but MNIST has 10 (0 to 9): set Classes to 10.');
  });

  it('a label on one side only, two labels in a network, an Embedding fed by no label', () => {
    const onlyG = denseCganDocument();
    onlyG.edges = onlyG.edges.filter((e) => e.to.node !== 'd_join' || e.to.socket !== 'b');
    onlyG.edges.push({ id: 'x', from: { node: 'd_image', socket: 'out' }, to: { node: 'd_join', socket: 'b' } });
    expect(errors(onlyG).map((d) => [d.node, d.code])).toEqual([['g_label', 'graph.labelOnlyInG']]);

    const two = denseCganDocument();
    two.nodes.push({ id: 'g_label2', type: 'LabelInput', params: { classes: 10 }, position: { x: 0, y: 0 } });
    two.edges = two.edges.map((e) => (e.to.node === 'g_embed' ? { ...e, from: { node: 'g_label2', socket: 'out' } } : e));
    two.edges.push({ id: 'x', from: { node: 'g_label', socket: 'out' }, to: { node: 'g_embed', socket: 'in' } });
    // An input takes one edge: the second into g_embed is refused; wire the spare label elsewhere instead.
    expect(errors(two).some((d) => d.code === 'graph.extraConnection')).toBe(true);

    const unlabelled = denseCganDocument();
    unlabelled.edges = unlabelled.edges.map((e) => (e.to.node === 'g_embed' ? { ...e, from: { node: 'g_z', socket: 'out' } } : e));
    const e = errors(unlabelled);
    expect(e.map((d) => [d.node, d.code])).toContainEqual(['g_embed', 'graph.embeddingNeedsLabel']);
    // Its z-sized table would also leave G without a label while D has one.
    expect(e.map((d) => [d.node, d.code])).toContainEqual(['d_label', 'graph.labelOnlyInD']);
  });

  describe("a learner's own dataset: the class count comes from the catalogue", () => {
    // A folder of circles, crosses and squares in class subfolders, as the store lists it after preparation.
    const catalog = new DatasetCatalog();
    catalog.set([
      catalogEntry({ id: 'user:shapes', name: 'shapes', shape: [28, 28, 1], classNames: ['circle', 'cross', 'square'] }),
      catalogEntry({ id: 'user:unsorted', name: 'unsorted', shape: [28, 28, 1] }),
    ]);
    const onShapes = (labels: number, rows: number, dataset = 'user:shapes') => {
      const doc = denseCganDocument();
      set(doc, 'd_image', { dataset });
      for (const id of ['g_label', 'd_label']) set(doc, id, { classes: labels });
      for (const id of ['g_embed', 'd_embed']) set(doc, id, { inputDim: rows });
      return analyzeGraph(doc, catalog);
    };
    const found = (a: ReturnType<typeof analyzeGraph>) => a.diagnostics.map((d) => [d.severity, d.node, d.code]).sort();

    it('catalogEntry carries the class count; an unlabelled dataset has none; the catalogue keeps only whole positive counts', () => {
      expect(catalog.get('user:shapes')).toEqual({ id: 'user:shapes', name: 'shapes', shape: [28, 28, 1], classes: 3, classNames: ['circle', 'cross', 'square'] });
      // IDX labels are their own numbers: a count, no names.
      expect(catalogEntry({ id: 'user:letters', name: 'letters', shape: [28, 28, 1], classNames: ['0', '1', '2', '3'] })).toEqual({ id: 'user:letters', name: 'letters', shape: [28, 28, 1], classes: 4 });
      expect(catalog.get('user:unsorted')).toEqual({ id: 'user:unsorted', name: 'unsorted', shape: [28, 28, 1] });
      expect(catalog.get('mnist')?.classes).toBe(10);
      const other = new DatasetCatalog();
      other.set([{ id: 'user:x', name: 'x', shape: [8, 8, 1], classes: 0 }]);
      expect(other.get('user:x')).toEqual({ id: 'user:x', name: 'x', shape: [8, 8, 1] });
    });

    it("the book's CGAN (10 classes, Embedding(10, …)) fed a 3-class folder is told on each label input and Embedding, in both languages", () => {
      const a = onShapes(10, 10);
      expect(a.ok).toBe(false);
      expect(found(a)).toEqual([
        ['error', 'd_label', 'graph.labelClasses'],
        ['error', 'g_label', 'graph.labelClasses'],
        ['warning', 'd_embed', 'graph.embeddingExtraRows'],
        ['warning', 'g_embed', 'graph.embeddingExtraRows'],
      ]);
      const label = a.diagnostics.find((d) => d.node === 'd_label')!;
      expect(texts(label)).toEqual(['This label input says 10 classes, but shapes has 3 (0 to 2): set Classes to 3.', '이 레이블 입력은 클래스가 10개라고 하지만 shapes에는 3개(0부터 2까지)가 있습니다. 클래스 수를 3(으)로 두세요.']);
      const embed = a.diagnostics.find((d) => d.node === 'g_embed')!;
      expect(embed.param).toBe('inputDim');
      expect(texts(embed)).toEqual([
        'This Embedding has 10 rows, but its labels come from shapes, with 3 classes: rows 3 to 9 will never be used. Set Input dimension to 3.',
        '이 Embedding의 행은 10개인데, 레이블은 클래스가 3개인 shapes에서 옵니다. 3번부터 9번 행은 쓰이지 않습니다. 입력 차원을 3(으)로 두세요.',
      ]);
    });

    it('with 3 classes and Embedding(3, …) there is nothing to say; Embedding(2, …) is too few rows', () => {
      expect(found(onShapes(3, 3))).toEqual([]);
      expect(onShapes(3, 3).ok).toBe(true);
      const few = onShapes(3, 2);
      expect(found(few)).toEqual([
        ['error', 'd_embed', 'graph.embeddingTooFewRows'],
        ['error', 'g_embed', 'graph.embeddingTooFewRows'],
      ]);
      expect(few.diagnostics[0].args).toMatchObject({ rows: 2, classes: 3, dataset: 'shapes', last: 2 });
    });

    it('an unlabelled folder is "no labels" by its name; a dataset this browser lacks gets only the image input\'s message', () => {
      const unsorted = onShapes(3, 3, 'user:unsorted');
      expect(found(unsorted)).toEqual([
        ['error', 'd_label', 'graph.labelsNoData'],
        ['error', 'g_label', 'graph.labelsNoData'],
      ]);
      expect(unsorted.diagnostics[0].args).toEqual({ dataset: 'unsorted' });
      const missing = onShapes(3, 3, 'user:gone');
      expect(missing.diagnostics.map((d) => [d.node, d.code])).toEqual([['d_image', 'shape.datasetUnknown']]);
    });
  });
});
