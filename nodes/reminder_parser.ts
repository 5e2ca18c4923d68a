/**
 * reminder_parser: reads `reminder`, publishes the language attention on `attention/language`
 * (header stamp copied from the reminder). Stop commands are answered from the lexicon at once,
 * before the network is loaded; everything else waits for the model (queued while it loads).
 */
import { QosProfiles } from '../graph/api';
import type { Reminder } from '../graph/messages';
import { declareParameters, type NodeDefinition, type ParameterSchema } from '../graph/node-definition';
import { languageAttentionMessage, stopAttentionMessage } from '../language/attention-message';
import { DEFAULT_MODEL_DIR, isStopCommand, ReminderParser, ReminderRejected, rejectionReason } from '../language/parser';
import { tokenize } from '../language/preprocess';
import { initRuntime } from '../models/runtime';

const parameters = {
  model_path: {
    defaultValue: '',
    descriptor: { type: 'string', description: 'Directory with model.json, weights.bin and vocab.json; empty for the committed model', readOnly: true },
  },
  confidence_threshold: {
    defaultValue: 0.2,
    descriptor: { type: 'double', description: 'Parses less confident than this are logged and not published (stop commands always are)', range: { from: 0, to: 1 } },
  },
  max_length: {
    defaultValue: 500,
    descriptor: { type: 'integer', description: 'Longest reminder read, in characters; longer ones are rejected', range: { from: 1, to: 10000 } },
  },
} as const satisfies ParameterSchema;

export const reminderParser: NodeDefinition = {
  executable: 'reminder_parser',
  defaultName: 'reminder_parser',
  description: 'Parses verbal reminders into language attention (what and where the person means)',
  parameters,

  start(node) {
    const settings = { ...declareParameters(node, parameters) };
    node.onParameterChanged((name, value) => {
      if (name === 'confidence_threshold' && typeof value === 'number') settings.confidence_threshold = value;
      if (name === 'max_length' && typeof value === 'number') settings.max_length = value;
    });
    const attention = node.createPublisher('h2r_interfaces/msg/LanguageAttention', 'attention/language', QosProfiles.standard);
    let parser: ReminderParser | null = null;
    let stopped = false;
    const waiting: Reminder[] = [];

    const handle = (reminder: Reminder): void => {
      const text = reminder.text;
      const reason = rejectionReason(text, settings.max_length);
      if (reason) {
        node.logger.warn(`reminder rejected: ${reason}`);
        return;
      }
      const stop = isStopCommand(text);
      if (!parser) {
        if (stop) attention.publish(stopAttentionMessage(text, tokenize(text), reminder.header));
        else waiting.push(reminder);
        return;
      }
      try {
        const result = parser.parse(text);
        const forced = stop && !result.meaning.stop ? { ...result, meaning: { ...result.meaning, stop: true, urgency: 1 } } : result;
        if (!forced.meaning.stop && forced.confidence < settings.confidence_threshold) {
          node.logger.warn(`parse of "${text}" not published: confidence ${forced.confidence.toFixed(2)} below confidence_threshold ${settings.confidence_threshold}`);
          return;
        }
        if (forced.unknownWords.length > 0) node.logger.info(`unknown words in "${text}": ${forced.unknownWords.join(', ')}`);
        attention.publish(languageAttentionMessage(forced, reminder.header));
      } catch (error) {
        if (error instanceof ReminderRejected) {
          if (stop) attention.publish(stopAttentionMessage(text, tokenize(text), reminder.header));
          node.logger.warn(`reminder "${text.slice(0, 80)}" rejected: ${error.reason}`);
        } else {
          node.logger.error(`parsing "${text.slice(0, 80)}" failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    };

    node.createSubscription('h2r_interfaces/msg/Reminder', 'reminder', handle, QosProfiles.standard);
    const modelDir = settings.model_path || DEFAULT_MODEL_DIR;
    void (async () => {
      const runtime = await initRuntime();
      const loaded = await ReminderParser.load(modelDir, { maxLength: settings.max_length });
      if (stopped) return;
      loaded.warmUp();
      parser = loaded;
      node.logger.info(`language model loaded from ${modelDir} (backend ${runtime.backend}); ${waiting.length} queued reminder(s)`);
      for (const reminder of waiting.splice(0)) handle(reminder);
    })().catch((error: unknown) => {
      node.logger.error(`language model not loaded from ${modelDir}: ${error instanceof Error ? error.message : String(error)}; only stop commands are served`);
    });

    return {
      stop() {
        stopped = true;
        waiting.length = 0;
      },
    };
  },
};
