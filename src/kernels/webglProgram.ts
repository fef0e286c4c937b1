// The part of tfjs's WebGL backend Ganvas's custom kernels use, typed here so Node builds need no WebGL types.
import type { TensorInfo } from '@tensorflow/tfjs';

/** A tfjs GPGPU program: one output texture, inputs read through the generated getters. */
export interface GpgpuProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs?: boolean;
  packedOutput?: boolean;
  customUniforms?: { name: string; type: 'float' }[];
}

export interface WebGLBackendLike {
  compileAndRun(program: GpgpuProgram, inputs: TensorInfo[], outputDtype?: 'float32', customUniformValues?: number[][]): TensorInfo;
}
