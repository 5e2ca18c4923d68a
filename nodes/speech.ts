/**
 * speech: microphone audio (`audio`, 16 kHz mono S16LE) to spoken reminders (`reminder`, source
 * `speech`, one confidence per word, stamped when the person stopped speaking) and voice activity
 * (`voice_activity`: true when the endpointer hears speech begin, false when it ends). Offline:
 * pocketsphinx in this process with the domain language model and the adapted acoustic model in
 * models/speech, decoding while the person speaks.
 */
import { QosProfiles } from '../graph/api';
import { declareParameters, type NodeDefinition, type ParameterSchema } from '../graph/node-definition';
import { checkAudioChunk, SpeechListener } from '../speech/listener';
import { DEFAULT_RECOGNISER_OPTIONS, Recogniser } from '../speech/recogniser';
import { DEFAULT_VAD_SETTINGS } from '../speech/vad';

const parameters = {
  model_directory: {
    defaultValue: '',
    descriptor: { type: 'string', description: 'Directory with domain.lm, domain.dict, domain.json (h2r speech build-lm); empty: the committed models/speech', readOnly: true },
  },
  acoustic_model: {
    defaultValue: DEFAULT_RECOGNISER_OPTIONS.acousticModel,
    descriptor: { type: 'string', description: 'pocketsphinx acoustic model directory (Debian pocketsphinx-en-us)', readOnly: true },
  },
  adapted_acoustic_model: {
    defaultValue: 'default',
    descriptor: {
      type: 'string',
      description: "Adapted means, variances, sendump, transition_matrices (h2r speech adapt); 'default': the committed models/speech/acoustic; empty: the Debian model as it is",
      readOnly: true,
    },
  },
  fallback_below_confidence: {
    defaultValue: DEFAULT_RECOGNISER_OPTIONS.fallbackBelowConfidence,
    descriptor: { type: 'double', description: 'Mean word confidence under which the general en-us model decodes too (0: never; see models/speech/README.md)', range: { from: 0, to: 1 }, readOnly: true },
  },
  min_confidence: {
    defaultValue: DEFAULT_RECOGNISER_OPTIONS.minConfidence,
    descriptor: { type: 'double', description: 'Mean word confidence under which a transcript is dropped, not published', range: { from: 0, to: 1 }, readOnly: true },
  },
  vad_onset_db: {
    defaultValue: DEFAULT_VAD_SETTINGS.onsetDb,
    descriptor: { type: 'double', description: 'Energy above the tracked noise floor (dB) that counts as activity', range: { from: 3, to: 40 }, readOnly: true },
  },
  vad_min_energy_db: {
    defaultValue: DEFAULT_VAD_SETTINGS.minEnergyDb,
    descriptor: { type: 'double', description: 'Quietest frame energy (dBFS) that can count as activity', range: { from: -90, to: 0 }, readOnly: true },
  },
  vad_hangover_ms: {
    defaultValue: DEFAULT_VAD_SETTINGS.hangoverMs,
    descriptor: { type: 'integer', description: 'Silence that ends an utterance (ms); adds directly to the latency', range: { from: 50, to: 2000 }, readOnly: true },
  },
  vad_min_speech_ms: {
    defaultValue: DEFAULT_VAD_SETTINGS.minSpeechMs,
    descriptor: { type: 'integer', description: 'Least activity (ms) an utterance needs', range: { from: 50, to: 5000 }, readOnly: true },
  },
  vad_max_utterance_ms: {
    defaultValue: DEFAULT_VAD_SETTINGS.maxUtteranceMs,
    descriptor: { type: 'integer', description: 'Longest utterance (ms); longer speech is cut there', range: { from: 1000, to: 60000 }, readOnly: true },
  },
  speaker: {
    defaultValue: '',
    descriptor: { type: 'string', description: 'Pseudonymous speaker id put on each reminder; empty when unknown' },
  },
} as const satisfies ParameterSchema;

export const speechNode: NodeDefinition = {
  executable: 'speech',
  defaultName: 'speech',
  description: 'Recognises spoken reminders in microphone audio, offline (pocketsphinx), and publishes them as reminders',
  parameters,

  start(node) {
    const settings = { ...declareParameters(node, parameters) };
    node.onParameterChanged((name, value) => {
      if (name === 'speaker' && typeof value === 'string') settings.speaker = value;
    });
    const recogniser = Recogniser.open({
      ...(settings.model_directory ? { modelDirectory: settings.model_directory } : {}),
      acousticModel: settings.acoustic_model,
      ...(settings.adapted_acoustic_model !== 'default' ? { adaptedAcousticModel: settings.adapted_acoustic_model } : {}),
      fallbackBelowConfidence: settings.fallback_below_confidence,
      minConfidence: settings.min_confidence,
    });
    const reminders = node.createPublisher('h2r_interfaces/msg/Reminder', 'reminder', QosProfiles.standard);
    const voiceActivity = node.createPublisher('std_msgs/msg/Bool', 'voice_activity', QosProfiles.standard);
    const listener = new SpeechListener(
      recogniser,
      {
        onsetDb: settings.vad_onset_db,
        minEnergyDb: settings.vad_min_energy_db,
        hangoverMs: settings.vad_hangover_ms,
        minSpeechMs: settings.vad_min_speech_ms,
        maxUtteranceMs: settings.vad_max_utterance_ms,
      },
      {
        onReminder(heard) {
          reminders.publish({ header: { stamp: heard.stamp, frame_id: '' }, text: heard.text, source: 'speech', speaker: settings.speaker, word_confidences: heard.wordConfidences });
          node.logger.info(`heard "${heard.text}" (confidence ${heard.transcript.confidence.toFixed(2)}, decoding finished ${heard.transcript.endMs.toFixed(0)} ms after the endpoint)`);
        },
        onVoiceActivity(active) {
          voiceActivity.publish({ data: active });
        },
        onRejected(reason, _segment, transcript) {
          node.logger.debug(`utterance dropped: ${reason}${transcript ? ` ("${transcript.text}")` : ''}`);
        },
        onError(error) {
          node.logger.error(`recognition failed, utterance dropped: ${error instanceof Error ? error.message : String(error)}`);
        },
      },
    );
    const rejectedFormats = new Set<string>();
    node.createSubscription(
      'h2r_interfaces/msg/AudioChunk',
      'audio',
      (chunk) => {
        const samples = checkAudioChunk(chunk);
        if (typeof samples === 'string') {
          // Log each kind of bad chunk once: a misconfigured microphone sends thousands.
          if (!rejectedFormats.has(samples)) node.logger.warn(`${samples}; dropping such chunks`);
          rejectedFormats.add(samples);
          return;
        }
        listener.push(samples, chunk.header.stamp);
      },
      QosProfiles.standard,
    );
    return {
      async stop() {
        await listener.flush();
        recogniser.close();
      },
    };
  },
};
