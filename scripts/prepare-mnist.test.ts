import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MNIST_SHA256, MnistError, sha256Hex } from '../src/data/mnist';
import { describeError, prepareMnist } from './prepare-mnist';
import { installedMnistPath } from '../src/cli/mnist';

const work = mkdtempSync(join(tmpdir(), 'ganvas-prepare-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('prepare-mnist', () => {
  // Level 1 keeps the test fast; the install uses 9 (see the script).
  it('writes a gzip of the verified IDX file once, then skips while nothing changed', async () => {
    const output = join(work, 'data', 'mnist', 'train-images-idx3-ubyte.gz');
    const first = await prepareMnist({ output, level: 1 });
    expect(first.skipped).toBe(false);
    const idx = gunzipSync(readFileSync(output));
    expect(idx.length).toBe(47_040_016);
    expect(await sha256Hex(idx)).toBe(MNIST_SHA256['train-images-idx3-ubyte']);

    const again = await prepareMnist({ output, level: 1 });
    expect(again).toEqual({ output, skipped: true, bytes: first.bytes });

    // A replaced or truncated output no longer matches its stamp and is rebuilt.
    writeFileSync(output, 'truncated');
    utimesSync(output, new Date(), new Date(Date.now() + 5000));
    const rebuilt = await prepareMnist({ output, level: 1 });
    expect(rebuilt.skipped).toBe(false);
    expect(statSync(output).size).toBe(first.bytes);
  });

  it('prepares the label and test files the same way, each checked against its own hash', async () => {
    const output = join(work, 'data', 'mnist', 't10k-labels-idx1-ubyte.gz');
    const r = await prepareMnist({ file: 't10k-labels-idx1-ubyte', output, level: 1 });
    expect(r.skipped).toBe(false);
    const idx = gunzipSync(readFileSync(output));
    expect(idx.length).toBe(10_008);
    expect(await sha256Hex(idx)).toBe(MNIST_SHA256['t10k-labels-idx1-ubyte']);
    expect((await prepareMnist({ file: 't10k-labels-idx1-ubyte', output, level: 1 })).skipped).toBe(true);
    // The training labels' bytes offered as the test labels: refused.
    const wrong = await prepareMnist({ file: 't10k-labels-idx1-ubyte', source: installedMnistPath('train-labels-idx1-ubyte'), output: join(work, 'wrong.gz') }).catch((e: unknown) => e);
    expect((wrong as MnistError).code).toBe('mnist.corrupt');
    expect(() => statSync(join(work, 'wrong.gz'))).toThrow();
  });

  it('refuses a corrupt or missing source with a one-line message', async () => {
    const bad = join(work, 'bad-idx');
    writeFileSync(bad, new Uint8Array(64));
    const output = join(work, 'never.gz');
    const corrupt = await prepareMnist({ source: bad, output }).catch((e: unknown) => e);
    expect(corrupt).toBeInstanceOf(MnistError);
    expect((corrupt as MnistError).code).toBe('mnist.corrupt');
    expect(describeError(corrupt)).toMatch(/^MNIST data at .*bad-idx is damaged: SHA-256 [0-9a-f]{12}… does not match\. Reinstall with "npm ci"\.$/);

    const missing = await prepareMnist({ source: join(work, 'nope'), output }).catch((e: unknown) => e);
    expect((missing as MnistError).code).toBe('mnist.missing');
    expect(describeError(missing)).not.toContain('\n');
    expect(() => statSync(output)).toThrow();
  });
});
