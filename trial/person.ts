/**
 * The person at the table, as the trial simulates them: they watch the episode, and while the
 * mistake unfolds (at a random moment between it becoming visible and its point of no return)
 * they say a reminder in words from the held-out template families; they approve of a normal
 * episode at a random moment; when the robot asks, they answer a second later. What they say is
 * true of the scene as it is when they speak.
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

export class SimulatedPerson {
  private start: EpisodeStart | null = null;
  private speakAt: number | null = null;
  private answerAt: number | null = null;
  private answers = 0;
  private rng = new CorpusRng(1);

  constructor(
    private readonly seed: number,
    private readonly split: SplitName = 'test',
  ) {}

  /** Plans when to speak on a new episode. */
  episodeStarted(start: EpisodeStart): void {
    this.start = start;
    this.rng = new CorpusRng((this.seed * 1_000_003 + start.seed * 7919) >>> 0);
    this.answers = 0;
    this.answerAt = null;
    const { visibleAt, pointOfNoReturnAt } = start;
    if (start.truth.type !== 'none' && visibleAt !== null && pointOfNoReturnAt !== null && pointOfNoReturnAt > visibleAt) {
      this.speakAt = visibleAt + this.rng.next() * (pointOfNoReturnAt - visibleAt);
    } else {
      this.speakAt = 1 + 3 * this.rng.next();
    }
  }

  /** The robot asked; the person answers a second later, at most MAX_ANSWERS times an episode. */
  heardQuestion(now: number): void {
    if (this.answers < MAX_ANSWERS && this.answerAt === null) this.answerAt = now + ANSWER_DELAY_S;
  }

  /** What the person says now, if anything. */
  speak(now: number, world: WorldView, currentAction: RobotAction): Utterance | null {
    const start = this.start;
    if (!start) return null;
    let role: Utterance['role'] | null = null;
    if (this.speakAt !== null && now >= this.speakAt) {
      this.speakAt = null;
      role = 'reminder';
    } else if (this.answerAt !== null && now >= this.answerAt) {
      this.answerAt = null;
      this.answers++;
      role = 'answer';
    }
    if (!role) return null;
    const random = () => this.rng.next();
    const view = { objects: describablesOf(start.objects, world.person, world.positions), viewers: defaultViewers(world.person), truth: start.truth };
    const meaning: Meaning = { ...episodeMeaning(view, random), urgency: role === 'answer' ? 0 : this.rng.pick([0, 0, 0.5, 1]) };
    const wrong = start.truth.wrongObject ? start.objects.find((o) => o.id === start.truth.wrongObject) : undefined;
    const context = { scenario: start.scenario, currentAction, wrongKind: wrong?.kind as DescribedKind | undefined };
    return { text: realise({ meaning, context }, this.rng, this.split).text, meaning, role };
  }
}
