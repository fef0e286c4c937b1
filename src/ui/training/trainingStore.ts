// The training stage the editor's canvas shows on its G and D groups. Written by the training panel from the
// worker's `stage` events, read by the canvas (src/ui/canvas/editor.ts): which network is being updated, which frozen.
import { writable } from 'svelte/store';
import { t, type Lang } from '../../i18n/ui';
import type { HealthNotice, Stage } from '../../worker/protocol';
import type { Msg } from '../../i18n/ui';
import type { ScorePoint, Scores } from '../../eval/scores';

/** null: not training. 'D': D updated, G frozen. 'G': G updated through D, D frozen. 'run': both, alternating. */
export const activeStage = writable<Stage | null>(null);

/**
 * The live run's quality meter, as the worker reported it (the runs library keeps `scores` with each run): the scored
 * checkpoints, real data's scores at the same N, what the last score cost, why the meter does not apply (else null),
 * and the health alerts of the last checkpoint.
 */
export const scores = writable<ScorePoint[]>([]);
export const qualityReference = writable<Scores | null>(null);
export const qualityCost = writable<{ ms: number; trainingMs?: number } | null>(null);
export const qualityOff = writable<Msg | null>(null);
export const healthAlerts = writable<{ iteration: number; alerts: HealthNotice[] } | null>(null);

export type GroupState = 'training' | 'frozen' | 'alternating';

export function groupState(net: 'generator' | 'discriminator', stage: Stage | null): GroupState | null {
  if (stage === null) return null;
  if (stage === 'run') return 'alternating';
  const updated = stage === 'D' ? 'discriminator' : 'generator';
  return net === updated ? 'training' : 'frozen';
}

/** A badge for a group box: text plus inline style, so the canvas needs no stylesheet changes. */
export function groupBadge(net: 'generator' | 'discriminator', stage: Stage | null, lang: Lang): HTMLElement | null {
  const state = groupState(net, stage);
  if (!state) return null;
  const el = document.createElement('div');
  el.className = `gan-group-stage gan-group-stage-${state}`;
  el.dataset.stage = state;
  el.textContent = t(`training.group.${state}`, {}, lang);
  const colours: Record<GroupState, [string, string]> = {
    training: ['#166534', '#dcfce7'],
    frozen: ['#1e3a8a', '#e0f2fe'],
    alternating: ['#854d0e', '#fef9c3'],
  };
  const [fg, bg] = colours[state];
  Object.assign(el.style, {
    position: 'absolute',
    right: '12px',
    top: '6px',
    padding: '1px 8px',
    borderRadius: '999px',
    font: '600 13px var(--ui-font)',
    color: fg,
    background: bg,
    whiteSpace: 'nowrap',
  });
  return el;
}
