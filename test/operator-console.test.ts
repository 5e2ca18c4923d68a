import { strict as assert } from 'node:assert';
import { EmbeddedGraph } from '../graph/embedded';
import { captureLogs } from '../graph/logging';
import { createMessage } from '../graph/message-validation';
import { Correction, type Reminder } from '../graph/messages';
import { checkTypedLine, describeCorrection, describeEpisodeEvent, describeQuestion, printable } from '../operator/console-text';
import { operatorConsole } from '../nodes/operator_console';

/** Lines "typed" by a test: push them one by one, end() closes the terminal. */
class TypedLines implements AsyncIterable<string> {
  private readonly queued: string[] = [];
  private waiting: ((result: IteratorResult<string>) => void) | undefined;
  private ended = false;

  push(line: string): void {
    if (this.waiting !== undefined) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ done: false, value: line });
    } else {
      this.queued.push(line);
    }
  }

  end(): void {
    this.ended = true;
    this.waiting?.({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    return {
      next: () => {
        const line = this.queued.shift();
        if (line !== undefined) return Promise.resolve({ done: false, value: line });
        if (this.ended) return Promise.resolve({ done: true, value: undefined });
        return new Promise((resolve) => {
          this.waiting = resolve;
        });
      },
    };
  }
}

/** Lets the console's reading loop and the graph's executor catch up. */
async function settle(graph: EmbeddedGraph): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    await graph.spinUntilIdle();
  }
}

async function startConsole(parameters: readonly string[] = []) {
  const graph = new EmbeddedGraph({ clock: 'manual', startTimeMs: 1500, logSink: captureLogs().sink });
  const lines = new TypedLines();
  const printed: string[] = [];
  const reminders: Reminder[] = [];
  graph.createNode('listener').createSubscription('h2r_interfaces/msg/Reminder', 'reminder', (reminder) => reminders.push(reminder));
  const node = graph.createNode('operator_console', { arguments: ['--ros-args', ...parameters] });
  const running = await operatorConsole.start(node, { stdinLines: lines, print: (line) => printed.push(line) });
  return { graph, lines, printed, reminders, running };
}

describe('operator console node', () => {
  it('publishes each typed line as a Reminder with source typed, the speaker and the graph time', async () => {
    const { graph, lines, reminders, running } = await startConsole(['-p', 'speaker:=p07']);
    lines.push('  no, the blue cup on your left ');
    lines.push('stop');
    await settle(graph);
    assert.deepEqual(
      reminders.map((r) => [r.text, r.source, r.speaker, r.header.stamp, Array.from(r.word_confidences)]),
      [
        ['no, the blue cup on your left', 'typed', 'p07', { sec: 1, nanosec: 500000000 }, []],
        ['stop', 'typed', 'p07', { sec: 1, nanosec: 500000000 }, []],
      ],
    );
    await running.stop();
    await graph.shutdown();
  });

  it('tells the person why an empty or over-long line is not sent, and keeps reading', async () => {
    const { graph, lines, printed, reminders, running } = await startConsole(['-p', 'max_length:=10']);
    lines.push('   ');
    lines.push('this line is far too long');
    lines.push('left cup');
    await settle(graph);
    assert.deepEqual(reminders.map((r) => r.text), ['left cup']);
    assert.deepEqual(printed, [
      'kitchen: type a reminder for the robot and press Enter (Ctrl-C ends)',
      'empty line ignored: type what the robot should do, e.g. "no, the blue cup on your left"',
      'line ignored: 25 characters, the limit is 10 (parameter max_length)',
    ]);
    await running.stop();
    await graph.shutdown();
  });

  it('prints episode events, monitor questions and corrections for the person', async () => {
    const { graph, printed, running } = await startConsole(['-p', 'scenario:=factory']);
    const source = graph.createNode('robot');
    const event = { ...createMessage('h2r_interfaces/msg/EpisodeEvent'), episode_id: 'factory-3', event: 'failed', failure: 'defective_left', detail: 'the bad gear went on', truth_json: '{"secret":1}' };
    source.createPublisher('h2r_interfaces/msg/EpisodeEvent', 'episode/events').publish(event);
    source.createPublisher('std_msgs/msg/String', 'monitor/question').publish({ data: 'which gear do you mean?' });
    const correction = { ...createMessage('h2r_interfaces/msg/Correction'), kind: Correction.RETARGET, target_object: 'gear_2', reason: 'the person meant the cracked gear' };
    source.createPublisher('h2r_interfaces/msg/Correction', 'execution/correction').publish(correction);
    await settle(graph);
    assert.deepEqual(printed, [
      'factory: type a reminder for the robot and press Enter (Ctrl-C ends)',
      'episode factory-3: failed (defective_left) - the bad gear went on',
      'robot asks: which gear do you mean?',
      'correction: retarget to gear_2 (the person meant the cracked gear)',
    ]);
    await running.stop();
    await graph.shutdown();
  });

  it('prints nothing from the robot when show_events is false', async () => {
    const { graph, printed, running } = await startConsole(['-p', 'show_events:=false']);
    graph.createNode('robot').createPublisher('std_msgs/msg/String', 'monitor/question').publish({ data: 'which cup?' });
    await settle(graph);
    assert.deepEqual(printed, ['kitchen: type a reminder for the robot and press Enter (Ctrl-C ends)']);
    await running.stop();
    await graph.shutdown();
  });

  it('sends nothing typed after it was stopped', async () => {
    const { graph, lines, reminders, running } = await startConsole();
    lines.push('first');
    await settle(graph);
    await running.stop();
    lines.push('second');
    await settle(graph);
    assert.deepEqual(reminders.map((r) => r.text), ['first']);
    await graph.shutdown();
  });

  it('refuses to start with max_length out of range, naming the parameter', async () => {
    const graph = new EmbeddedGraph({ logSink: captureLogs().sink });
    const node = graph.createNode('operator_console', { arguments: ['--ros-args', '-p', 'max_length:=0'] });
    assert.throws(() => operatorConsole.start(node, { print: () => undefined }), /parameter 'max_length'.*0 is out of range 1\.\.10000/);
    await graph.shutdown();
  });
});

describe('operator console text', () => {
  it('counts characters, not UTF-16 units, against the limit', () => {
    assert.deepEqual(checkTypedLine('🙂🙂🙂', 3), { accepted: true, text: '🙂🙂🙂' });
    assert.deepEqual(checkTypedLine('🙂🙂🙂🙂', 3), { accepted: false, reason: 'line ignored: 4 characters, the limit is 3 (parameter max_length)' });
  });

  it('rejects control characters from stray keys but turns tabs into spaces', () => {
    assert.deepEqual(checkTypedLine('left\x1b[Dcup', 100), {
      accepted: false,
      reason: 'line ignored: it contains control characters (arrow or function keys?); type it again',
    });
    assert.deepEqual(checkTypedLine('the\tred cup', 100), { accepted: true, text: 'the red cup' });
  });

  it('strips terminal control sequences and shortens long text before printing it', () => {
    assert.equal(printable('a\x1b[2Jb\nc'), 'a [2Jb c');
    assert.equal(printable('x'.repeat(200)).length, 160);
  });

  it('never shows the episode ground truth', () => {
    const event = { ...createMessage('h2r_interfaces/msg/EpisodeEvent'), episode_id: 'k1', event: 'started', truth_json: '{"target":"cup_blue"}' };
    assert.equal(describeEpisodeEvent(event), 'episode k1: started');
  });

  it('describes every correction kind', () => {
    const base = { ...createMessage('h2r_interfaces/msg/Correction'), point: { x: 0.1, y: -0.25, z: 0 }, radius: 0.05, grasp: 'side', action: 'place' };
    const lines = [Correction.MOVE_REGION, Correction.ADJUST_POSE, Correction.CHANGE_ACTION, Correction.HALT, Correction.RESUME, 9].map((kind) =>
      describeCorrection({ ...base, kind }),
    );
    assert.deepEqual(lines, [
      'correction: move to (0.10, -0.25, 0.00) within 0.05 m',
      'correction: grasp side',
      'correction: change action to place',
      'correction: halt',
      'correction: resume',
      'correction: unknown kind 9',
    ]);
    assert.equal(describeQuestion('left or\nright?'), 'robot asks: left or right?');
  });
});
