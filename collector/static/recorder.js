// Microphone recording for the reminder page: PCM through WebAudio, downsampled in the page to
// 16 kHz mono and packed as 16-bit WAV, so the server needs no audio converter.
'use strict';

window.H2rRecorder = (function () {
  const TARGET_RATE = 16000;
  const MAX_SECONDS = 30;

  /** Averages the input over each output sample's span (a box filter against aliasing). */
  function downsample(chunks, inputRate) {
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const input = new Float32Array(total);
    let at = 0;
    for (const c of chunks) { input.set(c, at); at += c.length; }
    const ratio = inputRate / TARGET_RATE;
    const out = new Float32Array(Math.floor(total / ratio));
    for (let i = 0; i < out.length; i++) {
      const from = Math.floor(i * ratio);
      const to = Math.max(from + 1, Math.floor((i + 1) * ratio));
      let sum = 0;
      for (let j = from; j < to && j < total; j++) sum += input[j];
      out[i] = sum / (to - from);
    }
    return out;
  }

  function encodeWav(samples) {
    const buffer = new ArrayBuffer(44 + samples.length * 2);
    const view = new DataView(buffer);
    const text = (offset, s) => { for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i)); };
    text(0, 'RIFF'); view.setUint32(4, 36 + samples.length * 2, true); text(8, 'WAVEfmt ');
    view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, TARGET_RATE, true); view.setUint32(28, TARGET_RATE * 2, true);
    view.setUint16(32, 2, true); view.setUint16(34, 16, true);
    text(36, 'data'); view.setUint32(40, samples.length * 2, true);
    for (let i = 0; i < samples.length; i++) {
      const s = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(44 + i * 2, Math.round(s * 32767), true);
    }
    return new Blob([buffer], { type: 'audio/wav' });
  }

  function available() {
    return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && (window.AudioContext || window.webkitAudioContext));
  }

  /** Starts recording; resolves to { stop(): Promise<Blob> }. onLimit fires when the time is up. */
  async function start(onLimit) {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    const Context = window.AudioContext || window.webkitAudioContext;
    const context = new Context();
    const source = context.createMediaStreamSource(stream);
    // ScriptProcessor is old but runs everywhere, phones included, with no module to load.
    const processor = context.createScriptProcessor(4096, 1, 1);
    const chunks = [];
    let seconds = 0;
    processor.onaudioprocess = (event) => {
      const data = event.inputBuffer.getChannelData(0);
      chunks.push(new Float32Array(data));
      seconds += data.length / context.sampleRate;
      if (seconds >= MAX_SECONDS && onLimit) { const f = onLimit; onLimit = null; f(); }
    };
    source.connect(processor);
    processor.connect(context.destination);
    return {
      async stop() {
        processor.disconnect();
        source.disconnect();
        stream.getTracks().forEach((t) => t.stop());
        const rate = context.sampleRate;
        await context.close();
        return encodeWav(downsample(chunks, rate));
      },
    };
  }

  return { available, start, MAX_SECONDS };
})();
