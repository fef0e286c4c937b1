import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../graph/analyze';
import { presetDocument } from '../../testing/fixtures';
import { stageHighlight } from './highlight';
import { parseTeacherOptions, teacherLink } from './teacher';
import { conceptTooltip, nodeConcepts } from './concepts';

describe('stageHighlight on the preset', () => {
  const doc = presetDocument();
  const gan = analyzeGraph(doc).gan!;
  const roles = (id: Parameters<typeof stageHighlight>[0]) => stageHighlight(id, doc, gan)!;

  it('D steps update D and freeze G; the G step updates G and freezes the combiner and D', () => {
    const d = roles('dReal');
    expect(d.nodes).toMatchObject({ d_dense1: 'updated', d_dense2: 'updated', g_dense1: 'frozen', g_dense2: 'frozen', d_image: 'read' });
    expect(d.edges.e6).toBe('updated');
    const g = roles('gStep');
    expect(g.nodes).toMatchObject({ g_dense1: 'updated', g_reshape: 'updated', gan: 'frozen', d_dense1: 'frozen', g_z: 'read' });
    expect(g.edges).toMatchObject({ e2: 'updated', e10: 'updated', e11: 'frozen', e7: 'frozen' });
  });

  it('sampling reads the image input; G(z) reads the G chain; intro and log light nothing', () => {
    expect(roles('real').nodes).toEqual({ d_image: 'read' });
    expect(Object.values(roles('generate').nodes)).toEqual(['read', 'read', 'read', 'read', 'read']);
    expect(stageHighlight('intro', doc, gan)).toBeNull();
    expect(stageHighlight('log', doc, gan)).toBeNull();
  });
});

describe('teacher options', () => {
  it('reads readonly and the known hide names, ignoring others', () => {
    const o = parseTeacherOptions('?teacher=readonly&hide=palette,Save,bogus');
    expect(o.readonly).toBe(true);
    expect([...o.hide].sort()).toEqual(['palette', 'save']);
    expect(parseTeacherOptions('').readonly).toBe(false);
  });
  it('puts teacher=readonly before the #graph= fragment', () => {
    expect(teacherLink('http://x/app/#graph=abc')).toBe('http://x/app/?teacher=readonly#graph=abc');
  });
});

describe('concept tooltips', () => {
  it('follow the node type and Dense activation', () => {
    expect(nodeConcepts('Dense', { activation: 'tanh' })).toEqual(['tanh']);
    expect(nodeConcepts('Dense', { activation: 'none' })).toEqual([]);
    expect(conceptTooltip(nodeConcepts('LeakyReLU', {}), 'ko')).toContain('기울기');
  });
});
