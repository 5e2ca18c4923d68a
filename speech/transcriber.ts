/**
 * The recogniser as the reminder collector uses it (collector/audio.ts Transcriber): a 16 kHz
 * mono WAV in, the text of its utterances and one confidence per word out.
 */
import { Recogniser } from './recogniser';
import { transcribeSamples } from './transcribe-file';
import { parseWav, requireRecogniserFormat } from './wav';

export interface WavTranscriber {
  transcribe(wav: Buffer): Promise<{ text: string; confidences: number[] }>;
}

/** A transcriber over one recogniser opened now; throws SpeechUnavailableError without pocketsphinx. */
export function openWavTranscriber(): WavTranscriber {
  const recogniser = Recogniser.open();
  return {
    async transcribe(wav) {
      const samples = requireRecogniserFormat(parseWav(wav, 'uploaded audio'), 'uploaded audio');
      const accepted = transcribeSamples('uploaded audio', samples, recogniser).utterances.filter((u) => u.rejection === null);
      return { text: accepted.map((u) => u.text).join(' '), confidences: accepted.flatMap((u) => u.words.map((w) => w.confidence)) };
    },
  };
}
