#!/usr/bin/env node
/** Entry point of the `h2r` command (package.json bin). */
import { LaunchError } from './launch/errors';
import { runCli } from './main';

/** After the command returned, anything still holding the event loop is a leak: end anyway. */
const LINGER_LIMIT_MS = 5000;

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
})
  .catch((error: unknown) => {
    const command = process.argv.slice(2).find((token) => !token.startsWith('-'));
    const text = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${command === undefined ? 'h2r' : `h2r ${command}`}: ${text}\n`);
    if (error instanceof Error && !(error instanceof LaunchError) && process.env['H2R_DEBUG'] !== undefined) {
      process.stderr.write(`${error.stack ?? ''}\n`);
    }
    return 1;
  })
  .then((code) => {
    process.exitCode = code;
    setTimeout(() => {
      process.stderr.write(`h2r: still running ${LINGER_LIMIT_MS} ms after finishing; exiting with code ${code}\n`);
      process.exit(code);
    }, LINGER_LIMIT_MS).unref();
  });
