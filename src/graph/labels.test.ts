// A conditional GAN's labels checked against its data before any training: each mismatch is a message on the node
// to change, in English and Korean.
import { describe, expect, it } from 'vitest';
import { analyzeGraph, type Diagnostic, type Report } from './analyze';
import { validateGraph } from './validate';
import { topology } from './topology';
import { findRoles } from './roles';
import { checkLabels } from './labels';
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
    checkLabels(g, t, network, report, () => undefined);
    expect(e.map((d) => [d.node, d.code]).sort()).toEqual([['d_label', 'graph.labelsNoData'], ['g_label', 'graph.labelsNoData']]);
    expect(e[0].args).toEqual({ dataset: 'mnist' });
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
});
