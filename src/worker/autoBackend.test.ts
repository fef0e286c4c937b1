import { describe, expect, it } from 'vitest';
import { decideAuto, shortRenderer } from './autoBackend';

describe('Auto backend', () => {
  it('Auto takes WebGL only where a GPU draws it, and says why', () => {
    expect(decideAuto({ renderer: 'ANGLE (NVIDIA GeForce RTX 3060)', software: false })).toEqual({
      backend: 'webgl',
      reason: { scope: 'ui', key: 'training.auto.gpu', args: { renderer: 'ANGLE (NVIDIA GeForce RTX 3060)' } },
    });
    expect(decideAuto({ renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))', software: true }).backend).toBe('wasm');
    expect(decideAuto({ renderer: null, software: false })).toEqual({ backend: 'wasm', reason: { scope: 'ui', key: 'training.auto.none' } });
  });

  it('names the renderer briefly', () => {
    expect(shortRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe('SwiftShader');
    expect(shortRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe('NVIDIA GeForce RTX 3060');
    expect(shortRenderer('ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)')).toBe('ANGLE Metal Renderer: Apple M2');
    expect(shortRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
  });
});
