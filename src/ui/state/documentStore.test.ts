import { describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { createDocumentStore } from './documentStore';
import { presetDocument } from './persistence';

describe('document store history', () => {
  it('undoes and redoes parameter edits, moves, adds and deletes', () => {
    const s = createDocumentStore(presetDocument());
    expect(get(s.derived).totals.generator).toBe(114_064);
    s.setParam('g_dense1', 'units', 256);
    expect(get(s.derived).totals.generator).toBe(227_344);
    s.moveNodes({ g_z: { x: 10, y: 20 } });
    const id = s.addNode('Dense', { x: 5, y: 5 })!;
    expect(get(s.selection)).toEqual([id]);
    s.removeNodes(['g_lrelu']);
    expect(s.get().edges.some((e) => e.to.node === 'g_lrelu' || e.from.node === 'g_lrelu')).toBe(false);
    s.undo(); // delete
    expect(s.get().nodes.some((n) => n.id === 'g_lrelu')).toBe(true);
    s.undo(); // add
    expect(s.get().nodes.some((n) => n.id === id)).toBe(false);
    expect(get(s.selection)).toEqual([]);
    s.undo(); // move
    expect(s.get().nodes.find((n) => n.id === 'g_z')!.position).toEqual({ x: 0, y: 0 });
    s.undo(); // param
    expect(get(s.derived).totals.generator).toBe(114_064);
    expect(s.undo()).toBe(false);
    s.redo();
    expect(get(s.derived).totals.generator).toBe(227_344);
    expect(get(s.history)).toEqual({ canUndo: true, canRedo: true });
  });

  it('groups a transaction into one undo step and skips no-op edits', () => {
    const s = createDocumentStore(presetDocument());
    s.begin();
    s.setParam('g_dense1', 'units', 2);
    s.setParam('g_dense1', 'units', 25);
    s.setParam('g_dense1', 'units', 256);
    s.end();
    expect(s.setParam('g_dense1', 'units', 256)).toBe(false);
    s.undo();
    expect(s.get().nodes.find((n) => n.id === 'g_dense1')!.params.units).toBe(128);
    expect(get(s.history).canUndo).toBe(false);
  });

  it('pastes with fresh ids and the edges between copied nodes', () => {
    const s = createDocumentStore(presetDocument());
    s.selection.set(['g_dense1', 'g_lrelu']);
    const clip = s.copySelection()!;
    expect(clip.edges.map((e) => e.id)).toEqual(['e2']);
    const ids = s.paste(clip);
    expect(ids).toHaveLength(2);
    expect(ids.some((id) => id === 'g_dense1' || id === 'g_lrelu')).toBe(false);
    const pasted = s.get().edges.filter((e) => ids.includes(e.from.node) && ids.includes(e.to.node));
    expect(pasted).toHaveLength(1);
    expect(s.get().nodes.find((n) => n.id === ids[0])!.position).toEqual({ x: 300, y: 40 });
  });

  it('refuses edits with a notice while locked', () => {
    const s = createDocumentStore(presetDocument());
    s.setLocked(true);
    expect(s.setParam('g_dense1', 'units', 5)).toBe(false);
    expect(get(s.notice)?.message.key).toBe('notice.locked');
    expect(s.get().nodes.find((n) => n.id === 'g_dense1')!.params.units).toBe(128);
    s.setLocked(false);
    expect(s.setParam('g_dense1', 'units', 5)).toBe(true);
  });
});
