// `npm run train -- GRAPH.json [options]`: the headless runner. All logic lives in src/cli/cli.ts (tested); this
// file only wires the process: arguments, Ctrl+C and the exit code.
import { rmSync } from 'node:fs';
import { parseArgs, partialDir, runCli } from '../src/cli/cli';

const argv = process.argv.slice(2);
const controller = new AbortController();
let firstSignalAt = 0;
const onSignal = () => {
  const now = Date.now();
  // Ctrl+C reaches this process twice: from the terminal (whole process group) and relayed by tsx's parent process.
  // Signals within a second of the first count as that same Ctrl+C.
  if (firstSignalAt > 0 && now - firstSignalAt < 1000) return;
  if (firstSignalAt > 0) {
    // Second Ctrl+C: quit now, but still leave no half-written output behind.
    const parsed = parseArgs(argv);
    if (parsed.ok && 'options' in parsed) rmSync(partialDir(parsed.options.out), { recursive: true, force: true });
    process.exit(130);
  }
  // First Ctrl+C: stop after the current iteration; runCli removes its partial output.
  firstSignalAt = now;
  process.stderr.write('\ntrain: stopping (Ctrl+C again to quit at once)…\n');
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await runCli(argv, {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  signal: controller.signal,
});
