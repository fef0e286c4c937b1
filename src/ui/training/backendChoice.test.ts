import { describe, expect, it } from 'vitest';
import { loadBackendChoice, saveBackendChoice } from './backendChoice';

describe('backend choice', () => {
  it('keeps the choice across reloads and ignores anything unknown', () => {
    const m = new Map<string, string>();
    const storage = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    expect(loadBackendChoice(storage)).toBe('auto');
    saveBackendChoice('webgl', storage);
    expect(loadBackendChoice(storage)).toBe('webgl');
    m.set('ganvas.backend', 'gpu-magic');
    expect(loadBackendChoice(storage)).toBe('auto');
  });
});
