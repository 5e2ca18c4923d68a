/**
 * When the attention node should expect a reminder soon, from voice activity: from the moment the
 * person starts speaking until their reminder arrives (recognition ends some time after the voice
 * does). Times are the node's clock, ms.
 */
export interface SpeechWindowLimits {
  /** After the voice stops, a reminder is expected this long. */
  readonly waitMs: number;
  /** A voice on for longer than this is a stuck detector, not a reminder. */
  readonly maxSpeechMs: number;
}

export class SpeechWindow {
  private speakingSince: number | null = null;
  private stoppedAt: number | null = null;

  started(nowMs: number): void {
    if (this.speakingSince === null) this.speakingSince = nowMs;
    this.stoppedAt = null;
  }

  stopped(nowMs: number): void {
    if (this.speakingSince === null && this.stoppedAt === null) return;
    this.speakingSince = null;
    this.stoppedAt = nowMs;
  }

  /** The reminder the voice was saying has arrived: nothing more is expected until the next voice. */
  reminderArrived(): void {
    if (this.speakingSince === null) this.stoppedAt = null;
  }

  expectsReminder(nowMs: number, limits: SpeechWindowLimits): boolean {
    if (this.speakingSince !== null) return nowMs - this.speakingSince <= limits.maxSpeechMs;
    return this.stoppedAt !== null && nowMs - this.stoppedAt <= limits.waitMs;
  }
}
