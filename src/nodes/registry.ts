// The one list of node types: the palette, the engine, the exporters and the tests all read it.
import type { NodeDef } from './types';
import { noiseInput } from './noiseInput';
import { imageInput } from './imageInput';
import { dense } from './dense';
import { leakyRelu } from './leakyRelu';
import { reshape } from './reshape';
import { flatten } from './flatten';
import { bceLoss } from './bceLoss';
import { freezingCombiner } from './freezingCombiner';

export const NODE_TYPES: readonly NodeDef[] = [noiseInput, imageInput, dense, leakyRelu, reshape, flatten, bceLoss, freezingCombiner];

const byType = new Map(NODE_TYPES.map((d) => [d.type, d]));

export function nodeDef(type: string): NodeDef | undefined {
  return byType.get(type);
}

export type { NodeDef } from './types';
