// The Korean web font. Noto Sans KR comes from npm (@fontsource/noto-sans-kr) and is split into ~120 unicode-range
// subsets, so a page downloads only the subsets its Hangul needs; the stylesheet itself is loaded only when the
// Korean UI is first shown, so English pages fetch nothing of it. Latin text keeps the system font (listed first).
let loading: Promise<unknown> | undefined;

export function loadKoreanFont(): Promise<unknown> {
  loading ??= Promise.all([import('@fontsource/noto-sans-kr/400.css'), import('@fontsource/noto-sans-kr/700.css')]).catch((e) => {
    loading = undefined;
    console.warn('Korean font could not be loaded', e);
  });
  return loading;
}
