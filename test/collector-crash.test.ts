import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import type { WebSocket } from 'ws';
import { repositoryRoot } from '../cli/repo';
import { firstClip, newSession, openSocket, originOf, reminderMessage, submit, temporaryDirectory } from './support/collector-fixtures';

const VOLUNTEERS = 20;
const PER_VOLUNTEER = 25;
/** Acknowledgements counted before the server is killed: well inside the burst of 500. */
const KILL_AFTER_ACKS = 120;

/** `h2r collect` in a child process; resolves once it prints the page's address. */
function spawnCollect(database: string): Promise<{ child: ChildProcess; url: string; exited: Promise<NodeJS.Signals | number | null> }> {
  const cli = path.join(repositoryRoot(), 'dist', 'cli', 'h2r.js');
  const child = spawn(process.execPath, [cli, 'collect', '--db', database, '--port', '0', '--scenarios', 'tabletop', '--mistakes', 'wrong_pose'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /volunteer page: (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] as string, exited });
    });
    void exited.then((how) => reject(new Error(`h2r collect ended (${String(how)}) before serving:\n${out}${err}`)));
  });
}

describe('collector killed in the middle of a burst', function () {
  this.timeout(120000);

  it('loses no reminder that was acknowledged when SIGKILLed during 500 submissions from 20 volunteers', async () => {
    const database = path.join(temporaryDirectory('crash'), 'reminders.db');
    const first = await spawnCollect(database);
    const acked = new Set<string>();
    let killed = false;
    const sockets: WebSocket[] = [];
    try {
      const volunteers = await Promise.all(Array.from({ length: VOLUNTEERS }, (_, i) => newSession(first.url, `crash-${i}`)));
      const clip = await firstClip(first.url, volunteers[0]?.session as string);
      for (let i = 0; i < VOLUNTEERS; i++) sockets.push(await openSocket(first.url, originOf(first.url)));
      // Each volunteer sends its next reminder when the last one is acknowledged, 20 at a time.
      const runVolunteer = async (index: number): Promise<void> => {
        const ws = sockets[index] as WebSocket;
        for (let n = 0; n < PER_VOLUNTEER && !killed; n++) {
          const message = reminderMessage(volunteers[index]?.session as string, clip.id, { text: `reminder ${n} of volunteer ${index}` });
          const answer = await Promise.race([submit(ws, message), new Promise<null>((resolve) => ws.once('close', () => resolve(null)))]);
          if (answer === null) return;
          assert.equal(answer.op, 'saved', answer.error);
          acked.add(message['requestId'] as string);
          if (acked.size === KILL_AFTER_ACKS && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(sockets.map((_, index) => runVolunteer(index)));
      assert.equal(await first.exited, 'SIGKILL');
    } finally {
      if (!killed) first.child.kill('SIGKILL');
      for (const ws of sockets) ws.terminate();
    }
    assert.ok(acked.size >= KILL_AFTER_ACKS && acked.size < VOLUNTEERS * PER_VOLUNTEER, `${acked.size} acknowledged`);

    const second = await spawnCollect(database);
    try {
      const reader = new Database(database, { readonly: true });
      const stored = new Set((reader.prepare('SELECT request_id AS id FROM reminders').all() as { id: string }[]).map((r) => r.id));
      reader.close();
      const lost = [...acked].filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged reminders are missing after the restart`);
      assert.ok(stored.size < VOLUNTEERS * PER_VOLUNTEER);
    } finally {
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0);
    }
  });
});
