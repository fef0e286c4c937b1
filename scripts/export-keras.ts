// Prints the Keras 3 script for a graph file: `npx tsx scripts/export-keras.ts presets/mnist-gan.json > gan.py`.
// A bad file or an invalid graph is one line on stderr and exit code 2, so shell pipelines fail loudly.
import { readFileSync } from 'node:fs';
import { parseDocument } from '../src/graph/document';
import { exportKeras } from '../src/io/kerasExport';

function fail(message: string): never {
  process.stderr.write(`export-keras: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(2);
}

const path = process.argv[2];
if (!path || process.argv.length > 3) fail('usage: tsx scripts/export-keras.ts GRAPH.json > gan.py');
let text: string;
try {
  text = readFileSync(path, 'utf8');
} catch (e) {
  fail(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
}
const decoded = parseDocument(text);
if (!decoded.ok) fail(`${path} is not a valid Ganvas graph: ${decoded.errors.map((e) => `${e.path} ${e.code}`).join('; ')}`);
try {
  process.stdout.write(exportKeras(decoded.doc));
} catch (e) {
  fail(`${path}: ${(e as Error).message}`);
}
