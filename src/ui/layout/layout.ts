// Which arrangement of the editor fits the window: 'wide' keeps palette | canvas | inspector with training below,
// 'medium' (e.g. 1024×768) folds palette and inspector into one tabbed column, 'phone' (≤ 600 px) shows one view
// at a time behind tabs so the canvas gets the whole width.
import { readable, writable } from 'svelte/store';

export type Layout = 'wide' | 'medium' | 'phone';
export const PHONE_MAX = 600;
export const MEDIUM_MAX = 1359;

export function layoutFor(width: number): Layout {
  if (width <= PHONE_MAX) return 'phone';
  if (width <= MEDIUM_MAX) return 'medium';
  return 'wide';
}

export const layout = readable<Layout>(typeof window === 'undefined' ? 'wide' : layoutFor(window.innerWidth), (set) => {
  if (typeof window === 'undefined') return;
  const update = () => set(layoutFor(window.innerWidth));
  window.addEventListener('resize', update);
  update();
  return () => window.removeEventListener('resize', update);
});

/** The view a phone shows, or the side column's tab on a medium window. */
export type View = 'canvas' | 'nodes' | 'inspector' | 'training';
export const phoneView = writable<View>('canvas');
export const sideTab = writable<'nodes' | 'inspector'>('nodes');

/** Shows a panel wherever the current layout keeps it (e.g. the inspector after picking a node). */
export function reveal(view: Exclude<View, 'canvas' | 'training'>, current: Layout) {
  if (current === 'medium') sideTab.set(view);
  if (current === 'phone' && view !== 'nodes') phoneView.set(view);
}
