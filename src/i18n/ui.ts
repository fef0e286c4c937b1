// The editor's own strings in every language, and the current-language store. Engine diagnostics come from
// messages.ts and node texts from each NodeDef; everything a person reads in the UI passes through here.
import { derived, writable, type Readable } from 'svelte/store';
import type { LocalizedText } from '../nodes/types';
import { engineMessage, formatTemplate, LANGS, type Lang } from './messages';

export type { Lang };

export const UI_MESSAGES: Record<Lang, Record<string, string>> = {
  en: {
    'app.title': 'Ganvas',
    'app.tagline': 'Build a GAN by wiring nodes',
    'toolbar.label': 'Editor actions',
    'toolbar.new': 'New graph',
    'toolbar.preset': 'Load MNIST preset',
    'toolbar.undo': 'Undo',
    'toolbar.redo': 'Redo',
    'toolbar.save': 'Save',
    'toolbar.open': 'Open',
    'toolbar.share': 'Copy share link',
    'toolbar.arrange': 'Arrange',
    'toolbar.language': 'Language',
    'toolbar.shareField': 'Share link',
    'toolbar.graphName': 'Graph name',
    'lang.en': 'English',
    'lang.ko': '한국어',
    'status.totals': 'G {g} · D {d}',
    'status.ready': 'Ready to train',
    'status.errors': '{count} problems to fix',
    'status.graphProblems': 'Graph problems',
    'palette.heading': 'Nodes',
    'palette.hint': 'Drag onto the canvas, or press Enter to add at the centre.',
    'canvas.label': 'Graph canvas',
    'canvas.generator': 'Generator · {count} params',
    'canvas.discriminator': 'Discriminator · {count} params',
    'canvas.delete': 'Delete',
    'canvas.add': 'Add node',
    'node.params': '{count} params',
    'node.noParams': 'no weights',
    'inspector.heading': 'Inspector',
    'inspector.empty': 'Select a node to edit it.',
    'inspector.many': '{count} nodes selected.',
    'inspector.id': 'Node id',
    'inspector.label': 'Label',
    'inspector.params': 'Parameters',
    'inspector.noParams': 'This node has no parameters.',
    'inspector.explain': 'Explain',
    'inspector.shape': 'Output shape',
    'inspector.count': 'Trainable parameters',
    'inspector.unknown': 'unknown',
    'inspector.problems': 'Problems',
    'inspector.delete': 'Delete node',
    'notice.locked': 'Editing is paused while training runs.',
    'notice.dismiss': 'Dismiss',
    'notice.autosaveBad': 'The autosaved graph could not be read, so it was ignored.',
    'notice.linkBad': 'The graph in this link could not be loaded:',
    'notice.openFailed': 'Could not open "{file}"; the graph was not changed:',
    'notice.opened': 'Opened "{name}".',
    'notice.linkCopied': 'Share link copied to the clipboard.',
    'notice.linkNotCopied': 'Could not reach the clipboard: copy the link from the field.',
    'notice.pasted': 'Pasted {count} nodes.',
    'notice.linkLoaded': 'Loaded the graph from the link.',
    'notice.arrangeFailed': 'Automatic arrangement failed: {detail}',
    'notice.storageFull': 'Could not autosave: {detail}',
    'connect.sameSide': 'a connection runs from an output (right side) to an input (left side).',
  },
  ko: {
    'app.title': 'Ganvas',
    'app.tagline': '노드를 이어 GAN을 만들어 보세요',
    'toolbar.label': '편집 동작',
    'toolbar.new': '새 그래프',
    'toolbar.preset': 'MNIST 예제 불러오기',
    'toolbar.undo': '실행 취소',
    'toolbar.redo': '다시 실행',
    'toolbar.save': '저장',
    'toolbar.open': '열기',
    'toolbar.share': '공유 링크 복사',
    'toolbar.arrange': '자동 정렬',
    'toolbar.language': '언어',
    'toolbar.shareField': '공유 링크',
    'toolbar.graphName': '그래프 이름',
    'lang.en': 'English',
    'lang.ko': '한국어',
    'status.totals': 'G {g} · D {d}',
    'status.ready': '학습 준비 완료',
    'status.errors': '고칠 문제 {count}개',
    'status.graphProblems': '그래프 문제',
    'palette.heading': '노드',
    'palette.hint': '캔버스로 끌어다 놓거나 Enter를 눌러 가운데에 추가하세요.',
    'canvas.label': '그래프 캔버스',
    'canvas.generator': '생성자 · 파라미터 {count}개',
    'canvas.discriminator': '판별자 · 파라미터 {count}개',
    'canvas.delete': '삭제',
    'canvas.add': '노드 추가',
    'node.params': '파라미터 {count}개',
    'node.noParams': '가중치 없음',
    'inspector.heading': '속성',
    'inspector.empty': '편집할 노드를 선택하세요.',
    'inspector.many': '노드 {count}개를 선택했습니다.',
    'inspector.id': '노드 id',
    'inspector.label': '이름표',
    'inspector.params': '파라미터',
    'inspector.noParams': '이 노드에는 파라미터가 없습니다.',
    'inspector.explain': '설명 보기',
    'inspector.shape': '출력 모양',
    'inspector.count': '학습되는 파라미터',
    'inspector.unknown': '알 수 없음',
    'inspector.problems': '문제',
    'inspector.delete': '노드 삭제',
    'notice.locked': '학습하는 동안에는 편집할 수 없습니다.',
    'notice.dismiss': '닫기',
    'notice.autosaveBad': '자동 저장된 그래프를 읽을 수 없어 무시했습니다.',
    'notice.linkBad': '이 링크의 그래프를 불러올 수 없습니다:',
    'notice.openFailed': '"{file}"을(를) 열 수 없습니다. 그래프는 바뀌지 않았습니다:',
    'notice.opened': '"{name}"을(를) 열었습니다.',
    'notice.linkCopied': '공유 링크를 클립보드에 복사했습니다.',
    'notice.linkNotCopied': '클립보드를 쓸 수 없습니다. 입력란의 링크를 복사하세요.',
    'notice.pasted': '노드 {count}개를 붙여 넣었습니다.',
    'notice.linkLoaded': '링크의 그래프를 불러왔습니다.',
    'notice.arrangeFailed': '자동 정렬에 실패했습니다: {detail}',
    'notice.storageFull': '자동 저장하지 못했습니다: {detail}',
    'connect.sameSide': '연결은 출력(오른쪽)에서 입력(왼쪽)으로 이어야 합니다.',
  },
};

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

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);

/** A UI string in the given language; falls back to English, then the key, so nothing renders blank. */
export function t(key: string, args?: Record<string, string | number>, language: Lang = 'en'): string {
  const template = UI_MESSAGES[language][key] ?? UI_MESSAGES.en[key] ?? key;
  return formatTemplate(template, args);
}

/** A message stored for later display (notices), rendered in whatever language is current when shown. */
export interface Msg {
  scope: 'ui' | 'engine';
  key: string;
  args?: Record<string, string | number>;
  /** Arguments that are themselves messages (e.g. the `reason` of connect.refused). */
  nested?: Record<string, Msg>;
}

export function renderMsg(m: Msg, language: Lang): string {
  const args: Record<string, string | number> = { ...(m.args ?? {}) };
  for (const [k, v] of Object.entries(m.nested ?? {})) args[k] = renderMsg(v, language);
  return m.scope === 'engine' ? engineMessage(m.key, args, language) : t(m.key, args, language);
}

export const formatCount = (n: number, language: Lang): string => n.toLocaleString(language === 'ko' ? 'ko-KR' : 'en-US');

export interface Translator {
  lang: Lang;
  t(key: string, args?: Record<string, string | number>): string;
  msg(m: Msg): string;
  engine(code: string, args?: Record<string, string | number>): string;
  text(l: LocalizedText): string;
  count(n: number): string;
}

/** `$ui.t('toolbar.undo')` in components: re-renders when the language changes. */
export const ui: Readable<Translator> = derived(lang, (l): Translator => ({
  lang: l,
  t: (key, args) => t(key, args, l),
  msg: (m) => renderMsg(m, l),
  engine: (code, args) => engineMessage(code, args, l),
  text: (x) => x[l] || x.en,
  count: (n) => formatCount(n, l),
}));
