import { strict as assert } from 'node:assert';
import { drawEpisode, episodeInfo, episodeTruthJson } from '../sim/backend';
import type { MistakeType } from '../sim/types';
import { ANSWER_DELAY_S, SimulatedPerson, episodeStartFromTruth, speakingSeconds, type EpisodeStart, type WorldView } from '../trial/person';

const STEP = 0.05;

function episodeStart(mistake: MistakeType, seed: number): EpisodeStart {
  const info = episodeInfo(drawEpisode({ scenario: 'kitchen', seed, mistake }, STEP));
  return episodeStartFromTruth(JSON.stringify(episodeTruthJson(info)));
}

function view(start: EpisodeStart): WorldView {
  return { person: { x: 0.65, y: 0 }, positions: new Map(start.objects.map((o) => [o.id, { x: o.position.x, y: o.position.y }])) };
}

/** Steps the person through an episode; when they started and finished speaking and what they said. */
function listen(person: SimulatedPerson, start: EpisodeStart, until: number, from = 0) {
  const heard: { startedAt: number | null; finishedAt: number; text: string }[] = [];
  let startedAt: number | null = null;
  for (let now = from; now <= until; now += STEP) {
    const step = person.step(now, view(start), 'reach');
    if (step.startedSpeaking) startedAt = now;
    if (step.finished) {
      heard.push({ startedAt, finishedAt: now, text: step.finished.text });
      startedAt = null;
    }
  }
  return heard;
}

describe('the simulated person', () => {
  it('finishes a reminder while the mistake unfolds, having started as long before as the words take', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const start = episodeStart('wrong_object', seed);
      const person = new SimulatedPerson(7);
      person.episodeStarted(start);
      const heard = listen(person, start, 20);
      assert.equal(heard.length, 1, `seed ${seed}`);
      const [{ startedAt, finishedAt, text }] = heard;
      assert.ok(finishedAt >= (start.visibleAt ?? 0) - STEP && finishedAt <= (start.pointOfNoReturnAt ?? 0) + STEP, `seed ${seed}: heard at ${finishedAt}`);
      assert.ok(startedAt !== null);
      const took = finishedAt - (startedAt as number);
      assert.ok(Math.abs(took - Math.min(finishedAt, speakingSeconds(text))) <= STEP + 1e-9, `seed ${seed}: "${text}" took ${took.toFixed(2)} s to say`);
    }
  });

  it('says the same words at the same moments for the same seeds', () => {
    const start = episodeStart('wrong_region', 4);
    const first = new SimulatedPerson(3);
    first.episodeStarted(start);
    const second = new SimulatedPerson(3);
    second.episodeStarted(start);
    assert.deepEqual(listen(first, start, 20), listen(second, start, 20));
  });

  it('answers a question a second after it, starting no earlier than the question', () => {
    const start = episodeStart('wrong_object', 2);
    const person = new SimulatedPerson(5);
    person.episodeStarted(start);
    const reminder = listen(person, start, 20);
    assert.equal(reminder.length, 1);
    person.heardQuestion(20);
    const [answer] = listen(person, start, 25, 20);
    assert.ok(answer.startedAt !== null && answer.startedAt >= 20 - 1e-9, `started at ${answer.startedAt}`);
    assert.ok(Math.abs(answer.finishedAt - (20 + ANSWER_DELAY_S)) <= STEP, `finished at ${answer.finishedAt}`);
  });

  it('takes about 0.4 s a word at 160 words a minute', () => {
    assert.equal(speakingSeconds('no the blue cup on your left'), 7 / (160 / 60));
    assert.equal(speakingSeconds('stop'), 0.4);
  });
});
