import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { repositoryRoot } from '../cli/repo';

const root = repositoryRoot();

/** `npm start` as package.json spells it, e.g. ['dist/cli/h2r.js', 'launch', 'launch/kitchen.launch.xml']. */
function startScriptArguments(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [program, ...args] = (manifest.scripts['start'] ?? '').split(/\s+/);
  assert.equal(program, 'node', 'npm start runs node');
  return args;
}

interface Run {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves once stderr (or stdout) holds the text. */
  waitFor(text: string, stream?: 'stdout' | 'stderr'): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: readonly string[], stdin: 'pipe' | 'ignore' = 'pipe'): Run {
  const env = { ...process.env };
  delete env['H2R_GRAPH'];
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: [stdin, 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  const notify = (): void => waiters.splice(0).forEach((wake) => wake());
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    notify();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    notify();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(text, stream = 'stderr') {
      const has = (): boolean => (stream === 'stderr' ? err : out).includes(text);
      const deadline = Date.now() + 15000;
      while (!has()) {
        if (Date.now() > deadline) throw new Error(`no '${text}' on ${stream} within 15 s; stderr:\n${err}`);
        await Promise.race([new Promise<void>((wake) => waiters.push(wake)), exited, new Promise((wake) => setTimeout(wake, 200))]);
      }
    },
  };
}

/** The `[launch]: ...` messages of the log, without level and time. */
function launchMessages(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => /^\[[A-Z]+\] \[[0-9.]+\] \[launch\]: (.*)$/.exec(line)?.[1])
    .filter((message): message is string => message !== undefined);
}

describe('npm start (h2r launch launch/kitchen.launch.xml on the embedded graph)', () => {
  it('runs the operator console, reads the terminal, and stops cleanly with exit code 0 on SIGINT', async () => {
    const started = run(startScriptArguments());
    try {
      await started.waitFor('running 6 node(s) and 0 process(es) on the embedded graph; Ctrl-C stops');
      await started.waitFor('kitchen: type a reminder for the robot and press Enter (Ctrl-C ends)', 'stdout');
      started.child.stdin?.write('\n');
      await started.waitFor('empty line ignored', 'stdout');
      started.child.kill('SIGINT');
      const { code, signal } = await started.exited;
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, started.stderr());
      assert.deepEqual(launchMessages(started.stderr()), [
        'started node /operator_console (operator_console)',
        'started node /simulator (simulator)',
        'started node /reminder_parser (reminder_parser)',
        'started node /attention_transfer (attention_transfer)',
        'started node /execution_monitor (execution_monitor)',
        'started node /simulated_person (simulated_person)',
        'running 6 node(s) and 0 process(es) on the embedded graph; Ctrl-C stops',
        'SIGINT received: stopping 6 node(s) and 0 process(es)',
        // the simulator first: nothing moves the robot once shutdown has begun
        'stopped node /simulator',
        'stopped node /simulated_person',
        'stopped node /execution_monitor',
        'stopped node /attention_transfer',
        'stopped node /reminder_parser',
        'stopped node /operator_console',
        'graph shut down',
      ]);
      assert.doesNotMatch(started.stderr(), /still running/);
    } finally {
      started.child.kill('SIGKILL');
    }
  });

  it('stops cleanly on SIGTERM too, also when stdin is closed from the start', async () => {
    const started = run(startScriptArguments(), 'ignore');
    try {
      await started.waitFor('Ctrl-C stops');
      started.child.kill('SIGTERM');
      const { code, signal } = await started.exited;
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, started.stderr());
      assert.ok(launchMessages(started.stderr()).includes('SIGTERM received: stopping 6 node(s) and 0 process(es)'), started.stderr());
    } finally {
      started.child.kill('SIGKILL');
    }
  });

  it('runs one node with h2r node, applying its ROS arguments, and stops it on SIGINT', async () => {
    const started = run(['dist/cli/h2r.js', 'node', 'operator_console', '--ros-args', '-r', '__node:=typist', '-p', 'scenario:=tabletop']);
    try {
      await started.waitFor('tabletop: type a reminder for the robot and press Enter (Ctrl-C ends)', 'stdout');
      await started.waitFor('Ctrl-C stops');
      started.child.kill('SIGINT');
      const { code } = await started.exited;
      assert.equal(code, 0, started.stderr());
      assert.match(started.stderr(), /\[operator_console\]: started node \/typist \(operator_console\)\n/);
      assert.match(started.stderr(), /\[operator_console\]: stopped node \/typist\n/);
    } finally {
      started.child.kill('SIGKILL');
    }
  });

  it('starts nothing and exits with 1 when a parameter is wrong, naming it', async () => {
    const started = run([...startScriptArguments(), '--ros-args', '-p', 'max_length:=0']);
    const { code } = await started.exited;
    assert.equal(code, 1);
    assert.equal(
      started.stderr(),
      "h2r launch: --ros-args -p max_length:=0: parameter 'max_length' of node /operator_console (operator_console): expected integer in 1..10000, given integer 0\n",
    );
  });
});
