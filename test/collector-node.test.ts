import { strict as assert } from 'node:assert';
import * as path from 'path';
import { EmbeddedGraph } from '../graph/embedded';
import { captureLogs } from '../graph/logging';
import type { Reminder } from '../graph/messages';
import { reminderCollector } from '../nodes/reminder_collector';
import { firstClip, newSession, openSocket, originOf, reminderMessage, submit, temporaryDirectory } from './support/collector-fixtures';

describe('reminder_collector node', function () {
  this.timeout(30000);

  it('serves the page, prints where the admin view is, and publishes each saved reminder on reminder', async () => {
    const graph = new EmbeddedGraph({ clock: 'manual', logSink: captureLogs().sink });
    const reminders: Reminder[] = [];
    graph.createNode('listener').createSubscription('h2r_interfaces/msg/Reminder', 'reminder', (r) => reminders.push(r));
    const database = path.join(temporaryDirectory('node'), 'reminders.db');
    const node = graph.createNode('reminder_collector', {
      arguments: ['--ros-args', '-p', 'port:=0', '-p', `database:=${database}`, '-p', 'scenarios:=tabletop', '-p', 'mistakes:=wrong_pose'],
    });
    const printed: string[] = [];
    const running = await reminderCollector.start(node, { print: (line) => printed.push(line) });
    try {
      const url = printed.map((line) => /^volunteer page: (\S+)$/.exec(line)?.[1]).find((u) => u !== undefined);
      assert.ok(url, printed.join('\n'));
      assert.ok(printed.some((line) => /^admin view \(keep this private\): http:\/\/127\.0\.0\.1:\d+\/admin\?token=[\w-]{32}$/.test(line)), printed.join('\n'));
      const { session } = await newSession(url, 'N-1');
      const clip = await firstClip(url, session);
      const ws = await openSocket(url, originOf(url));
      assert.equal((await submit(ws, reminderMessage(session, clip.id, { text: 'the yellow block' }))).op, 'saved');
      ws.close();
      await graph.spinUntilIdle();
      assert.deepEqual(reminders.map((r) => [r.text, r.source, r.speaker]), [['the yellow block', 'collector', 'N-1']]);
    } finally {
      await running.stop();
      await graph.shutdown();
    }
  });

  it('refuses to start with a scenario it does not know, naming the parameter', async () => {
    const graph = new EmbeddedGraph({ clock: 'manual', logSink: captureLogs().sink });
    const node = graph.createNode('reminder_collector', { arguments: ['--ros-args', '-p', 'scenarios:=kitchen,garage', '-p', 'port:=0'] });
    await assert.rejects(Promise.resolve(reminderCollector.start(node, { print: () => undefined })), /^Error: scenarios: 'garage' is not one of kitchen, factory, tabletop$/);
    await graph.shutdown();
  });
});
