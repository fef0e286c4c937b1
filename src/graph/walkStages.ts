// The walkthrough's stage names, apart from walkthrough.ts so the page can list them without loading tfjs.
export type WalkStageId = 'real' | 'generate' | 'dReal' | 'dFake' | 'gStep' | 'log';
export const WALK_STAGES: readonly WalkStageId[] = ['real', 'generate', 'dReal', 'dFake', 'gStep', 'log'];
