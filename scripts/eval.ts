// `npm run eval -- MODEL.json [options]`: the quality meter on a saved generator. Logic in src/cli/evalCli.ts (tested).
import { runEvalCli } from '../src/cli/evalCli';

process.exitCode = await runEvalCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
