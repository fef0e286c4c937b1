// Vite's client types: `?url` asset imports and import.meta.env, used by the worker and the training client.
/// <reference types="vite/client" />
