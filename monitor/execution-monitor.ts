/**
 * The execution monitor's decisions, free of any graph: it matches what the person said
 * (language attention) and where they look (grounded visual attention) to what the robot is doing
 * (execution state), flags an abnormal execution and chooses the correction, or asks.
 *
 * Order of business for each reminder:
 *  1. "stop"/"wait" halts at once, before any network output is needed.
 *  2. An approval changes nothing (it resumes a robot the monitor had halted to ask). A bare name
 *     with no mistake word in it ("the mug") says which object, if not the one being acted on.
 *  3. Otherwise the monitor waits for the visual attention of the same reminder (matched by the
 *     reminder's stamp), then corrects by mistake type, or halts and asks when attention is
 *     low-confidence or contradicts itself. The next reminder resolves a question.
 */
import type { ExecutionState, LanguageAttention, VisualAttention } from '../graph/messages';
import { LEXICON } from '../language/lexicon';

export type CorrectionKind = 'retarget' | 'move_region' | 'adjust_pose' | 'change_action' | 'halt' | 'resume';

export interface PlannedCorrection {
  readonly kind: CorrectionKind;
  readonly targetObject: string;
  readonly point: { readonly x: number; readonly y: number; readonly z: number };
  readonly radius: number;
  readonly grasp: string;
  readonly action: string;
  readonly reason: string;
  readonly reminderStamp: StampKey;
}

export interface Flag {
  /** diagnostic_msgs/DiagnosticStatus level: 0 OK, 1 WARN, 2 ERROR. */
  readonly level: 0 | 1 | 2;
  readonly mistakeType: string;
  readonly reason: string;
  readonly values: Readonly<Record<string, string>>;
}

export type Decision =
  | { readonly type: 'correction'; readonly correction: PlannedCorrection }
  | { readonly type: 'flag'; readonly flag: Flag }
  | { readonly type: 'question'; readonly text: string };

/** A message stamp as one comparable number of nanoseconds. */
export type StampKey = bigint;

export function stampKey(stamp: { sec: number; nanosec: number }): StampKey {
  return BigInt(stamp.sec) * 1_000_000_000n + BigInt(stamp.nanosec);
}

export interface MonitorOptions {
  /** Below this language or visual confidence the monitor asks instead of acting. */
  readonly confidenceThreshold: number;
  /** Below this mistake-type confidence the monitor asks what is wrong. */
  readonly mistakeConfidenceThreshold: number;
  /** Radius (m) of the region sent with move_region corrections. */
  readonly regionRadius: number;
}

export const DEFAULT_MONITOR_OPTIONS: MonitorOptions = {
  confidenceThreshold: 0.5,
  mistakeConfidenceThreshold: 0.5,
  regionRadius: 0.04,
};

/** The grasp to ask for when the person says the pose is wrong but not how to fix it. */
const DEFAULT_GRASP: Readonly<Record<string, string>> = { gear: 'centre' };

const ORIGIN = { x: 0, y: 0, z: 0 };

/** The words as the parser read them (misspellings snapped), or as written when a sender left them out. */
function wordsOf(language: LanguageAttention): readonly string[] {
  return language.words.length === language.tokens.length ? language.words : language.tokens.map((token) => token.toLowerCase());
}

/** The person asks for pouring, by the parsed action or by a pouring word ("fill it up", "pore it"). */
function asksToPour(language: LanguageAttention): boolean {
  return language.action === 'pour' || wordsOf(language).some((word) => LEXICON[word] === 'act:pour');
}

/** The reminder describes an object (a kind, colour, size or state), not only approves. */
function namesSomething(language: LanguageAttention): boolean {
  const { kind, colour, size, state } = language.target;
  return [kind, colour, size, state].some((value) => value !== '' && value !== 'person');
}

/** Some word of the reminder approves ("yes", "good"). */
function approves(language: LanguageAttention): boolean {
  return wordsOf(language).some((word) => LEXICON[word]?.startsWith('approve:'));
}

/**
 * The words say which other object, or which one not: a description, a place, a relation, an
 * ordinal, or "not that one". Without any of it there is nothing to retarget to.
 */
function saysWhichObject(language: LanguageAttention): boolean {
  const { kind, colour, size, state } = language.avoid;
  return (
    namesSomething(language) ||
    [kind, colour, size, state].some((value) => value !== '') ||
    language.avoid_current ||
    language.location.length > 0 ||
    language.relation !== '' ||
    language.ordinal !== 0
  );
}

/** The action a wrong-action reminder asks for: named, or "bring it to me" for handing over. */
function requestedAction(language: LanguageAttention): string {
  return language.action || (language.target.kind === 'person' ? 'hand_over' : '');
}

/**
 * Steps every task takes on the way to its delivery. A changed action replaces how the item is
 * delivered (the Correction message's CHANGE_ACTION), so asking for one of these names no change.
 */
const PREPARATION: ReadonlySet<string> = new Set(['reach', 'grasp', 'lift', 'transport']);

/** Asking for this action changes nothing: it is a step on the way, or the robot does it now or later. */
function nothingToAskFor(state: ExecutionState | null, action: string): boolean {
  return PREPARATION.has(action) || (state !== null && (state.action === action || state.plan.includes(action)));
}

/** The robot pours now or will in its plan. */
function pours(state: ExecutionState): boolean {
  return state.action === 'pour' || state.plan.includes('pour');
}

export class ExecutionMonitor {
  private state: ExecutionState | null = null;
  /** The last state before the robot halted: a halted robot's plan is empty, what it was about to do is not. */
  private lastRunning: ExecutionState | null = null;
  private readonly pendingLanguage = new Map<StampKey, LanguageAttention>();
  private lastReminder: StampKey = -1n;
  /** The monitor halted the robot to ask; the next reminder resolves it. */
  private awaitingClarification = false;
  /** The mistake the question was about: an answer that only names a thing ("the tumbler") is about it too. */
  private questionMistake = 'wrong_object';
  /** Reminders that only named an object ("the mug"): acted on only if it is not what the robot takes. */
  private readonly namedOnly = new Set<StampKey>();

  constructor(private readonly options: MonitorOptions = DEFAULT_MONITOR_OPTIONS) {}

  get isAwaitingClarification(): boolean {
    return this.awaitingClarification;
  }

  onExecutionState(state: ExecutionState): Decision[] {
    if (this.state && state.episode_id !== this.state.episode_id) {
      this.pendingLanguage.clear();
      this.namedOnly.clear();
      this.awaitingClarification = false;
      this.lastRunning = null;
    }
    this.state = state;
    if (state.status !== 'halted') this.lastRunning = state;
    return [];
  }

  /** Throws on an out-of-order reminder so the node can log and drop it. */
  onLanguageAttention(heard: LanguageAttention): Decision[] {
    const key = stampKey(heard.header.stamp);
    const language = this.awaitingClarification && heard.mistake_type === 'none' && namesSomething(heard) ? { ...heard, mistake_type: this.questionMistake } : heard;
    if (key <= this.lastReminder) {
      throw new Error(`language attention stamped ${key} arrived after one stamped ${this.lastReminder}; dropped as out of order`);
    }
    this.lastReminder = key;
    if (language.stop) {
      this.pendingLanguage.set(key, language);
      return [
        flag(1, language.mistake_type, `the person asked to stop: "${language.reminder_text}"`, { reminder: language.reminder_text }),
        this.correction('halt', key, 'the person asked the robot to stop'),
      ];
    }
    if (language.mistake_type === 'none' && language.mistake_confidence >= this.options.mistakeConfidenceThreshold) {
      if (!this.awaitingClarification) {
        if (namesSomething(language) && !approves(language) && this.state?.target_object) {
          this.pendingLanguage.set(key, { ...language, mistake_type: 'wrong_object' });
          this.namedOnly.add(key);
        }
        return [];
      }
      this.awaitingClarification = false;
      return [this.correction('resume', key, `the person confirmed: "${language.reminder_text}"`)];
    }
    this.pendingLanguage.set(key, language);
    return [];
  }

  onVisualAttention(visual: VisualAttention): Decision[] {
    const key = stampKey(visual.reminder_stamp);
    const heard = this.pendingLanguage.get(key);
    if (!heard) return [];
    const language = this.aboutWhatToTake(heard, visual);
    this.pendingLanguage.delete(key);
    if (this.namedOnly.delete(key)) {
      const otherThing = this.namedOtherThing(visual);
      if (!otherThing) return [flag(0, 'none', `"${language.reminder_text}" names what the robot is doing, or nothing it can see for sure; carrying on`, { reminder: language.reminder_text })];
      return this.correct(language, visual, key);
    }
    if (language.stop && (language.mistake_type === 'none' || language.mistake_confidence < this.options.mistakeConfidenceThreshold)) {
      return [];
    }
    const nothing = this.nothingToChange(language);
    if (nothing) return [flag(0, language.mistake_type, nothing, { reminder: language.reminder_text })];
    const doubt = this.doubt(language, visual);
    if (doubt) return this.ask(language, key, doubt);
    // A correction sets a halted robot going again (the simulator replans from where it stands).
    this.awaitingClarification = false;
    return this.correct(language, visual, key);
  }

  /**
   * A place cannot be what is wrong while the robot holds nothing: "the cogwheel on the left", read
   * as a wrong place while the robot reaches for a gear, says which thing to take. Nor when the
   * attention found the words name another one of what it holds ("grip the cogwheel on the right"
   * while it carries a gear off): the visual attention then says wrong_object. Nor is an action
   * the robot already takes: "pick up the mug" while it picks up a glass names what to pick up.
   */
  private aboutWhatToTake(language: LanguageAttention, visual: VisualAttention): LanguageAttention {
    const action = requestedAction(language);
    if (language.mistake_type === 'wrong_action' && action && action !== 'hand_over' && namesSomething(language) && nothingToAskFor(this.state, action) && this.namedOtherThing(visual)) {
      return { ...language, mistake_type: 'wrong_object' };
    }
    const placing = language.mistake_type === 'wrong_region' || language.mistake_type === 'wrong_relation';
    if (!placing || !this.state || !namesSomething(language) || asksToPour(language)) return language;
    if (this.state.held_object !== '' && visual.mistake_type !== 'wrong_object') return language;
    return { ...language, mistake_type: 'wrong_object' };
  }

  /**
   * Why this reminder, read as a mistake, still asks for nothing the robot is not doing, or null.
   * Praise the parser misreads ("well done, keep it up" as a wrong action asking to grasp) must
   * not disturb a correct execution; a real mistake names what to do instead.
   */
  private nothingToChange(language: LanguageAttention): string | null {
    if (this.awaitingClarification) return null;
    if (language.mistake_type === 'wrong_object' && !saysWhichObject(language)) {
      return `"${language.reminder_text}" names no other object and rejects none; carrying on`;
    }
    const action = requestedAction(language);
    // The tagger found no action, negation or description in the words: the action is the mistake
    // head's guess from fillers and exclamations ("whoa, well done, just like that!").
    if (language.mistake_type === 'wrong_action' && language.tags.length > 0 && language.tags.every((tag) => tag === 'O')) {
      return `"${language.reminder_text}" says no action and rejects nothing; carrying on`;
    }
    if (language.mistake_type === 'wrong_action' && action && nothingToAskFor(this.state, action)) {
      return `"${language.reminder_text}" asks to ${action}, which the robot does on its way or already plans; carrying on`;
    }
    return null;
  }

  /**
   * A bare name is a correction only when it clearly picks another object than the one the robot
   * acts on or holds: otherwise it was said in passing, or approvingly, and asking would halt a
   * correct execution.
   */
  private namedOtherThing(visual: VisualAttention): boolean {
    const attended = visual.attended_object;
    if (visual.low_confidence || visual.confidence < this.options.confidenceThreshold) return false;
    return attended !== '' && attended !== 'person' && attended !== this.state?.target_object && attended !== this.state?.held_object;
  }

  /** Why the monitor should not act on this attention, or null. */
  private doubt(language: LanguageAttention, visual: VisualAttention): string | null {
    if (language.confidence < this.options.confidenceThreshold) return `I did not understand "${language.reminder_text}" well`;
    if (language.mistake_confidence < this.options.mistakeConfidenceThreshold) return 'I am not sure what I am doing wrong';
    const needsVisual = language.mistake_type !== 'wrong_pose' && language.mistake_type !== 'wrong_action';
    // An answer to a question is acted on with the best guess: asking again and again would leave
    // the robot halted for good, and the person watching can still say "stop".
    const answering = this.awaitingClarification;
    if (needsVisual && !answering && (visual.low_confidence || visual.confidence < this.options.confidenceThreshold)) {
      return visual.reason || 'I cannot tell which one you mean';
    }
    if (needsVisual && !visual.attended_object && language.mistake_type === 'wrong_object') return 'I cannot see what you mean';
    const current = this.state?.target_object ?? '';
    if (language.mistake_type === 'wrong_object' && visual.attended_object === current && current !== '') {
      return `I am already taking ${current}`;
    }
    return null;
  }

  private ask(language: LanguageAttention, key: StampKey, doubt: string): Decision[] {
    const already = this.awaitingClarification;
    this.awaitingClarification = true;
    if (language.mistake_type !== 'none') this.questionMistake = language.mistake_type;
    const thing = language.target.kind || 'one';
    const question = `${doubt}. Which ${thing} do you mean, and what should I do?`;
    const decisions: Decision[] = [
      flag(1, language.mistake_type, `halted to ask: ${doubt}`, { reminder: language.reminder_text }),
      { type: 'question', text: question },
    ];
    if (!already) decisions.unshift(this.correction('halt', key, `asking the person: ${doubt}`));
    return decisions;
  }

  private correct(language: LanguageAttention, visual: VisualAttention, key: StampKey): Decision[] {
    const state = this.state;
    const attended = visual.attended_object;
    const point = { x: visual.attended_point.x, y: visual.attended_point.y, z: visual.attended_point.z };
    const values = { reminder: language.reminder_text, attended: attended, action: state?.action ?? '', target: state?.target_object ?? '' };
    switch (language.mistake_type) {
      case 'wrong_object':
        return [
          flag(2, 'wrong_object', `acting on ${state?.target_object || 'an object'} but the person means ${attended}`, values),
          { type: 'correction', correction: { ...this.plan('retarget', key, `retarget to ${attended}`), targetObject: attended, point } },
        ];
      case 'wrong_region':
      case 'wrong_relation':
        // "Pour it into the tumbler" while the robot is about to hand the pitcher over without
        // pouring: the place is right, the action is not. Water is poured into something, so "pour
        // it in front of me" is where to put the cup down.
        const byViewer = language.reference.kind === 'person' || language.reference.kind === 'robot';
        const aboutToPour = state !== null && (pours(state) || (state.status === 'halted' && this.lastRunning !== null && pours(this.lastRunning)));
        if (state && asksToPour(language) && !byViewer && !aboutToPour) {
          return [
            flag(2, 'wrong_action', `${state.action || 'the action'} is wrong; the person asks to pour`, values),
            { type: 'correction', correction: { ...this.plan('change_action', key, 'change the action to pour'), action: 'pour' } },
          ];
        }
        // Water goes into a vessel: what the words pick while the robot is about to pour is the
        // vessel to pour into, the object itself rather than a point estimated from the image.
        if (state && attended && attended !== 'person' && aboutToPour) {
          // Nothing is poured into what it is poured from: the attention took the pitcher over the
          // cup for the cup, and the vessel the robot was aiming at is the better guess.
          const aim = pours(state) ? state : this.lastRunning;
          const into = attended === state.held_object && aim?.target_object && aim.target_object !== state.held_object ? aim.target_object : attended;
          return [
            flag(2, language.mistake_type, `${pours(state) ? state.action : 'the halted robot'} pours in the wrong place; the person means ${into}`, values),
            { type: 'correction', correction: { ...this.plan('retarget', key, `pour into ${into}`), targetObject: into, point } },
          ];
        }
        return [
          flag(2, language.mistake_type, `${state?.action || 'the action'} goes to the wrong place; the person means ${attended || 'another place'}`, values),
          {
            type: 'correction',
            correction: { ...this.plan('move_region', key, `move to ${attended || 'the attended point'}`), targetObject: attended, point, radius: this.options.regionRadius },
          },
        ];
      case 'wrong_pose': {
        const kindHeld = language.target.kind || '';
        const grasp = language.grasp || DEFAULT_GRASP[kindHeld] || 'side';
        return [
          flag(2, 'wrong_pose', `grasp ${state?.grasp || ''} is wrong; the person asks for ${grasp}`, values),
          { type: 'correction', correction: { ...this.plan('adjust_pose', key, `adjust the grasp to ${grasp}`), grasp } },
        ];
      }
      case 'wrong_action': {
        const action = requestedAction(language);
        if (!action) return this.ask(language, key, 'I am not sure what to do instead');
        return [
          flag(2, 'wrong_action', `${state?.action || 'the action'} is wrong; the person asks to ${action}`, values),
          { type: 'correction', correction: { ...this.plan('change_action', key, `change the action to ${action}`), action } },
        ];
      }
      default:
        return this.ask(language, key, 'I am not sure what I am doing wrong');
    }
  }

  private plan(kind: CorrectionKind, key: StampKey, reason: string): PlannedCorrection {
    return { kind, targetObject: '', point: ORIGIN, radius: 0, grasp: '', action: '', reason, reminderStamp: key };
  }

  private correction(kind: CorrectionKind, key: StampKey, reason: string): Decision {
    return { type: 'correction', correction: this.plan(kind, key, reason) };
  }
}

function flag(level: 0 | 1 | 2, mistakeType: string, reason: string, values: Record<string, string>): Decision {
  return { type: 'flag', flag: { level, mistakeType, reason, values } };
}
