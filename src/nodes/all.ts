// Every node type, one line each: adding a node type is its own file plus one line here (registry.ts orders them).
export { add } from './add';
export { batchNorm } from './batchNorm';
export { bceLoss } from './bceLoss';
export { concatenate } from './concatenate';
export { conv2d } from './conv2d';
export { conv2dTranspose } from './conv2dTranspose';
export { dense } from './dense';
export { dropout } from './dropout';
export { flatten } from './flatten';
export { freezingCombiner } from './freezingCombiner';
export { imageInput } from './imageInput';
export { leakyRelu } from './leakyRelu';
export { noiseInput } from './noiseInput';
export { relu } from './relu';
export { reshape } from './reshape';
export { sigmoid } from './sigmoid';
export { tanh } from './tanh';
