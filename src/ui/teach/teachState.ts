// The teaching UI's shared state and its link to the training worker. The walkthrough and model downloads talk to
// the same worker (and session) as the training panel, through the TrainingClient it created; no tfjs here.
import { get, writable } from 'svelte/store';
import type { WalkImages } from '../../train/walkthrough';
import { currentClient, TrainingClient } from '../training/trainingClient';

/** Which teaching panel is open over the canvas (one at a time, so they never cover each other). */
export const openPanel = writable<'learn' | 'walkthrough' | 'loaded' | null>(null);

/** The grid sampled from a generator file the person loaded, and the file's name. */
export const loadedSamples = writable<{ file: string; images: WalkImages } | null>(null);

export const togglePanel = (p: 'learn' | 'walkthrough') => openPanel.update((cur) => (cur === p ? null : p));

let own: TrainingClient | undefined;
/** The training panel's client; with the panel hidden (teacher mode), one of our own. */
export function trainingClient(): TrainingClient {
  const c = get(currentClient);
  if (c) return c;
  own ??= new TrainingClient();
  return own;
}


/** Saves bytes or text as a file through a temporary link (what the browser calls a download). */
export function saveFile(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
