import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import type { CliIo, Command, CommandContext } from '../cli/command';
import { runCli } from '../cli/main';
import { loadCommands } from '../cli/registry';
import { packageVersion } from '../cli/repo';
import { writeFiles } from './support/launch-fixtures';

interface Captured {
  readonly io: CliIo;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

function capture(env: Record<string, string> = {}): Captured {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      stdin: new PassThrough(),
      env,
      cwd: process.cwd(),
    },
    stdout: () => out,
    stderr: () => err,
  };
}

/** A command that records what it was run with. */
function recorder(seen: CommandContext[]): Command {
  return {
    name: 'echo',
    summary: 'records its arguments',
    usage: 'h2r echo [--loud] [--times N] [WORD ...] [--ros-args ...]',
    options: [
      { name: 'loud', description: 'shout' },
      { name: 'times', value: 'N', description: 'repeat' },
    ],
    acceptsRosArguments: true,
    run: async (context) => {
      seen.push(context);
      return 0;
    },
  };
}

describe('h2r command line', () => {
  it('lists every command with its summary in --help and exits 0', async () => {
    const out = capture();
    assert.equal(await runCli(['--help'], out.io), 0);
    assert.match(out.stdout(), /^Usage: h2r \[--graph embedded\|ros2\] \[--log-level LEVEL\] <command> \[arguments\]/);
    assert.match(out.stdout(), /\n {2}launch +Run the nodes of a ROS 2 launch XML file together on one graph, in this process\n/);
    assert.match(out.stdout(), /\n {2}node +Run one node of package h2r_at/);
    assert.match(out.stdout(), /\n {2}collect +Collect reminders from volunteers/);
  });

  it('prints the package version for --version', async () => {
    const out = capture();
    assert.equal(await runCli(['--version'], out.io), 0);
    assert.equal(out.stdout(), `h2r ${packageVersion()}\n`);
  });

  it('prints a command\'s usage and options for h2r <command> --help', async () => {
    const out = capture();
    assert.equal(await runCli(['launch', '--help'], out.io), 0);
    assert.match(out.stdout(), /^Usage: h2r launch FILE \[name:=value \.\.\.\] \[--show-args\] \[--dry-run\] \[--ros-args \.\.\.\]\n/);
    assert.match(out.stdout(), /\n {2}--dry-run {2,}check the file and print the launch plan, start nothing\n/);
  });

  it('rejects an unknown command with exit code 2, naming the known ones', async () => {
    const out = capture();
    assert.equal(await runCli(['lanuch', 'x.xml'], out.io), 2);
    const known = loadCommands().map((c) => c.name).join(', ');
    assert.match(known, /^bench, calibrate, collect, dataset, eval, ground, launch, node, sim, speech, train, transcribe, trial/);
    assert.equal(out.stderr(), `h2r: unknown command 'lanuch' (commands: ${known})\nSee 'h2r --help'.\n`);
  });

  it('rejects an unknown option with exit code 2 and points at the command\'s help', async () => {
    const out = capture();
    assert.equal(await runCli(['launch', 'kitchen.launch.xml', '--dryrun'], out.io), 2);
    assert.equal(
      out.stderr(),
      "h2r: unknown option '--dryrun' for 'h2r launch' (options: --show-args, --dry-run, --graph, --log-level, --help)\nSee 'h2r launch --help'.\n",
    );
  });

  it('exits with 2 when no command is given', async () => {
    const out = capture();
    assert.equal(await runCli([], out.io), 2);
    assert.match(out.stderr(), /h2r: no command given\nSee 'h2r --help'\.\n$/);
  });

  it('takes global options before or after the command, the graph also from H2R_GRAPH, and keeps --ros-args apart', async () => {
    const seen: CommandContext[] = [];
    const commands = [recorder(seen)];
    assert.equal(await runCli(['--log-level', 'debug', 'echo', 'a', '--times=3', '--loud', 'b', '--ros-args', '-p', 'x:=1'], capture().io, commands), 0);
    assert.equal(await runCli(['echo', '--graph', 'embedded'], capture({ H2R_GRAPH: 'ros2' }).io, commands), 0);
    assert.equal(await runCli(['echo'], capture({ H2R_GRAPH: 'ros2' }).io, commands), 0);
    assert.deepEqual(seen[0]?.args, { options: { 'log-level': 'debug', times: '3', loud: true }, positionals: ['a', 'b'], rosArguments: ['--ros-args', '-p', 'x:=1'] });
    assert.deepEqual(seen.map((context) => context.settings), [
      { graph: 'embedded', logLevel: 'debug' },
      { graph: 'embedded', logLevel: 'info' },
      { graph: 'ros2', logLevel: 'info' },
    ]);
  });

  it('rejects a bad option value and a bad H2R_GRAPH with exit code 2', async () => {
    const seen: CommandContext[] = [];
    const badLevel = capture();
    assert.equal(await runCli(['echo', '--log-level', 'loud'], badLevel.io, [recorder(seen)]), 2);
    assert.match(badLevel.stderr(), /^h2r: option --log-level is 'loud', expected one of debug, info, warn, error, fatal\n/);
    const badEnv = capture({ H2R_GRAPH: 'gazebo' });
    assert.equal(await runCli(['echo'], badEnv.io, [recorder(seen)]), 2);
    assert.match(badEnv.stderr(), /^h2r: unknown graph backend 'gazebo' \(from H2R_GRAPH\): choose embedded or ros2\n/);
    const missing = capture();
    assert.equal(await runCli(['echo', '--times'], missing.io, [recorder(seen)]), 2);
    assert.match(missing.stderr(), /^h2r: option --times needs a value \(N\)\n/);
    assert.equal(seen.length, 0);
  });
});

describe('h2r launch without starting anything', () => {
  it('lists the launch arguments with --show-args', async () => {
    const out = capture();
    assert.equal(await runCli(['launch', 'factory.launch.xml', '--show-args'], out.io), 0);
    assert.match(out.stdout(), /^Arguments of launch\/factory\.launch\.xml \(pass as name:=value\):\n {2}namespace:\n/);
    assert.match(out.stdout(), /\n {2}headless:\n {6}Start no operator console; .*\n {6}\(default: 'false'\)\n/);
  });

  it('prints the checked plan with --dry-run, with each parameter\'s origin', async () => {
    const out = capture();
    assert.equal(await runCli(['launch', 'kitchen.launch.xml', 'speaker:=p9', '--dry-run', '--ros-args', '-p', 'max_length:=80'], out.io), 0);
    const lines = out.stdout().split('\n');
    assert.ok(lines.includes('node /operator_console (exec operator_console, launch/kitchen.launch.xml:31)'), out.stdout());
    assert.ok(lines.includes("  parameter speaker = string 'p9' (launch/kitchen.launch.xml:34)"), out.stdout());
    assert.ok(lines.includes('  parameter max_length = integer 80 (command line)'), out.stdout());
    assert.ok(lines.includes("  parameter scenario = string 'kitchen' (launch/config/kitchen.yaml:7)"), out.stdout());
  });

  it('fails with exit code 1 and the file:line of the problem', async () => {
    const out = capture();
    assert.equal(await runCli(['launch', 'kitchen.launch.xml', 'console:=maybe'], out.io), 1);
    assert.equal(out.stderr(), 'h2r launch: launch/kitchen.launch.xml:31: if="$(var console)" gives \'maybe\', expected true, false, 1 or 0\n');
  });
});

describe('h2r command registry', () => {
  it('has one command per file in cli/commands', () => {
    const files = fs.readdirSync(path.join(__dirname, '..', 'cli', 'commands')).filter((file) => file.endsWith('.js'));
    assert.deepEqual(loadCommands().map((command) => `${command.name}.js`), files.sort());
  });

  it('picks up a new command from a new file in the directory', () => {
    const directory = writeFiles({
      'greet.js': "exports.command = { name: 'greet', summary: 's', usage: 'h2r greet', options: [], acceptsRosArguments: false, run: async () => 0 };\n",
    });
    assert.deepEqual(loadCommands(directory).map((command) => command.name), ['greet']);
  });

  it('refuses a file in the directory that exports no valid command, naming the file', () => {
    const directory = writeFiles({ 'broken.js': 'exports.command = { name: "broken" };\n' });
    assert.throws(() => loadCommands(directory), {
      message: `${path.join(directory, 'broken.js')} does not export a valid 'command' (name, summary, usage, options, acceptsRosArguments, run)`,
    });
  });
});
