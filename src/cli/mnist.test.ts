import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { installedMnistPath, loadMnistFile, loadMnistTest, loadMnistTestLabels, loadMnistTrain, loadMnistTrainLabels } from './mnist';
import { fetchMnistSplit, fetchMnistTestLabels } from '../data/mnistFetch';
import { MNIST_FILES, mnistAsset, MnistError } from '../data/mnist';

// The class counts published with the data (/work/shared/data/mnist/README.md and LeCun's page).
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
const histogram = (labels: Uint8Array) => labels.reduce((h, l) => (h[l]++, h), new Array<number>(10).fill(0));

const work = mkdtempSync(join(tmpdir(), 'ganvas-mnist-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('MNIST from the installed package', () => {
  it('loads the training and test splits with their labels, verified', async () => {
    const train = await loadMnistTrain();
    expect([train.count, train.size, train.labels.length]).toEqual([60000, 784, 60000]);
    expect(histogram(train.labels)).toEqual(TRAIN_COUNTS);
    const test = await loadMnistTest();
    expect([test.count, test.size, test.labels.length]).toEqual([10000, 784, 10000]);
    expect(histogram(test.labels)).toEqual(TEST_COUNTS);
    // The first test digits, as every MNIST tutorial prints them.
    expect(Array.from(test.labels.subarray(0, 6))).toEqual([7, 2, 1, 0, 4, 1]);
  });

  it('reads .gz copies and refuses a file that is not the one asked for', async () => {
    const gz = join(work, 'labels.gz');
    writeFileSync(gz, gzipSync(readFileSync(installedMnistPath('t10k-labels-idx1-ubyte'))));
    expect(histogram(await loadMnistTestLabels(gz))).toEqual(TEST_COUNTS);
    // The test labels passed off as the training labels: the hash says no.
    const wrong = await loadMnistTrainLabels(gz).catch((e: unknown) => e);
    expect((wrong as MnistError).code).toBe('mnist.corrupt');
    const missing = await loadMnistFile('t10k-images-idx3-ubyte', join(work, 'nope')).catch((e: unknown) => e);
    expect((missing as MnistError).code).toBe('mnist.missing');
  });
});

describe('MNIST over HTTP (the browser loader, run in Node)', () => {
  it('fetches the gzip assets of a split, inflates and verifies them', async () => {
    // Serve the test split as the install lays it out under public/ (the 47 MB training images would only slow this).
    const testFiles = ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;
    const served = new Map(testFiles.map((f) => [`/${mnistAsset(f)}`, gzipSync(readFileSync(installedMnistPath(f)), { level: 1 })]));
    served.set('/bad/data/mnist/t10k-labels-idx1-ubyte.gz', gzipSync(new Uint8Array(20)));
    const server = createServer((req, res) => {
      const body = served.get(new URL(req.url!, 'http://x').pathname);
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const test = await fetchMnistSplit('test', base);
      expect([test.count, test.labels.length]).toEqual([10000, 10000]);
      expect(histogram(test.labels)).toEqual(TEST_COUNTS);
      const bad = await fetchMnistTestLabels(`${base}bad/${mnistAsset('t10k-labels-idx1-ubyte')}`).catch((e: unknown) => e);
      expect((bad as MnistError).code).toBe('mnist.corrupt');
      const missing = await fetchMnistTestLabels(`${base}nowhere.gz`).catch((e: unknown) => e);
      expect((missing as MnistError).code).toBe('mnist.missing');
    } finally {
      server.close();
    }
  });
});

it('the installed package is where the loaders look', () => {
  for (const f of MNIST_FILES) expect(existsSync(installedMnistPath(f))).toBe(true);
});
