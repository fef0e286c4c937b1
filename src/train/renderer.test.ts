// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { softwareRenderer, type RendererQuery } from './renderer';

const RENDERER = 0x1f01;
const UNMASKED = 0x9246;
/** A stand-in WebGL context answering RENDERER (masked) and, when the extension exists, the unmasked name. */
const context = (masked: string, unmasked: string | null): RendererQuery => ({
  RENDERER,
  getExtension: () => (unmasked === null ? null : { UNMASKED_RENDERER_WEBGL: UNMASKED }),
  getParameter: (p: number) => (p === UNMASKED ? unmasked : p === RENDERER ? masked : null),
});

describe('softwareRenderer', () => {
  it("names Chromium's SwiftShader and Mesa's llvmpipe", () => {
    const swiftshader = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
    expect(softwareRenderer(context('WebKit WebGL', swiftshader))).toBe(swiftshader);
    expect(softwareRenderer(context('llvmpipe (LLVM 15.0.6, 256 bits)', null))).toBe('llvmpipe (LLVM 15.0.6, 256 bits)');
    expect(softwareRenderer(context('WebKit WebGL', 'Microsoft Basic Render Driver'))).toBe('Microsoft Basic Render Driver');
  });

  it('is null for hardware renderers, a missing context and an empty answer', () => {
    expect(softwareRenderer(context('WebKit WebGL', 'ANGLE (NVIDIA, NVIDIA H200 Direct3D11 vs_5_0 ps_5_0)'))).toBeNull();
    expect(softwareRenderer(context('Apple M2', null))).toBeNull();
    expect(softwareRenderer(undefined)).toBeNull();
    expect(softwareRenderer(context('', null))).toBeNull();
  });

  it('prefers the unmasked name: a masked "WebKit WebGL" says nothing about the device', () => {
    expect(softwareRenderer(context('SwiftShader', 'ANGLE (AMD, Radeon RX 7900)'))).toBeNull();
  });
});
