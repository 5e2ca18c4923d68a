#!/usr/bin/env node
/** Entry point of the `h2r` command (package.json bin). */
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
    // Commands report their own failures; this is a fault of the CLI itself.
    process.stderr.write(`h2r: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  })
  .then((code) => {
    process.exitCode = code;
    setTimeout(() => {
      process.stderr.write(`h2r: still running ${LINGER_LIMIT_MS} ms after finishing; exiting with code ${code}\n`);
      process.exit(code);
    }, LINGER_LIMIT_MS).unref();
  });
