/**
 * Template families: each a distinct way people phrase one kind of reminder. Families are the
 * unit of the held-out split: a dev or test family never produces a training example.
 */
import type { Description, Meaning } from '../../semantics/meaning';
import type { MistakeType } from '../../sim/types';
import type { ReminderContext } from './meaning-sampler';
import { actionPhrase, graspPhrase, locationPhrase, negatedAction, nounPhrase, relationPhrase } from './phrases';
import type { Utterance } from './utterance';
import type { SplitName } from './vocabulary';
import { KIND_WORDS } from './vocabulary';

export interface Family {
  readonly id: string;
  readonly split: SplitName;
  readonly mistake: MistakeType | 'stop';
  /** The family says the avoided description: preferred for plans that have one. */
  readonly saysAvoid?: boolean;
  /** Whether this phrasing can say the planned Meaning (default: always). */
  readonly accepts?: (plan: Meaning, context: ReminderContext) => boolean;
  readonly render: (u: Utterance, plan: Meaning, context: ReminderContext) => void;
}

/** The target with everything that singles it out: "the second green block from the left". */
export function targetPhrase(u: Utterance, plan: Meaning, determiner?: string): void {
  const ordinal = plan.locations.length > 0 ? plan.ordinal : 0;
  nounPhrase(u, plan.target, 'target', { ordinal, determiner });
  plan.locations.forEach((location, i) => locationPhrase(u, location, i === 0 ? ordinal : 0));
  if (plan.relation) relationPhrase(u, plan.relation);
}

function avoidPhrase(u: Utterance, avoid: Description): void {
  nounPhrase(u, avoid, 'avoid');
}

function hasTarget(plan: Meaning): boolean {
  return Object.keys(plan.target).length > 0 || plan.locations.length > 0 || plan.relation !== null;
}

function kindWord(u: Utterance, kind: string | undefined): string {
  const forms = kind ? KIND_WORDS[kind] : undefined;
  return forms ? u.word(forms.map(([one]) => one)) : 'one';
}

/** "that's the wrong cup": the robot's current object is ruled out. */
function wrongCurrent(u: Utterance, context: ReminderContext, tag: 'OBJECT' | 'O' = 'O'): void {
  u.say(u.rng.pick(["that's the", 'wrong', 'that is the', "you've got the"]));
  if (u.pieces[u.pieces.length - 1].word !== 'wrong') u.say('wrong');
  u.say(kindWord(u, context.wrongKind), tag);
  u.avoidCurrent = true;
}

const grabVerb = (u: Utterance) => u.sayOne(['grab', 'pick up', 'take', 'get', 'go for', 'grip', 'choose', 'select', 'fetch', 'reach for'], 'ACTION');
const putVerb = (u: Utterance) => u.sayOne(['put', 'place', 'set', 'move'], 'ACTION');
const no = (u: Utterance) => u.sayOne(['no', 'nope', 'no no', 'no no no'], 'NEGATION');
const target = (plan: Meaning) => hasTarget(plan);
const withAvoid = (plan: Meaning) => plan.avoid !== null && hasTarget(plan);

export const FAMILIES: readonly Family[] = [
  // ---- wrong_object -------------------------------------------------------------------------
  { id: 'wo_no_target', split: 'train', mistake: 'wrong_object', accepts: target, render: (u, p) => { no(u); u.say(','); targetPhrase(u, p); } },
  { id: 'wo_verb_target', split: 'train', mistake: 'wrong_object', accepts: target,
    render: (u, p) => { grabVerb(u); targetPhrase(u, p); u.maybe(0.4, () => u.say('instead')); } },
  { id: 'wo_not_avoid_target', split: 'train', mistake: 'wrong_object', saysAvoid: true, accepts: withAvoid,
    render: (u, p) => { u.say('not', 'NEGATION'); avoidPhrase(u, p.avoid!); u.say(','); targetPhrase(u, p); } },
  { id: 'wo_target_not_avoid', split: 'train', mistake: 'wrong_object', saysAvoid: true, accepts: withAvoid,
    render: (u, p) => { u.maybe(0.5, () => grabVerb(u)); targetPhrase(u, p); u.say(','); u.sayOne(['not', "don't take", 'not the other'], 'NEGATION'); avoidPhrase(u, p.avoid!); } },
  { id: 'wo_not_that_one', split: 'train', mistake: 'wrong_object',
    render: (u, p) => {
      u.say('not', 'NEGATION').say(u.rng.pick(['that one', 'that', 'this one']));
      u.avoidCurrent = true;
      u.say(',');
      if (hasTarget(p)) targetPhrase(u, p);
      else u.say(u.rng.pick(['the other one', 'the other', 'another one']));
    } },
  { id: 'wo_wrong_kind', split: 'train', mistake: 'wrong_object', accepts: (p, c) => c.wrongKind !== undefined,
    render: (u, p, c) => { wrongCurrent(u, c); if (hasTarget(p)) { u.say(u.rng.pick(['!', ','])); u.maybe(0.5, () => grabVerb(u)); targetPhrase(u, p); } else u.say('!'); } },
  { id: 'wo_question_wrong', split: 'train', mistake: 'wrong_object', accepts: (p, c) => c.wrongKind !== undefined,
    render: (u, p, c) => {
      u.say(u.rng.pick(["isn't that the wrong", 'is that the wrong', "aren't you taking the wrong"]));
      nounPhrase(u, { kind: c.wrongKind }, 'target', { determiner: '' });
      u.avoidCurrent = true;
      u.say('?');
      if (hasTarget(p) && u.rng.chance(0.5)) { u.say(u.rng.pick(['I meant', 'I wanted', 'it should be'])); targetPhrase(u, p); }
    } },
  { id: 'wo_i_meant', split: 'train', mistake: 'wrong_object', accepts: target,
    render: (u, p) => { u.say(u.rng.pick(['I meant', 'I said', 'I asked for', 'I was talking about'])); targetPhrase(u, p); } },
  { id: 'wo_its_target', split: 'train', mistake: 'wrong_object', accepts: target,
    render: (u, p) => { u.say(u.rng.pick(["it's", 'it is', 'the one I want is', 'my pick is'])); targetPhrase(u, p); } },
  { id: 'wo_current_fine', split: 'train', mistake: 'wrong_object', accepts: (p, c) => c.wrongKind !== undefined && p.target.state !== undefined,
    render: (u, p, c) => {
      u.say('that').say(kindWord(u, c.wrongKind)).say(u.rng.pick(["'s fine", "'s good", ' is fine', ' is ok'].map((s) => s.trim())));
      u.avoidCurrent = true;
      u.say(',');
      grabVerb(u);
      targetPhrase(u, p);
    } },
  { id: 'wo_only_avoid', split: 'train', mistake: 'wrong_object', saysAvoid: true, accepts: (p) => p.avoid !== null,
    render: (u, p) => {
      u.maybe(0.4, () => no(u));
      u.sayOne(['not', "don't take", "don't grab", 'never'], 'NEGATION');
      avoidPhrase(u, p.avoid!);
      u.maybe(0.4, () => u.say(u.rng.pick(['!', 'please', ', the other one'])));
    } },
  { id: 'wo_bare_target', split: 'train', mistake: 'wrong_object', accepts: target,
    render: (u, p) => { targetPhrase(u, p); u.maybe(0.4, () => u.say(u.rng.pick(['!', 'please', ', that one']))); } },
  { id: 'wo_want', split: 'dev', mistake: 'wrong_object', accepts: target,
    render: (u, p) => { u.say(u.rng.pick(['I want', "I'd like", 'I need'])); targetPhrase(u, p); } },
  { id: 'wo_try', split: 'dev', mistake: 'wrong_object', accepts: target,
    render: (u, p) => { u.say(u.rng.pick(['try', 'go with', 'switch to'])); targetPhrase(u, p); } },
  { id: 'wo_could_you', split: 'test', mistake: 'wrong_object', accepts: target,
    render: (u, p) => { u.say(u.rng.pick(['could you', 'can you', 'would you'])); grabVerb(u); targetPhrase(u, p); u.say('?'); } },
  { id: 'wo_reaching_wrong', split: 'test', mistake: 'wrong_object', accepts: (p, c) => c.wrongKind !== undefined && target(p),
    render: (u, p, c) => {
      u.say(u.rng.pick(["you're reaching for the wrong", "you're going for the wrong", "that's not the right"]));
      u.say(kindWord(u, c.wrongKind));
      u.avoidCurrent = true;
      u.say(',').say(u.rng.pick(['I need', 'it should be', 'get me']));
      targetPhrase(u, p);
    } },
  { id: 'wo_use_instead', split: 'test', mistake: 'wrong_object', accepts: target,
    render: (u, p) => { u.say('use'); targetPhrase(u, p); u.say('instead'); } },

  // ---- wrong_region: where the pour or the part should go ---------------------------------------
  { id: 'wr_pour_into', split: 'train', mistake: 'wrong_region',
    render: (u, p, c) => { u.sayOne(c.scenario === 'kitchen' ? ['pour', 'pour it', 'pour the water'] : ['put it', 'place it'], 'ACTION'); relationPhrase(u, p.relation!); } },
  { id: 'wr_no_into', split: 'train', mistake: 'wrong_region',
    render: (u, p) => { no(u); u.say(','); relationPhrase(u, p.relation!); } },
  { id: 'wr_pouring_beside', split: 'train', mistake: 'wrong_region', accepts: (p, c) => c.scenario === 'kitchen',
    render: (u, p) => {
      u.say(u.rng.pick(["you're pouring", "you're about to pour", 'you are pouring', "you'll pour"]));
      u.sayOne(['next to', 'beside', 'outside', 'past', 'behind'], 'RELATION');
      const reference = nounPhrase(u, p.relation!.reference, 'reference');
      u.relation = { type: 'in', reference, viewpoint: null };
    } },
  { id: 'wr_goes_in', split: 'train', mistake: 'wrong_region',
    render: (u, p) => { u.say(u.rng.pick(['it goes', 'that goes', 'this goes', 'that one goes'])); relationPhrase(u, p.relation!); } },
  { id: 'wr_wrong_place', split: 'train', mistake: 'wrong_region',
    render: (u, p, c) => {
      u.say(u.rng.pick(c.scenario === 'factory' ? ['wrong bin', 'not that bin', 'wrong box'] : ['wrong spot', "that's not the cup", 'you missed']));
      u.say(u.rng.pick(['!', ',']));
      relationPhrase(u, p.relation!);
    } },
  { id: 'wr_aim_for', split: 'dev', mistake: 'wrong_region',
    render: (u, p) => { u.say(u.rng.pick(['aim', 'aim it', 'point it'])); relationPhrase(u, { ...p.relation!, type: 'in' }); } },
  { id: 'wr_should_go', split: 'test', mistake: 'wrong_region',
    render: (u, p, c) => { u.say(c.scenario === 'factory' ? 'the part should go' : 'the water should go'); relationPhrase(u, p.relation!); } },

  // ---- wrong_pose ---------------------------------------------------------------------------
  { id: 'wp_hold_it', split: 'train', mistake: 'wrong_pose',
    render: (u, p) => { u.sayOne(['hold it', 'grab it', 'take it', 'pick it up', 'keep it'], 'ACTION'); graspPhrase(u, p.grasp!); } },
  { id: 'wp_grab_target', split: 'train', mistake: 'wrong_pose', accepts: (p) => p.target.kind !== undefined,
    render: (u, p) => { u.sayOne(['hold', 'grab', 'take', 'pick up'], 'ACTION'); nounPhrase(u, p.target, 'target'); graspPhrase(u, p.grasp!); } },
  { id: 'wp_bare', split: 'train', mistake: 'wrong_pose',
    render: (u, p) => { graspPhrase(u, p.grasp!); u.maybe(0.5, () => u.say(u.rng.pick(['please', '!', ', please']))); } },
  { id: 'wp_careful_hold', split: 'train', mistake: 'wrong_pose',
    render: (u, p) => { u.say(u.rng.pick(['careful ,', 'watch it ,', 'easy ,'])); u.sayOne(['hold it', 'keep it', 'grip it'], 'ACTION'); graspPhrase(u, p.grasp!); } },
  { id: 'wp_holding_wrong', split: 'dev', mistake: 'wrong_pose',
    render: (u, p) => { u.say(u.rng.pick(["you're holding it wrong ,", "that's not how you hold it ,", 'wrong hold ,'])); u.sayOne(['hold it', 'grab it', 'take it'], 'ACTION'); graspPhrase(u, p.grasp!); } },
  { id: 'wp_not_like_that', split: 'test', mistake: 'wrong_pose',
    render: (u, p) => { u.say('not', 'NEGATION').say(u.rng.pick(['like that', 'that way', 'so'])).say(','); graspPhrase(u, p.grasp!); } },

  // ---- wrong_action -------------------------------------------------------------------------
  { id: 'wa_do', split: 'train', mistake: 'wrong_action',
    render: (u, p) => { actionPhrase(u, p.action!); if (p.relation) relationPhrase(u, p.relation); } },
  { id: 'wa_do_dont', split: 'train', mistake: 'wrong_action', accepts: (p, c) => c.currentAction !== p.action,
    render: (u, p, c) => { actionPhrase(u, p.action!); if (p.relation) relationPhrase(u, p.relation); u.say(','); negatedAction(u, c.currentAction); } },
  { id: 'wa_dont_do', split: 'train', mistake: 'wrong_action', accepts: (p, c) => c.currentAction !== p.action,
    render: (u, p, c) => { negatedAction(u, c.currentAction); u.say(u.rng.pick([',', ', just', ', instead'])); actionPhrase(u, p.action!); if (p.relation) relationPhrase(u, p.relation); } },
  { id: 'wa_instead', split: 'dev', mistake: 'wrong_action',
    render: (u, p) => { actionPhrase(u, p.action!); if (p.relation) relationPhrase(u, p.relation); u.say('instead'); } },
  { id: 'wa_want_you_to', split: 'test', mistake: 'wrong_action',
    render: (u, p) => { u.say(u.rng.pick(['I want you to', 'you should', 'you need to'])); actionPhrase(u, p.action!); if (p.relation) relationPhrase(u, p.relation); } },

  // ---- wrong_relation: where to put it ------------------------------------------------------
  { id: 'wl_put_it', split: 'train', mistake: 'wrong_relation',
    render: (u, p) => { putVerb(u); if (p.target.kind && u.rng.chance(0.4)) nounPhrase(u, p.target, 'target'); else u.say('it'); placePhrase(u, p); } },
  { id: 'wl_no', split: 'train', mistake: 'wrong_relation',
    render: (u, p) => { no(u); u.say(','); u.maybe(0.5, () => { putVerb(u); u.say('it'); }); placePhrase(u, p); } },
  { id: 'wl_goes', split: 'train', mistake: 'wrong_relation',
    render: (u, p) => { u.say(u.rng.pick(['it goes', 'that goes', 'it belongs', 'leave it'])); placePhrase(u, p); } },
  { id: 'wl_i_said', split: 'dev', mistake: 'wrong_relation',
    render: (u, p) => { u.say(u.rng.pick(['I said', 'I told you'])); placePhrase(u, p); } },
  { id: 'wl_should_be', split: 'test', mistake: 'wrong_relation',
    render: (u, p) => { u.say(u.rng.pick(['it should be', 'it has to be', 'I want it'])); placePhrase(u, p); } },

  // ---- none: approval -----------------------------------------------------------------------
  { id: 'ok_keep_going', split: 'train', mistake: 'none',
    render: (u) => { u.sayOne(['good', 'great', 'yes', 'yeah', 'perfect', 'ok', 'alright']); u.say(u.rng.pick([',', ''])); u.sayOne(['keep going', 'carry on', 'go on', 'continue', 'go ahead']); } },
  { id: 'ok_right', split: 'train', mistake: 'none',
    render: (u) => { u.sayOne(["yes that's right", "that's right", "that's the one", 'exactly', 'correct', 'yep , that one', 'yes , good']); } },
  { id: 'ok_target', split: 'train', mistake: 'none', accepts: target,
    render: (u, p) => { u.sayOne(['yes ,', 'right ,', 'good ,', 'yeah ,']); targetPhrase(u, p); u.maybe(0.5, () => u.sayOne([', good', ', perfect', ', thanks'])); } },
  { id: 'ok_short', split: 'train', mistake: 'none',
    render: (u) => {
      u.sayOne(['good', 'great', 'looks right', 'yes like this', 'that is correct', 'alright , go on', 'perfect , thanks', 'okay good', 'yes , continue',
        'right , carry on', 'fine', 'good stuff', 'brilliant', 'excellent', 'spot on', 'you got it', 'lovely', 'super', 'looks fine to me', 'yes please', 'that one is fine']);
    } },
  { id: 'ok_fine', split: 'dev', mistake: 'none',
    render: (u) => { u.sayOne(["that's fine", 'looks good', 'all good', 'that works']); } },
  { id: 'ok_nice', split: 'test', mistake: 'none',
    render: (u) => { u.sayOne(['nice', 'well done', 'good job']); u.say(','); u.sayOne(["that's it", 'just like that', 'keep it up']); } },

  // ---- stop only ----------------------------------------------------------------------------
  { id: 'st_bare', split: 'train', mistake: 'stop',
    render: (u) => { u.sayOne(['stop', 'stop stop', 'wait', 'wait wait', 'hold on', 'halt', 'freeze', 'stop now']); u.stop = true; } },
  { id: 'st_command', split: 'train', mistake: 'stop',
    render: (u) => { u.sayOne(['stop it', 'stop that', 'please stop', 'stop please', 'wait please', 'stop for now', 'halt now', 'stop robot', 'freeze please', 'hold on please']); u.stop = true; } },
  { id: 'st_right_there', split: 'dev', mistake: 'stop',
    render: (u) => { u.sayOne(['stop right there', 'wait a second', 'wait a moment']); u.stop = true; } },
  { id: 'st_everything', split: 'test', mistake: 'stop',
    render: (u) => { u.sayOne(['stop everything', 'hang on', 'wait , wait']); u.stop = true; } },
];

/** Where to put it (wrong_relation): a relation, or locations ("on my right"). */
function placePhrase(u: Utterance, plan: Meaning): void {
  if (plan.relation) relationPhrase(u, plan.relation);
  for (const location of plan.locations) locationPhrase(u, location);
}

export function familyById(id: string): Family {
  const family = FAMILIES.find((f) => f.id === id);
  if (!family) throw new Error(`no template family "${id}"`);
  return family;
}
