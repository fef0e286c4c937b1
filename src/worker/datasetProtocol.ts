// Messages between the page and the dataset worker (datasetWorker.ts), which prepares and stores a learner's images.
import type { DatasetMeta } from '../data/dataset';
import type { DataLimits } from '../data/dataset';

/** A dropped or picked file with its path inside the dropped folder (`shapes/circle/001.png`) or its own name. */
export interface PickedFile {
  path: string;
  file: Blob;
}

export type ToDatasetWorker =
  | {
      type: 'prepare';
      /** A folder's files, one .zip, or IDX files. */
      files: PickedFile[];
      name: string;
      /** The image input's shape: height × width × 1 or 3. */
      target: number[];
      /** One batch: fewer usable images are refused. */
      minImages: number;
      limits?: Partial<DataLimits>;
      /** Store the result in IndexedDB (the app does; a benchmark may not). */
      store: boolean;
    }
  | { type: 'cancel' };

export type FromDatasetWorker =
  | { type: 'progress'; phase: 'reading' | 'decoding' | 'storing'; done: number; total: number }
  /** Prepared (and stored): the metadata, a few images per class for the preview grid, and timings. */
  | { type: 'done'; meta: DatasetMeta; preview: { pixels: Uint8Array; labels: number[] }; ms: { read: number; prepare: number; store: number } }
  | { type: 'error'; code: string; args: Record<string, string | number> };
