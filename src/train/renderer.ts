// Telling a software WebGL renderer from a GPU. No imports, so the page, the worker and the e2e tests share it.

/** Renderer names of WebGL drawn by the CPU. */
export const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** The part of a WebGL context softwareRenderer asks (typed structurally so Node builds need no DOM types). */
export interface RendererQuery {
  RENDERER: number;
  getExtension(name: 'WEBGL_debug_renderer_info'): { UNMASKED_RENDERER_WEBGL: number } | null;
  getParameter(pname: number): unknown;
}

/**
 * The renderer's name when WebGL is drawn by the CPU (SwiftShader, llvmpipe, …), else null. There WebGL is a slow
 * emulation: tfjs's shaders are bound by texture fetches that the CPU emulates one by one, and the WASM backend
 * trains the preset about ten times faster on the same cores (npm run bench).
 */
export function softwareRenderer(gl: RendererQuery | undefined): string | null {
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  return SOFTWARE_RENDERER.test(name) ? name : null;
}
