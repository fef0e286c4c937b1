// The page's current language as Svelte stores; the strings themselves are src/i18n (framework-free).
import { derived, writable, type Readable } from 'svelte/store';
import { translator, type Lang, type Translator } from '../../i18n/ui';

const LANG_KEY = 'ganvas.lang';

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'ko') return saved;
  } catch {
    // Storage can be blocked (privacy settings); fall back to the browser language.
  }
  const nav = typeof navigator !== 'undefined' ? navigator.language : 'en';
  return nav?.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** The current language; persisted so a reload keeps it. */
export const lang = writable<Lang>(initialLang());
lang.subscribe((l) => {
  try {
    globalThis.localStorage?.setItem(LANG_KEY, l);
  } catch {
    // Not persisting the language is harmless.
  }
});

/** `$ui.t('toolbar.undo')` in components: re-renders when the language changes. */
export const ui: Readable<Translator> = derived(lang, translator);
