/**
 * The person at the table, as the trial simulates them: they watch the episode, and while the
 * mistake unfolds (at a random moment between it becoming visible and its point of no return)
 * they say a reminder in words from the held-out template families; they approve of a normal
 * episode at a random moment; when the robot asks, they answer a second later. Those moments are
 * when the words are heard whole; the person starts speaking as long before as the words take at
 * 160 words a minute, and what they say is true of the scene as it is when they start.
 */
import { realise } from '../language/corpus/realise';
import { Rng as CorpusRng } from '../language/corpus/utterance';
import type { SplitName } from '../language/corpus/vocabulary';
import { defaultViewers, describablesOf, episodeMeaning } from '../semantics/episode-meaning';
import type { DescribedKind, Meaning } from '../semantics/meaning';
import type { PlanePoint } from '../semantics/spatial';
import type { MistakeTruth, RobotAction, Scenario, SceneObject } from '../sim/types';
import type { EpisodeTruthJson } from '../sim/backend';
import { parseScene } from '../sim/scene-format';

/** What the trial learns of an episode when it starts (from the simulator's truth_json). */
export interface EpisodeStart {
  readonly episodeId: string;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly truth: MistakeTruth;
  readonly visibleAt: number | null;
  readonly pointOfNoReturnAt: number | null;
  readonly objects: readonly SceneObject[];
}

/** What an episode's `truth_json` (EpisodeEvent of a started episode) tells the person and the trial. */
export function episodeStartFromTruth(truthJson: string): EpisodeStart {
  const json = JSON.parse(truthJson) as EpisodeTruthJson;
  return {
    episodeId: json.episodeId,
    scenario: json.scenario,
    seed: json.seed,
    truth: json.mistake,
    visibleAt: json.visibleAt,
    pointOfNoReturnAt: json.pointOfNoReturnAt,
    objects: parseScene(json.scene).objects,
  };
}

/** Where things are when the person speaks (the simulator's ground-truth poses). */
export interface WorldView {
  readonly person: PlanePoint;
  readonly positions: ReadonlyMap<string, PlanePoint>;
}

export interface Utterance {
  readonly text: string;
  readonly meaning: Meaning;
  /** 'reminder' for the first words on an episode, 'answer' for a reply to a question. */
  readonly role: 'reminder' | 'answer';
}

export const ANSWER_DELAY_S = 1;
export const MAX_ANSWERS = 2;

/** How fast the person speaks: 160 words a minute, the speech benchmark's middle rate. */
export const WORDS_PER_SECOND = 160 / 60;

/** How long saying `text` takes, s. */
export function speakingSeconds(text: string): number {
  const words = text.split(/\s+/).filter((w) => w !== '').length;
  return Math.max(0.4, words / WORDS_PER_SECOND);
}

/**
 * What the person does in one step: they may start speaking (the moment a microphone's voice
 * activity detector would fire) and they may finish an utterance (the moment the words are
 * heard whole). Both can happen in one step only for a very short utterance.
 */
export interface PersonStep {
  readonly startedSpeaking: boolean;
  readonly finished: Utterance | null;
}

interface PlannedUtterance {
  readonly role: Utterance['role'];
  /** When the last word is said, s. */
  readonly endAt: number;
  /** They cannot have started before this (the episode's start, the robot's question), s. */
  readonly notBefore: number;
}

/** Utterances further ahead than this are not composed yet, s. */
const LONGEST_UTTERANCE_S = 8;

export class SimulatedPerson {
  private start: EpisodeStart | null = null;
  private planned: PlannedUtterance | null = null;
  private answerPlanned: PlannedUtterance | null = null;
  private speaking: { readonly utterance: Utterance; readonly endAt: number } | null = null;
  private answers = 0;
  private rng = new CorpusRng(1);

  constructor(
    private readonly seed: number,
    private readonly split: SplitName = 'test',
  ) {}

  /** Plans when to speak on a new episode. */
  episodeStarted(start: EpisodeStart, now = 0): void {
    this.start = start;
    this.rng = new CorpusRng((this.seed * 1_000_003 + start.seed * 7919) >>> 0);
    this.answers = 0;
    this.answerPlanned = null;
    this.speaking = null;
    const { visibleAt, pointOfNoReturnAt } = start;
    // The reminder is heard whole at a random moment while the mistake unfolds; the person began
    // saying it as long before as its words take (anticipating the mistake, if need be).
    const endAt =
      start.truth.type !== 'none' && visibleAt !== null && pointOfNoReturnAt !== null && pointOfNoReturnAt > visibleAt
        ? visibleAt + this.rng.next() * (pointOfNoReturnAt - visibleAt)
        : 1 + 3 * this.rng.next();
    this.planned = { role: 'reminder', endAt, notBefore: now };
  }

  /** The robot asked; the person's answer is heard a second later, at most MAX_ANSWERS times an episode. */
  heardQuestion(now: number): void {
    if (this.answers < MAX_ANSWERS && this.answerPlanned === null) this.answerPlanned = { role: 'answer', endAt: now + ANSWER_DELAY_S, notBefore: now };
  }

  /** Whether the person is in the middle of an utterance. */
  get isSpeaking(): boolean {
    return this.speaking !== null;
  }

  /**
   * One step at time `now`: begins the next planned utterance when the time left before it must
   * be heard is what saying it takes, and finishes the one being said when its time is up.
   */
  step(now: number, world: WorldView, currentAction: RobotAction): PersonStep {
    let startedSpeaking = false;
    if (!this.speaking) {
      const plan = this.planned ?? this.answerPlanned;
      if (plan && now >= plan.endAt - LONGEST_UTTERANCE_S) {
        // What they would say if they began now (drawn from a copy: nothing is spent on a probe).
        const probe = this.compose(plan.role, world, currentAction, this.rng.clone());
        if (probe && now >= Math.max(plan.notBefore, plan.endAt - speakingSeconds(probe.text))) {
          if (plan === this.planned) this.planned = null;
          else this.answerPlanned = null;
          if (plan.role === 'answer') this.answers++;
          const utterance = this.compose(plan.role, world, currentAction, this.rng);
          if (utterance) {
            this.speaking = { utterance, endAt: plan.endAt };
            startedSpeaking = true;
          }
        }
      }
    }
    if (this.speaking && now >= this.speaking.endAt) {
      const { utterance } = this.speaking;
      this.speaking = null;
      return { startedSpeaking, finished: utterance };
    }
    return { startedSpeaking, finished: null };
  }

  /** What the person says of the scene as they see it. */
  private compose(role: Utterance['role'], world: WorldView, currentAction: RobotAction, rng: CorpusRng): Utterance | null {
    const start = this.start;
    if (!start) return null;
    const random = () => rng.next();
    const view = { objects: describablesOf(start.objects, world.person, world.positions), viewers: defaultViewers(world.person), truth: start.truth };
    const meaning: Meaning = { ...episodeMeaning(view, random), urgency: role === 'answer' ? 0 : rng.pick([0, 0, 0.5, 1]) };
    const wrong = start.truth.wrongObject ? start.objects.find((o) => o.id === start.truth.wrongObject) : undefined;
    const context = { scenario: start.scenario, currentAction, wrongKind: wrong?.kind as DescribedKind | undefined };
    return { text: realise({ meaning, context }, rng, this.split).text, meaning, role };
  }
}
