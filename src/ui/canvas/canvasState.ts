// The canvas's own interaction state, beside the document store's selection: the selected edge, a connection being
// made with the keyboard, and the node search (opened by double-click, Space or a wire dropped on empty canvas).
import { writable } from 'svelte/store';
import type { Point } from '../../graph/document';

export interface SocketRef {
  nodeId: string;
  side: 'input' | 'output';
  key: string;
}

export interface SearchRequest {
  /** Where the new node goes, in area coordinates. */
  at: Point;
  /** Where the search box opens, in pixels inside the canvas. */
  screen: Point;
  /** A socket the new node gets connected to (a wire dropped on empty canvas). */
  from?: SocketRef;
}

export const selectedEdge = writable<string | null>(null);
export const keyboardConnect = writable<SocketRef | null>(null);
export const nodeSearch = writable<SearchRequest | null>(null);
/** True below the zoom where node details get too small to read: nodes then show title and shape in large type. */
export const simplified = writable(false);
