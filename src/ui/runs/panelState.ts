// Whether the runs library is open (the File menu opens it; Escape, × and Reopen close it).
import { writable } from 'svelte/store';

export const runsPanelOpen = writable(false);
export const openRunsPanel = () => runsPanelOpen.set(true);
export const closeRunsPanel = () => runsPanelOpen.set(false);
