import { strict as assert } from 'node:assert';
import { parseRosArguments } from '../graph/ros-args';

describe('ROS argument parsing', () => {
  it('reads remaps, typed parameters, parameter files and log levels between --ros-args and --', () => {
    const parsed = parseRosArguments([
      'input.txt', '--ros-args', '-r', 'chatter:=talk', '--remap', 'node:a:=b', '-p', 'rate:=3', '-p', 'gain:=3.0',
      '--param', 'talker:flag:=true', '-p', 'names:=[a, b]', '-p', 'ids:=[1, 2]', '--params-file', 'f.yaml',
      '--log-level', 'debug', '--log-level', 'ns.talker:=WARN', '--', '--verbose',
    ]);
    assert.deepEqual(parsed.userArguments, ['input.txt', '--verbose']);
    assert.deepEqual(parsed.remaps, [{ from: 'chatter', to: 'talk' }, { nodeName: 'node', from: 'a', to: 'b' }]);
    assert.deepEqual(
      parsed.parameters.map((p) => [p.node, p.name, p.value.type, p.value.value]),
      [
        [undefined, 'rate', 'integer', 3],
        [undefined, 'gain', 'double', 3],
        ['talker', 'flag', 'bool', true],
        [undefined, 'names', 'string_array', ['a', 'b']],
        [undefined, 'ids', 'integer_array', [1, 2]],
      ],
    );
    assert.deepEqual(parsed.paramsFiles, ['f.yaml']);
    assert.deepEqual(parsed.logLevels, [{ level: 'debug' }, { logger: 'ns.talker', level: 'warn' }]);
  });

  it('accepts several --ros-args sections and the logging switches', () => {
    const parsed = parseRosArguments(['--ros-args', '-p', 'a:=1', '--', 'x', '--ros-args', '--disable-stdout-logs', '--enable-rosout-logs', '-e', '/enclave']);
    assert.equal(parsed.parameters.length, 1);
    assert.equal(parsed.stdoutLogs, false);
    assert.equal(parsed.rosoutLogs, true);
    assert.equal(parsed.enclave, '/enclave');
    assert.deepEqual(parsed.userArguments, ['x']);
  });

  it('leaves arguments without --ros-args to the program', () => {
    assert.deepEqual(parseRosArguments(['-p', 'a:=1']).userArguments, ['-p', 'a:=1']);
  });

  it('names every unknown ROS argument in one error', () => {
    assert.throws(() => parseRosArguments(['--ros-args', '--frobnicate', '-p', 'a:=1', 'stray']), {
      message: "unknown ROS arguments: '--frobnicate', 'stray'",
    });
  });

  it('rejects malformed rules and values, naming the argument', () => {
    assert.throws(() => parseRosArguments(['--ros-args', '-r', 'chatter']), /cannot parse remap rule 'chatter': expected \[node:\]from:=to/);
    assert.throws(() => parseRosArguments(['--ros-args', '-r', 'chat ter:=x']), /cannot parse remap rule 'chat ter:=x': invalid topic name/);
    assert.throws(() => parseRosArguments(['--ros-args', '-p', '9lives:=1']), /'9lives' is not a valid parameter name/);
    assert.throws(() => parseRosArguments(['--ros-args', '-p', 'a:=[1, x]']), /cannot parse parameter 'a:=\[1, x\]': an array mixes integer and string elements/);
    assert.throws(() => parseRosArguments(['--ros-args', '-p', 'a:={b: 1}']), /a map is not a parameter value/);
    assert.throws(() => parseRosArguments(['--ros-args', '--log-level', 'loud']), /cannot parse log level 'loud': expected one of debug, info, warn, error, fatal/);
    assert.throws(() => parseRosArguments(['--ros-args', '--params-file']), /ROS argument --params-file needs a value after it/);
    assert.throws(() => parseRosArguments(['--ros-args', '-p', '--']), /ROS argument -p needs a value after it/);
  });
});
