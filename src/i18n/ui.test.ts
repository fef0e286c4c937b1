import { describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../nodes/registry';
import { ENGINE_MESSAGES, LANGS } from './messages';
import { plural, t, UI_MESSAGES } from './ui';
import { allTeachTexts } from '../ui/teach/concepts';

describe('UI strings', () => {
  const keys = new Set(LANGS.flatMap((l) => Object.keys(UI_MESSAGES[l])));
  // `key.one` etc. are plural forms: a language needs only the forms its plural rules have (Korean has none).
  const PLURAL = /\.(zero|one|two|few|many)$/;
  const needed = (l: string, k: string) => {
    const m = PLURAL.exec(k);
    return !m || (new Intl.PluralRules(l).resolvedOptions().pluralCategories as string[]).includes(m[1]);
  };
  for (const l of LANGS) {
    it(`has every key, non-empty, in ${l}`, () => {
      const missing = [...keys].filter((k) => needed(l, k) && !UI_MESSAGES[l][k]?.trim());
      expect(missing).toEqual([]);
    });
  }
  it('keeps the same {placeholders} in every language', () => {
    for (const k of [...keys].filter((k) => !PLURAL.test(k))) {
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(ph(UI_MESSAGES.ko[k]), k).toEqual(ph(UI_MESSAGES.en[k]));
    }
  });
  it('picks plural forms by the language\'s rules', () => {
    expect(plural('status.errors', 1)).toBe('1 problem to fix');
    expect(plural('status.errors', 3)).toBe('3 problems to fix');
    expect(plural('status.errors', 1, {}, 'ko')).toBe('고칠 문제 1개');
    expect(plural('node.params', 1234)).toBe('1,234 params');
  });
  it('formats arguments', () => {
    expect(t('status.totals', { g: '114,064', d: '100,609' })).toBe('G 114,064 · D 100,609');
    expect(t('canvas.generator', { count: '1' }, 'ko')).toBe('생성자 · 파라미터 1개');
  });
});

describe('node texts', () => {
  for (const def of NODE_TYPES) {
    it(`${def.type} has en and ko title, summary, teach, socket and param labels`, () => {
      const texts = [def.title, def.summary, def.teach, ...def.params.map((p) => p.label), ...def.inputs.map((s) => s.label), ...def.outputs.map((s) => s.label)];
      for (const x of texts) for (const l of LANGS) expect(x[l]?.trim(), `${def.type} ${l}`).toBeTruthy();
    });
  }
});

describe('engine messages', () => {
  it('exist in Korean for every English code', () => {
    const missing = Object.keys(ENGINE_MESSAGES.en).filter((k) => !ENGINE_MESSAGES.ko[k]?.trim());
    expect(missing).toEqual([]);
  });
});

describe('teaching texts (src/ui/teach/concepts.ts)', () => {
  it('have every text, non-empty, in every language, with the same {placeholders}', () => {
    const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const x of allTeachTexts()) {
      for (const l of LANGS) expect(x[l]?.trim(), `${x.en.slice(0, 40)} (${l})`).toBeTruthy();
      expect(ph(x.ko), x.en.slice(0, 40)).toEqual(ph(x.en));
    }
  });
});
