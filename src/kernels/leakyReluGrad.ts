/**
 * LeakyReLU's gradient in one kernel.
 *
 * tfjs 4.22's gradient for LeakyRelu is where(greater(x, 0), dy, mul(dy, α)): three kernels, and on wasm its Greater
 * and Select are slow scalar loops. 'GanvasLeakyReluGrad' computes the same rule, x > 0 ? dy : dy·α (α rounded to
 * float32, the product rounded to float32, so bitwise equal on cpu and wasm), in one pass on cpu, wasm (SIMD) and
 * WebGL (one shader, packed like tfjs's own LeakyRelu when packing is on). The gradient registered for LeakyRelu uses
 * it wherever the current backend has it and keeps tfjs's three kernels everywhere else.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { elementwisePass } from './wasmElementwise';
import type { GpgpuProgram, WebGLBackendLike } from './webglProgram';

export const LEAKY_RELU_GRAD = 'GanvasLeakyReluGrad';

type KernelArgs = Parameters<tf.KernelFunc>[0];
interface GradInputs {
  dy: tf.TensorInfo;
  x: tf.TensorInfo;
}
const gradInputs = (inputs: KernelArgs['inputs']): GradInputs => inputs as unknown as GradInputs;

/** The rule over float32 arrays; stores round the product to float32. */
export function leakyReluGradLoop(dy: Float32Array, x: Float32Array, dx: Float32Array, alpha: number): void {
  const a = Math.fround(alpha);
  for (let i = 0; i < dx.length; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * a;
}

interface CpuBackendLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

function cpuKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const cpu = backend as unknown as CpuBackendLike;
  const { dy, x } = gradInputs(inputs);
  const read = (t: tf.TensorInfo) => cpu.readSync(t.dataId) as Float32Array;
  const dx = new Float32Array(read(x).length);
  leakyReluGradLoop(read(dy), read(x), dx, attrs!.alpha as number);
  return cpu.makeTensorInfo(x.shape, 'float32', dx);
}

function wasmKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const wasm = backend as unknown as BackendWasm;
  const { dy, x } = gradInputs(inputs);
  const alpha = attrs!.alpha as number;
  const out = wasm.makeOutput(x.shape, 'float32');
  elementwisePass(
    wasm,
    [dy, x],
    out,
    (kernels, [pdy, px, pout], bytes) => kernels.leakyReluGrad(pdy, px, pout, bytes, alpha),
    ([vdy, vx, vout]) => leakyReluGradLoop(vdy, vx, vout, alpha),
  );
  return out;
}

const webglProgram = (shape: number[], packed: boolean): GpgpuProgram => ({
  variableNames: ['Dy', 'X'],
  outputShape: shape,
  packedInputs: packed,
  packedOutput: packed,
  customUniforms: [{ name: 'alpha', type: 'float' }],
  // A select per component (not mix) so an infinite dy·α cannot leak into the other branch.
  userCode: packed
    ? `
    void main() {
      vec4 dy = getDyAtOutCoords();
      vec4 x = getXAtOutCoords();
      vec4 scaled = dy * alpha;
      setOutput(vec4(x.x > 0.0 ? dy.x : scaled.x, x.y > 0.0 ? dy.y : scaled.y, x.z > 0.0 ? dy.z : scaled.z, x.w > 0.0 ? dy.w : scaled.w));
    }`
    : `
    void main() {
      float dy = getDyAtOutCoords();
      setOutput(getXAtOutCoords() > 0.0 ? dy : dy * alpha);
    }`,
});

function webglKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, x } = gradInputs(inputs);
  const packed = tf.env().getBool('WEBGL_PACK_BINARY_OPERATIONS');
  return (backend as unknown as WebGLBackendLike).compileAndRun(webglProgram(x.shape, packed), [dy, x], 'float32', [[attrs!.alpha as number]]);
}

const KERNELS: ReadonlyArray<[string, (args: KernelArgs) => tf.TensorInfo]> = [
  ['cpu', cpuKernel],
  ['wasm', wasmKernel],
  ['webgl', webglKernel],
];

/** The gradient tfjs uses for LeakyRelu once this is registered: the fused kernel where the backend has one. */
const leakyReluGradConfig: tf.GradConfig = {
  kernelName: tf.LeakyRelu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const alpha = (attrs as { alpha: number }).alpha;
    const fused = tf.getKernel(LEAKY_RELU_GRAD, tf.getBackend()) != null && x.dtype === 'float32' && (dy as tf.Tensor).dtype === 'float32';
    return {
      x: () =>
        fused
          ? (tf.engine().runKernel(LEAKY_RELU_GRAD, { dy: dy as tf.Tensor, x }, { alpha }) as tf.Tensor)
          : tf.where(tf.greater(x, 0), dy as tf.Tensor, tf.mul(dy as tf.Tensor, alpha)),
    };
  },
};

/** Registers the kernel for cpu, wasm and webgl and LeakyRelu's gradient that uses it. Idempotent. */
export function registerLeakyReluGrad(): void {
  for (const [backendName, kernelFunc] of KERNELS) {
    if (tf.getKernel(LEAKY_RELU_GRAD, backendName) == null) tf.registerKernel({ kernelName: LEAKY_RELU_GRAD, backendName, kernelFunc: kernelFunc as tf.KernelFunc });
  }
  tf.registerGradient(leakyReluGradConfig);
}
