import * as path from 'path';
import { UsageError, type Command } from '../command';
import { Recogniser } from '../../speech/recogniser';
import { describeTranscript, readRecogniserWav, transcribeSamples } from '../../speech/transcribe-file';

export const command: Command = {
  name: 'transcribe',
  summary: 'Transcribe spoken reminders in a 16 kHz mono WAV file, offline (pocketsphinx, domain LM)',
  usage: 'h2r transcribe FILE.wav [--json]',
  details: [
    'The file is cut into utterances by the speech node\'s endpointer; each is decoded with the domain',
    'language model (models/speech). Segments that are not speech (noise, tones) are listed as dropped.',
    'Exit code 1 when the file cannot be read or is not 16-bit PCM at 16000 Hz mono.',
  ],
  options: [{ name: 'json', description: 'print one JSON object: file, seconds, utterances with words, times and confidences' }],
  acceptsRosArguments: false,

  async run({ args, io }) {
    const [given, ...rest] = args.positionals;
    if (given === undefined) throw new UsageError('no WAV file given', 'transcribe');
    if (rest.length > 0) throw new UsageError(`one file at a time; unexpected '${rest[0]}'`, 'transcribe');
    let samples: Int16Array;
    try {
      samples = readRecogniserWav(path.resolve(io.cwd, given), given);
    } catch (error) {
      io.stderr.write(`h2r transcribe: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    const recogniser = Recogniser.open();
    try {
      const transcript = transcribeSamples(given, samples, recogniser);
      io.stdout.write(args.options.json === true ? `${JSON.stringify(transcript)}\n` : `${describeTranscript(transcript).join('\n')}\n`);
    } finally {
      recogniser.close();
    }
    return 0;
  },
};
