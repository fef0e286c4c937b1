// The quality meter's thresholds as plain numbers, free of tfjs, so the page can draw them (the coverage histogram's
// 2% line) without loading the classifier's module.

/** A digit counts as covered when at least this share of the samples are classified as it. */
export const COVERAGE_THRESHOLD = 0.02;
