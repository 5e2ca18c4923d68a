/**
 * A parse as the h2r_interfaces/msg/LanguageAttention message (and the stop-only message of the
 * lexicon fast path). Pure: no graph, no model.
 */
import type { Header, LanguageAttention, ObjectDescription } from '../graph/messages';
import type { Description, ViewpointWord } from '../semantics/meaning';
import type { ParseResult } from './parser';

export function objectDescription(d: Description | null | undefined): ObjectDescription {
  return { kind: d?.kind ?? '', colour: d?.colour ?? '', size: d?.size ?? '', state: d?.state ?? '', count: d?.count ?? 0 };
}

function viewpointText(viewpoint: ViewpointWord): string {
  return viewpoint ?? '';
}

export function languageAttentionMessage(result: ParseResult, header: Header): LanguageAttention {
  const m = result.meaning;
  return {
    header,
    reminder_text: result.text,
    tokens: result.tokens,
    words: result.words,
    tags: result.tags,
    token_attention: result.attention,
    target: objectDescription(m.target),
    avoid: objectDescription(m.avoid),
    avoid_current: m.avoidCurrent,
    location: m.locations.map((l) => l.term),
    location_viewpoint: m.locations.map((l) => viewpointText(l.viewpoint)),
    ordinal: m.ordinal,
    relation: m.relation?.type ?? '',
    relation_viewpoint: viewpointText(m.relation?.viewpoint ?? null),
    reference: objectDescription(m.relation?.reference),
    reference2: objectDescription(m.relation?.reference2),
    action: m.action ?? '',
    grasp: m.grasp ?? '',
    mistake_type: m.mistake,
    mistake_confidence: result.mistakeConfidence,
    stop: m.stop,
    urgency: m.urgency,
    confidence: result.confidence,
    unknown_words: result.unknownWords,
    features: result.features,
  };
}

/** What the fast path publishes before the network has read a stop command: halt, nothing else. */
export function stopAttentionMessage(text: string, tokens: readonly string[], header: Header): LanguageAttention {
  const none = objectDescription(null);
  return {
    header, reminder_text: text, tokens: [...tokens], words: tokens.map((token) => token.toLowerCase()), tags: tokens.map(() => 'O'),
    token_attention: tokens.map(() => 1 / Math.max(1, tokens.length)),
    target: none, avoid: none, avoid_current: false, location: [], location_viewpoint: [], ordinal: 0,
    relation: '', relation_viewpoint: '', reference: none, reference2: none, action: '', grasp: '',
    mistake_type: 'none', mistake_confidence: 1, stop: true, urgency: 1, confidence: 1, unknown_words: [], features: [],
  };
}
