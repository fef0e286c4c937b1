// Which backend a run uses. "Auto" (the default) is WebGL on a hardware GPU and WASM where WebGL is drawn by the CPU
// or missing; the worker decides it (src/worker/autoBackend.ts) and the panel shows why. The person's choice is kept
// in localStorage so a reload keeps it.
import type { BackendName } from '../../worker/protocol';

export type BackendChoice = 'auto' | BackendName;
// Listed here rather than imported from src/train/backend, which would pull tfjs into the page's bundle.
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgl', 'wasm', 'cpu'];
const KEY = 'ganvas.backend';

export function loadBackendChoice(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): BackendChoice {
  try {
    const v = storage?.getItem(KEY);
    return (BACKEND_CHOICES as readonly string[]).includes(v ?? '') ? (v as BackendChoice) : 'auto';
  } catch {
    return 'auto';
  }
}

export function saveBackendChoice(choice: BackendChoice, storage: Pick<Storage, 'setItem'> | undefined = safeStorage()): void {
  try {
    storage?.setItem(KEY, choice);
  } catch {
    // Not keeping the choice only means Auto after a reload.
  }
}

function safeStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
