import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParameterDescriptor } from '../graph/api';
import { EmbeddedGraph } from '../graph/embedded';
import { parseParamsFile } from '../graph/parameters';

const RATE: ParameterDescriptor = { type: 'double', description: 'publish rate in Hz', range: { from: 0.1, to: 100 } };
const MODE: ParameterDescriptor = { type: 'string', description: 'scenario', choices: ['kitchen', 'factory', 'tabletop'] };
const COUNT: ParameterDescriptor = { type: 'integer', description: 'retries', range: { from: 0, to: 5 } };

function paramsFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'h2r-params-')), 'params.yaml');
  writeFileSync(file, text);
  return file;
}

function quietGraph(args: string[] = []): EmbeddedGraph {
  return new EmbeddedGraph({ logSink: () => undefined, arguments: args });
}

describe('parameters', () => {
  it('uses the default when nothing overrides it', () => {
    const node = quietGraph().createNode('talker');
    assert.equal(node.declareParameter('rate', 10.0, RATE), 10);
    assert.equal(node.getParameter('rate'), 10);
  });

  it('takes parameter YAML over the default and the command line over YAML', () => {
    const file = paramsFile('talker:\n  ros__parameters:\n    rate: 20.0\n    mode: factory\n    retries: 2\n');
    const node = quietGraph().createNode('talker', { arguments: ['--ros-args', '--params-file', file, '-p', 'rate:=30.0'] });
    assert.equal(node.declareParameter('rate', 10.0, RATE), 30);
    assert.equal(node.declareParameter('mode', 'kitchen', MODE), 'factory');
    assert.equal(node.declareParameter('retries', 0, COUNT), 2);
  });

  it('applies /** YAML to every node and lets the node key win over it', () => {
    const file = paramsFile('/**:\n  ros__parameters:\n    rate: 5.0\n    mode: tabletop\n/robot/talker:\n  ros__parameters:\n    rate: 7.5\n');
    const graph = quietGraph(['--ros-args', '--params-file', file]);
    const talker = graph.createNode('talker', { namespace: 'robot' });
    const listener = graph.createNode('listener', { namespace: 'robot' });
    assert.equal(talker.declareParameter('rate', 1.0, RATE), 7.5);
    assert.equal(talker.declareParameter('mode', 'kitchen', MODE), 'tabletop');
    assert.equal(listener.declareParameter('rate', 1.0, RATE), 5);
  });

  it('applies -p node:name:=value only to that node, over an unscoped -p', () => {
    const graph = quietGraph(['--ros-args', '-p', 'rate:=2.0', '-p', 'talker:rate:=4.0']);
    assert.equal(graph.createNode('talker').declareParameter('rate', 1.0, RATE), 4);
    assert.equal(graph.createNode('listener').declareParameter('rate', 1.0, RATE), 2);
  });

  it('flattens nested YAML maps and namespace keys into dotted parameter names', () => {
    const file = paramsFile('robot:\n  talker:\n    ros__parameters:\n      camera:\n        fps: 15\n');
    const node = quietGraph(['--ros-args', '--params-file', file]).createNode('talker', { namespace: 'robot' });
    assert.equal(node.declareParameter('camera.fps', 30, { type: 'integer', description: 'fps' }), 15);
  });

  it('accepts an integer for a double parameter but rejects a double for an integer one', () => {
    const graph = quietGraph(['--ros-args', '-p', 'rate:=12', '-p', 'retries:=2.0']);
    const node = graph.createNode('talker');
    assert.equal(node.declareParameter('rate', 1.0, RATE), 12);
    assert.throws(() => node.declareParameter('retries', 0, COUNT), {
      message: "node /talker: parameter 'retries' expected integer but got double 2 (from -p retries:=2.0)",
    });
  });

  it('rejects a wrongly typed override, naming node, parameter, expected and given', () => {
    const file = paramsFile('talker:\n  ros__parameters:\n    rate: fast\n');
    const node = quietGraph().createNode('talker', { arguments: ['--ros-args', '--params-file', file] });
    assert.throws(() => node.declareParameter('rate', 1.0, RATE), {
      message: `node /talker: parameter 'rate' expected double but got string 'fast' (from ${file}:3)`,
    });
  });

  it('rejects out-of-range values and unknown choices', () => {
    const node = quietGraph(['--ros-args', '-p', 'rate:=500.0', '-p', 'mode:=garage']).createNode('talker');
    assert.throws(() => node.declareParameter('rate', 1.0, RATE), {
      message: "node /talker: parameter 'rate' 500 is out of range 0.1..100 (from -p rate:=500.0)",
    });
    assert.throws(() => node.declareParameter('mode', 'kitchen', MODE), /parameter 'mode' 'garage' is not one of 'kitchen', 'factory', 'tabletop'/);
    assert.throws(() => node.declareParameter('retries', 9, COUNT), /parameter 'retries' has an invalid default: 9 is out of range 0\.\.5/);
  });

  it('lets validators reject a change with a reason and tells listeners about accepted ones', () => {
    const node = quietGraph().createNode('talker');
    node.declareParameter('rate', 10.0, RATE);
    node.declareParameter('locked', 'a', { type: 'string', description: 'fixed', readOnly: true });
    const changes: [string, unknown][] = [];
    node.addParameterValidator((name, value) => (name === 'rate' && value === 13 ? 'unlucky rate' : null));
    node.onParameterChanged((name, value) => changes.push([name, value]));
    assert.deepEqual(node.setParameter('rate', 13), { successful: false, reason: "parameter 'rate': unlucky rate" });
    assert.deepEqual(node.setParameter('rate', 'x'), { successful: false, reason: "parameter 'rate': expected double but got string 'x'" });
    assert.deepEqual(node.setParameter('locked', 'b'), { successful: false, reason: "parameter 'locked': is read-only" });
    assert.deepEqual(node.setParameter('missing', 1), { successful: false, reason: "parameter 'missing': is not declared" });
    assert.deepEqual(node.setParameter('rate', 20), { successful: true, reason: '' });
    assert.deepEqual(changes, [['rate', 20]]);
    assert.equal(node.getParameter('rate'), 20);
  });

  it('reports a broken parameter file with its name and line', () => {
    assert.throws(() => parseParamsFile('talker:\n  ros__parameters:\n    rate: [1, x]\n', 'p.yaml'), {
      message: "p.yaml:3: parameter 'rate': an array mixes integer and string elements",
    });
    assert.throws(() => parseParamsFile('talker:\n  ros__parameters:\n    rate:\n', 'p.yaml'), /p\.yaml:3: parameter 'rate': an empty value is not a parameter value/);
    assert.throws(() => parseParamsFile('talker: [1\n', 'p.yaml'), /^ParamsFileError: p\.yaml:\d+: invalid YAML: /);
    assert.throws(() => quietGraph(['--ros-args', '--params-file', '/nonexistent/p.yaml']), /cannot read parameter file \/nonexistent\/p\.yaml/);
  });

  it('keeps parameter names such as y, on and no as written, while yes/no values stay booleans', () => {
    const [entry] = parseParamsFile('talker:\n  ros__parameters:\n    x: 1.5\n    y: 2.5\n    on: yes\n    no: 3\n', 'p.yaml');
    assert.deepEqual([...entry.parameters.keys()], ['x', 'y', 'on', 'no']);
    assert.equal(entry.parameters.get('y')?.value.value, 2.5);
    assert.equal(entry.parameters.get('on')?.value.value, true);
  });
});
