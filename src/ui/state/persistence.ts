// Where documents come from and go: the share-link fragment, the autosave in localStorage, the bundled preset,
// file download/upload. Everything loaded passes decodeDocument; nothing here throws on bad input.
import presetJson from '../../../presets/mnist-gan.json';
import { decodeDocument, decodeDocumentFromUrl, encodeDocumentForUrl, parseDocument, serializeDocument, type DecodeResult, type GraphDocument, type LoadError } from '../../graph/document';
import type { DocumentStore, Notice } from './documentStore';

export const AUTOSAVE_KEY = 'ganvas.autosave.v1';
export const AUTOSAVE_DELAY_MS = 250;

export function presetDocument(): GraphDocument {
  const r = decodeDocument(presetJson);
  if (!r.ok) throw new Error(`The bundled preset is invalid: ${r.errors.map((e) => `${e.path} ${e.code}`).join('; ')}`);
  return r.doc;
}

export const loadErrorDetails = (errors: LoadError[]): NonNullable<Notice['details']> =>
  errors.map((e) => ({ path: e.path, message: { scope: 'engine' as const, key: e.code, args: e.args } }));

export interface Startup {
  doc: GraphDocument;
  notices: Omit<Notice, 'id'>[];
}

/** Link first (`#graph=`), then the autosave, then the MNIST preset for a first visit. */
export function startupDocument(storage: Storage | undefined, hash: string): Startup {
  const notices: Startup['notices'] = [];
  const m = /^#graph=([A-Za-z0-9_-]+)$/.exec(hash);
  if (m) {
    const r = decodeDocumentFromUrl(m[1]);
    if (r.ok) return { doc: r.doc, notices: [{ kind: 'info', message: { scope: 'ui', key: 'notice.linkLoaded' } }] };
    notices.push({ kind: 'error', message: { scope: 'ui', key: 'notice.linkBad' }, details: loadErrorDetails(r.errors) });
  } else if (hash.startsWith('#graph=')) {
    notices.push({ kind: 'error', message: { scope: 'ui', key: 'notice.linkBad' }, details: loadErrorDetails([{ path: '(link)', code: 'load.badLink' }]) });
  }
  let saved: string | null = null;
  try {
    saved = storage?.getItem(AUTOSAVE_KEY) ?? null;
  } catch {
    saved = null;
  }
  if (saved !== null) {
    const r = parseDocument(saved);
    if (r.ok) return { doc: r.doc, notices };
    notices.push({ kind: 'error', message: { scope: 'ui', key: 'notice.autosaveBad' }, details: loadErrorDetails(r.errors) });
    // The next autosave overwrites the slot: keep the unreadable text aside so a person (or support) can still recover it.
    try {
      storage?.setItem(`${AUTOSAVE_KEY}.unreadable`, saved);
    } catch {
      // Storage full or blocked: nothing more to do; the notice above already said the autosave was ignored.
    }
  }
  return { doc: presetDocument(), notices };
}

/** Writes the document to storage shortly after each change (debounced), well within a second. */
export function startAutosave(store: DocumentStore, storage: Storage): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let first = true;
  const save = (doc: GraphDocument) => {
    try {
      storage.setItem(AUTOSAVE_KEY, serializeDocument(doc));
    } catch (e) {
      store.notify('error', { scope: 'ui', key: 'notice.storageFull', args: { detail: (e as Error).message } });
    }
  };
  const unsub = store.doc.subscribe((doc) => {
    if (timer) clearTimeout(timer);
    if (first) {
      // Persist the starting document at once so a reload right away finds it.
      first = false;
      save(doc);
      return;
    }
    timer = setTimeout(() => save(doc), AUTOSAVE_DELAY_MS);
  });
  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
      save(store.get());
    }
  };
  window.addEventListener('pagehide', flush);
  return () => {
    flush();
    unsub();
    window.removeEventListener('pagehide', flush);
  };
}

export function fileNameFor(doc: GraphDocument): string {
  const base = doc.name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'ganvas-graph';
  return `${base}.json`;
}

export function downloadDocument(doc: GraphDocument) {
  const blob = new Blob([serializeDocument(doc)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameFor(doc);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function readDocumentFile(file: File): Promise<DecodeResult> {
  return parseDocument(await file.text());
}

export function shareLink(doc: GraphDocument, base: string): string {
  return `${base}#graph=${encodeDocumentForUrl(doc)}`;
}
