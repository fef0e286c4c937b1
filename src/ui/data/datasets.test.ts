// What a drop gives the Data panel: folder entries walked into files with their paths (the browser hands out at most
// ~100 entries per readEntries call), a file limit that stops the walk, an unreadable folder named; files without
// entries taken as they are. The entries here follow the FileSystem API a browser drop gives (e2e/data.spec.ts drops
// a real folder in Chromium).
import { describe, expect, it } from 'vitest';
import { catalogEntry, DataError } from '../../data/dataset';
import { captureDrop, classNamesOf, droppedFiles, loadingText, nameOf, type Drop } from './datasets';
import { t } from '../../i18n/ui';

type Tree = { [name: string]: Tree | string };

/** FileSystemEntry look-alikes for a folder tree; readEntries gives `batch` entries per call, as browsers do. */
function entry(name: string, node: Tree | string, parent = '', batch = 100, fail?: string): FileSystemEntry {
  const fullPath = `${parent}/${name}`;
  if (typeof node === 'string') {
    return { name, fullPath, isFile: true, isDirectory: false, file: (ok: (f: File) => void) => ok(new File([node], name)) } as unknown as FileSystemEntry;
  }
  const children = Object.entries(node).map(([n, c]) => entry(n, c, fullPath, batch, fail));
  return {
    name,
    fullPath,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok: (e: FileSystemEntry[]) => void, bad: (e: unknown) => void) => {
          if (fail === name) return bad(Object.assign(new Error('gone'), { name: 'NotFoundError' }));
          ok(children.slice(at, (at += batch)));
        },
      };
    },
  } as unknown as FileSystemEntry;
}

const folder = (classes: string[], per: number): Tree => Object.fromEntries(classes.map((c) => [c, Object.fromEntries(Array.from({ length: per }, (_, i) => [`${i}.png`, `${c}${i}`]))]));

describe('a dropped folder walked into its files', () => {
  it('every file with its path below the dropped folder, across many readEntries calls', async () => {
    const drop: Drop = { entries: [entry('shapes', folder(['circle', 'cross', 'square'], 250), '', 100)], files: [] };
    const seen: number[] = [];
    const files = await droppedFiles(drop, (n) => seen.push(n));
    expect(files).toHaveLength(750);
    expect(new Set(files.map((f) => f.path)).size).toBe(750);
    expect(files.map((f) => f.path)).toContain('shapes/cross/249.png');
    expect(await files.find((f) => f.path === 'shapes/square/7.png')!.file.text()).toBe('square7');
    expect(seen.at(-1)).toBe(750);
    expect(nameOf(files)).toBe('shapes');
  });

  it('class folders dropped side by side, and loose files beside them', async () => {
    const loose = new File(['x'], 'extra.png');
    const drop: Drop = { entries: [entry('circle', folder(['a'], 2).a), entry('cross', folder(['b'], 3).b)], files: [{ path: 'extra.png', file: loose }] };
    const files = await droppedFiles(drop);
    expect(files.map((f) => f.path).sort()).toEqual(['circle/0.png', 'circle/1.png', 'cross/0.png', 'cross/1.png', 'cross/2.png', 'extra.png']);
  });

  it('past the file limit the walk stops with data.tooManyFiles; an unreadable folder is named', async () => {
    const big: Drop = { entries: [entry('many', folder(['a', 'b'], 30))], files: [] };
    await expect(droppedFiles(big, undefined, 50)).rejects.toMatchObject({ code: 'data.tooManyFiles', args: { where: 'many', limit: 50 } });
    const broken: Drop = { entries: [entry('shapes', folder(['circle', 'cross'], 2), '', 100, 'cross')], files: [] };
    const e = await droppedFiles(broken).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect(e).toMatchObject({ code: 'data.fileGone', args: { where: 'shapes/cross' } });
  });

  it('captureDrop: entries where the browser gives them, else the files with their folder path', () => {
    const withPath = new File(['p'], '1.png');
    Object.defineProperty(withPath, 'webkitRelativePath', { value: 'drawn/circle/1.png' });
    const dir = entry('shapes', folder(['a'], 1));
    const items = [
      { kind: 'file', webkitGetAsEntry: () => dir, getAsFile: () => null },
      { kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => withPath },
      { kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null },
    ];
    const drop = captureDrop({ items, files: [] } as unknown as DataTransfer);
    expect(drop.entries).toEqual([dir]);
    expect(drop.files.map((f) => f.path)).toEqual(['drawn/circle/1.png']);
    expect(captureDrop({ items: [{ kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null }], files: [] } as unknown as DataTransfer)).toEqual({ entries: [], files: [] });
  });
});

describe('what the training panel says about the dataset', () => {
  const doc = (dataset: string) => ({ nodes: [{ type: 'ImageInput', params: { dataset } }] });
  const list = [catalogEntry({ id: 'user:shapes', name: 'shapes', shape: [28, 28, 1], classNames: ['circle', 'cross'] })];
  it('names the dataset being loaded, in English and Korean', () => {
    const en = { t: (k: string, a?: Record<string, string | number>) => t(k, a, 'en') };
    const ko = { t: (k: string, a?: Record<string, string | number>) => t(k, a, 'ko') };
    expect(loadingText(doc('mnist'), list, en)).toBe('Loading MNIST…');
    expect(loadingText(doc('user:shapes'), list, en)).toBe('Loading your dataset "shapes"…');
    expect(loadingText(doc('user:shapes'), list, ko)).toBe('내 데이터셋 "shapes" 불러오는 중…');
    expect(loadingText(doc('user:gone'), list, en)).toBe('Loading your dataset "gone"…');
  });
  it('class names for the labelled grid come from the folders; MNIST has none (digits)', () => {
    expect(classNamesOf(doc('user:shapes'), list)).toEqual(['circle', 'cross']);
    expect(classNamesOf(doc('mnist'), list)).toBeUndefined();
  });
});
