// Auto's backend decision, made in the worker where training runs: WebGL when a GPU draws it, WASM when WebGL is
// drawn by the CPU (SwiftShader, llvmpipe, …; tfjs's shaders crawl there) or missing. The page shows the reason.
import type { Msg } from '../i18n/ui';
import { softwareRenderer, type RendererQuery } from '../train/renderer';
import type { BackendName } from '../train/backend';

export interface WebglProbe {
  /** The renderer's name, or null when there is no WebGL at all. */
  renderer: string | null;
  software: boolean;
}

export interface AutoDecision {
  backend: BackendName;
  reason: Msg;
}

/** Auto's rule, kept apart from the browser so it can be tested: WebGL only when a GPU draws it. */
export function decideAuto(probe: WebglProbe): AutoDecision {
  if (probe.renderer === null) return { backend: 'wasm', reason: { scope: 'ui', key: 'training.auto.none' } };
  const renderer = shortRenderer(probe.renderer);
  if (probe.software) return { backend: 'wasm', reason: { scope: 'ui', key: 'training.auto.software', args: { renderer } } };
  return { backend: 'webgl', reason: { scope: 'ui', key: 'training.auto.gpu', args: { renderer } } };
}

const SOFTWARE_NAMES = ['SwiftShader', 'llvmpipe', 'softpipe', 'Basic Render Driver'];

/**
 * A renderer name short enough for a sentence: "SwiftShader" for
 * "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) …), SwiftShader driver)", the GPU's name for
 * "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)".
 */
export function shortRenderer(name: string): string {
  const soft = SOFTWARE_NAMES.find((n) => name.toLowerCase().includes(n.toLowerCase()));
  if (soft) return soft;
  const angle = /^ANGLE \([^,]*,\s*([^,]+?)(?:\s+(?:Direct3D\d*|OpenGL|Vulkan)\b[^,]*)?(?:,|\)$)/.exec(name);
  const short = (angle?.[1] ?? name).trim();
  return short.length > 60 ? `${short.slice(0, 57)}…` : short;
}

/**
 * Asks a throwaway WebGL context (an OffscreenCanvas, as tfjs uses here) what draws it. The context is released at
 * once so it does not count against the browser's limit.
 */
export function probeWebgl(): WebglProbe {
  if (typeof OffscreenCanvas === 'undefined') return { renderer: null, software: false };
  const canvas = new OffscreenCanvas(1, 1);
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as (WebGLRenderingContext & RendererQuery) | null;
  if (!gl) return { renderer: null, software: false };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? 'WebGL');
  const software = softwareRenderer(gl) !== null;
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { renderer, software };
}
