/**
 * Test speech: espeak-ng voices resampled by sox to what the recogniser takes (16 kHz mono
 * 16-bit), with silence around each utterance as a microphone stream would have it.
 */
import { spawn, spawnSync } from 'child_process';
import { parseWav, RECOGNISER_SAMPLE_RATE } from './wav';

/** Voices of Debian's espeak-ng (`espeak-ng --voices=en` and its variants) used for test audio. */
export const TEST_VOICES = ['en-us+klatt', 'en-us+klatt3', 'en-us+f2', 'en-us+f5', 'en-us+m5', 'en-us+m6'] as const;
/** Words per minute (espeak-ng -s). */
export const TEST_SPEEDS = [135, 160, 185] as const;

export interface SpeechClip {
  readonly text: string;
  readonly voice: string;
  readonly speed: number;
  /** 16 kHz mono samples, with `leadSeconds` of silence before the speech and `tailSeconds` after. */
  readonly samples: Int16Array;
  readonly leadSeconds: number;
  readonly tailSeconds: number;
}

export const SYNTHESIS_TOOLS_HINT = 'install espeak-ng and sox: sudo apt-get install -y espeak-ng sox';

/** Throws with the install command unless espeak-ng and sox run. */
export function requireSynthesisTools(): void {
  for (const [tool, args] of [['espeak-ng', ['--version']], ['sox', ['--version']]] as const) {
    const result = spawnSync(tool, args, { encoding: 'utf8' });
    if (result.error || result.status !== 0) throw new Error(`${tool} is not available; ${SYNTHESIS_TOOLS_HINT}`);
  }
}

function run(command: string, args: readonly string[], input: Buffer | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (error) => reject(new Error(`${command} failed to start (${error.message}); ${SYNTHESIS_TOOLS_HINT}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString().trim()}`));
    });
    child.stdin.end(input);
  });
}

/** Peak amplitude of the seeded noise floor added to test audio (about -60 dBFS, a quiet room). */
export const NOISE_FLOOR = 30;

/**
 * Speaks `text` with espeak-ng and converts it with sox; padding is silence in seconds. A seeded
 * noise floor is added, as a microphone always has one (digital silence is not a room).
 */
export async function synthesise(text: string, voice: string, speed: number, leadSeconds = 0.3, tailSeconds = 0.5, noiseSeed = 1): Promise<SpeechClip> {
  const spoken = await run('espeak-ng', ['-v', voice, '-s', String(speed), '--stdin', '--stdout'], text);
  // -R: sox dithers when it resamples; repeatable mode seeds the dither, so the same text always gives the same samples.
  const converted = await run('sox', [
    '-R',
    '-t', 'wav', '-', '-t', 'wav', '-r', String(RECOGNISER_SAMPLE_RATE), '-c', '1', '-b', '16', '-e', 'signed-integer', '-',
    'pad', String(leadSeconds), String(tailSeconds),
  ], spoken);
  const audio = parseWav(converted, `sox output for "${text}"`);
  addNoiseFloor(audio.samples, NOISE_FLOOR, noiseSeed);
  return { text, voice, speed, samples: audio.samples, leadSeconds, tailSeconds };
}

/** Adds uniform noise of the given peak amplitude in place (mulberry32 from `seed`). */
export function addNoiseFloor(samples: Int16Array, amplitude: number, seed: number): void {
  let state = seed >>> 0;
  for (let i = 0; i < samples.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const uniform = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    samples[i] = Math.max(-32768, Math.min(32767, samples[i] + Math.round((2 * uniform - 1) * amplitude)));
  }
}

/** Runs synthesise over many requests, `concurrency` processes at a time, keeping the order. */
export async function synthesiseAll(
  requests: readonly { readonly text: string; readonly voice: string; readonly speed: number }[],
  concurrency = 2,
): Promise<SpeechClip[]> {
  const clips: SpeechClip[] = new Array(requests.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const i = next++;
      clips[i] = await synthesise(requests[i].text, requests[i].voice, requests[i].speed, undefined, undefined, i + 1);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return clips;
}
