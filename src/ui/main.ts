// Entry point: pick the starting document (link → autosave → preset), create the store, mount the app.
import { mount } from 'svelte';
import App from './App.svelte';
import { createDocumentStore } from './state/documentStore';
import { startAutosave, startupDocument } from './state/persistence';

const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage blocked: the editor still works, without autosave
  }
})();

const start = startupDocument(storage, location.hash);
export const store = createDocumentStore(start.doc);
// A loaded link has done its job; later reloads should show the person's own (autosaved) edits.
if (location.hash.startsWith('#graph=')) history.replaceState(null, '', location.pathname + location.search);
for (const n of start.notices) store.notify(n.kind, n.message, n.details);
if (storage) startAutosave(store, storage);

// A handle for the console and for tests (e.g. emulating the training lock); the app itself passes `store` as a prop.
(window as unknown as { ganvas: { store: typeof store } }).ganvas = { store };

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
mount(App, { target, props: { store } });
