// Teacher mode from the page address, in the manner of TensorFlow Playground:
//   ?teacher=readonly          the graph is read-only (every edit is refused with "read-only in teacher mode");
//                              learners can still train, walk through and download
//   ?hide=palette,inspector,…  hides parts of the screen; names in HIDEABLE
// Options combine with &; they sit in the query, so the #graph= of a share link still works with them.
// The Learn panel's "For teachers" section (concepts.ts) documents the same options for people.

export const HIDEABLE = ['palette', 'inspector', 'training', 'new', 'preset', 'edit', 'save', 'open', 'share', 'language', 'learn', 'walkthrough', 'export', 'models'] as const;
export type Hideable = (typeof HIDEABLE)[number];

export interface TeacherOptions {
  readonly: boolean;
  hide: ReadonlySet<Hideable>;
}

export function parseTeacherOptions(search: string): TeacherOptions {
  const q = new URLSearchParams(search);
  const hide = new Set<Hideable>();
  for (const part of (q.getAll('hide').join(',') || '').split(',')) {
    const name = part.trim().toLowerCase();
    if ((HIDEABLE as readonly string[]).includes(name)) hide.add(name as Hideable);
  }
  return { readonly: q.get('teacher')?.toLowerCase() === 'readonly', hide };
}

/** This page's options; read once, since they come with the address. */
export const teacher: TeacherOptions = parseTeacherOptions(typeof location === 'undefined' ? '' : location.search);

export const shown = (name: Hideable): boolean => !teacher.hide.has(name);

/** A share link turned into a read-only teacher link (the query goes before the #graph= fragment). */
export function teacherLink(shareLink: string): string {
  const url = new URL(shareLink);
  url.searchParams.set('teacher', 'readonly');
  return url.href;
}
