// The principle as one test helper: while D trains nothing of G changes, while G trains nothing of D changes, and
// each stage moves every variable of its own network — trained weights and batch-norm moving statistics alike.
// Every suite that trains a kind of graph (classic, branching, conditional, DCGAN) proves it through this one piece.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { CompiledGan } from '../train/compile';

/** The two stages of an iteration; a GanTrainer is one. Whatever a stage returns (tensors or not) is disposed. */
export interface StageSteps {
  stepD(): unknown;
  stepG(): unknown;
}

export interface StageIsolationOptions {
  /**
   * Also require tf.memory().numTensors after every iteration to equal its count after the first (optimizer slots
   * are made on the first step). Default true.
   */
  flatTensors?: boolean;
}

/** Every variable of each network by name: trained or not, as the compiled lists and the tfjs models both know them. */
export function stageVariables(gan: CompiledGan): { generator: Map<string, tf.Variable>; discriminator: Map<string, tf.Variable> } {
  const of = (all: tf.Variable[], model: tf.LayersModel) => {
    const byName = new Map<string, tf.Variable>();
    for (const v of [...all, ...model.weights.map((w) => w.read() as tf.Variable)]) {
      const seen = byName.get(v.name);
      if (seen && seen !== v) throw new Error(`two variables named ${v.name}`);
      byName.set(v.name, v);
    }
    return byName;
  };
  const generator = of(gan.gAllVariables, gan.generator);
  const discriminator = of(gan.dAllVariables, gan.discriminator);
  const shared = [...generator.keys()].filter((k) => discriminator.has(k));
  if (shared.length) throw new Error(`variables in both G and D: ${shared.join(', ')}`);
  // The combined model trains through G into D: it must hold nothing the two lists miss.
  const stray = gan.combined.weights.map((w) => (w.read() as tf.Variable).name).filter((k) => !generator.has(k) && !discriminator.has(k));
  if (stray.length) throw new Error(`variables of the combined model in neither G nor D: ${stray.join(', ')}`);
  return { generator, discriminator };
}

const snapshot = (vars: Map<string, tf.Variable>) => new Map([...vars].map(([k, v]) => [k, (v.dataSync() as Float32Array).slice()]));
const changedNames = (before: Map<string, Float32Array>, vars: Map<string, tf.Variable>) =>
  [...vars].filter(([k, v]) => !v.dataSync().every((x, j) => x === before.get(k)![j])).map(([k]) => k);
const unchangedNames = (before: Map<string, Float32Array>, vars: Map<string, tf.Variable>) => {
  const moved = new Set(changedNames(before, vars));
  return [...vars.keys()].filter((k) => !moved.has(k));
};

/** Fails naming the variables (vitest's diff would elide a long list as `[ …(12) ]`). */
const expectNone = (names: string[], what: string) => expect(names, `${what}: ${names.join(', ')}`).toEqual([]);

/**
 * Runs `iterations` iterations stage by stage, comparing every variable of both networks before and after each
 * stage: D's stage changes no G variable and every D variable, G's stage no D variable and every G variable. A
 * failure names the variables at fault. Returns the variable names it watched, for the caller's own expectations.
 */
export async function expectStageIsolation(
  gan: CompiledGan,
  steps: StageSteps,
  iterations: number,
  options: StageIsolationOptions = {},
): Promise<{ generator: string[]; discriminator: string[] }> {
  const { generator: g, discriminator: d } = stageVariables(gan);
  expect(g.size, 'G has variables').toBeGreaterThan(0);
  expect(d.size, 'D has variables').toBeGreaterThan(0);
  let tensors = 0;
  for (let it = 1; it <= iterations; it++) {
    const g0 = snapshot(g);
    const d0 = snapshot(d);
    tf.dispose((await steps.stepD()) as tf.TensorContainer);
    expectNone(changedNames(g0, g), `iteration ${it}: D's stage changed G`);
    expectNone(unchangedNames(d0, d), `iteration ${it}: D's stage left D unchanged`);
    const g1 = snapshot(g);
    const d1 = snapshot(d);
    tf.dispose((await steps.stepG()) as tf.TensorContainer);
    expectNone(changedNames(d1, d), `iteration ${it}: G's stage changed D`);
    expectNone(unchangedNames(g1, g), `iteration ${it}: G's stage left G unchanged`);
    if (options.flatTensors === false) continue;
    if (it === 1) tensors = tf.memory().numTensors;
    else expect(tf.memory().numTensors, `iteration ${it}: tensor count`).toBe(tensors);
  }
  return { generator: [...g.keys()], discriminator: [...d.keys()] };
}
