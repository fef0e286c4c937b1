// The bundled presets, one list for the app's preset menu, the headless runner (`--preset ID`) and the bench.
import classic from '../../presets/mnist-gan.json';
import dcgan from '../../presets/dcgan-mnist.json';
import dcganSmall from '../../presets/dcgan-small-mnist.json';
import cgan from '../../presets/cgan-mnist.json';
import { decodeDocument, type GraphDocument } from './document';
import type { LocalizedText } from '../nodes/types';

export interface Preset {
  /** The file name under presets/ without `.json`; what `--preset` takes. */
  id: string;
  title: LocalizedText;
  raw: unknown;
}

export const PRESETS: readonly Preset[] = [
  { id: 'mnist-gan', title: { en: 'Classic GAN (ch. 3)', ko: '기본 GAN (3장)' }, raw: classic },
  { id: 'dcgan-mnist', title: { en: 'DCGAN (ch. 4, needs a GPU)', ko: 'DCGAN (4장, GPU 필요)' }, raw: dcgan },
  { id: 'dcgan-small-mnist', title: { en: 'Small DCGAN (ch. 4, for laptops without a GPU)', ko: '작은 DCGAN (4장, GPU 없는 노트북용)' }, raw: dcganSmall },
  { id: 'cgan-mnist', title: { en: 'Conditional GAN: digits on request (ch. 8, needs a GPU)', ko: '조건부 GAN: 원하는 숫자 만들기 (8장, GPU 필요)' }, raw: cgan },
];

export const PRESET_IDS: readonly string[] = PRESETS.map((p) => p.id);

/** A bundled preset as a document; throws if the bundle itself is broken (a test keeps every preset valid). */
export function presetDocumentById(id: string): GraphDocument {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown preset "${id}"; the presets are ${PRESET_IDS.join(', ')}`);
  const r = decodeDocument(preset.raw);
  if (!r.ok) throw new Error(`The bundled preset ${id} is invalid: ${r.errors.map((e) => `${e.path} ${e.code}`).join('; ')}`);
  return r.doc;
}
