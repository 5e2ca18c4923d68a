// The volunteer page: consent, a clip of the robot heading into a mistake, then a reminder (typed,
// or spoken and confirmed) and where the robot should look. Text from anyone is only ever put on
// the page with textContent or as a form value.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const STEPS = ['consent-step', 'watch-step', 'remind-step', 'done-step', 'finished-step'];
  const state = {
    config: null, session: null, clip: null, gifBlob: null, gifUrl: null,
    click: null, audio: null, shownAt: 0, recording: null, socket: null, pending: null, unacked: null,
  };

  function show(step, focus) {
    for (const id of STEPS) $(id).hidden = id !== step;
    const target = focus ? $(focus) : $(step).querySelector('h2');
    if (target) {
      if (!focus) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  }

  function status(text) { $('status').textContent = text; }

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  async function api(path, options) {
    const response = await fetch(path, options);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || `the server answered ${response.status}`);
    return body;
  }

  // ---- consent -------------------------------------------------------------------------------
  async function init() {
    try {
      state.config = await api('/api/config');
    } catch (error) {
      status(`The collector cannot be reached: ${error.message}`);
      return;
    }
    const box = $('consent-text');
    for (const paragraph of state.config.consent.paragraphs) {
      const p = document.createElement('p');
      p.textContent = paragraph;
      box.appendChild(p);
    }
    $('reminder-text').maxLength = state.config.maxTextLength;
    status('');
    show('consent-step', 'consent-agree');
  }

  $('consent-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('consent-error').textContent = '';
    if (!$('consent-agree').checked) {
      $('consent-error').textContent = 'Please tick the box to agree before you start.';
      $('consent-agree').focus();
      return;
    }
    try {
      const body = JSON.stringify({ consent: true, consentVersion: state.config.consent.version, volunteer: $('volunteer-code').value.trim() || null });
      const answer = await api('/api/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      state.session = answer.session;
      status(`Your code: ${answer.volunteer}`);
      await nextClip();
    } catch (error) {
      $('consent-error').textContent = error.message;
    }
  });

  // ---- watching ------------------------------------------------------------------------------
  async function nextClip() {
    const answer = await api(`/api/sessions/${state.session}/next-clip`);
    if (!answer.clip) { show('finished-step'); return; }
    state.clip = answer.clip;
    const response = await fetch(state.clip.gif);
    if (!response.ok) throw new Error('the clip could not be loaded');
    state.gifBlob = await response.blob();
    $('still').src = state.clip.still;
    show('watch-step');
    play();
  }

  function play() {
    // A fresh object URL restarts the GIF (which plays once) without fetching it again.
    if (state.gifUrl) URL.revokeObjectURL(state.gifUrl);
    state.gifUrl = URL.createObjectURL(state.gifBlob);
    $('to-remind').disabled = true;
    const clip = state.clip;
    $('clip').onload = () => setTimeout(() => {
      if (state.clip === clip) $('to-remind').disabled = false;
    }, clip.durationMs);
    $('clip').src = state.gifUrl;
  }

  $('replay').addEventListener('click', play);
  $('to-remind').addEventListener('click', () => {
    state.click = null;
    state.audio = null;
    $('marker').hidden = true;
    $('target-status').textContent = 'No point chosen yet.';
    $('reminder-text').value = '';
    updateCount();
    $('error').textContent = '';
    $('record-status').textContent = window.H2rRecorder.available() ? '' : 'Speaking needs a microphone and a secure page; please type.';
    $('record').disabled = !window.H2rRecorder.available();
    state.shownAt = performance.now();
    show('remind-step', 'target');
  });

  // ---- where to look -------------------------------------------------------------------------
  function setClick(u, v) {
    const { width, height } = state.clip;
    u = Math.min(width - 0.5, Math.max(0, u));
    v = Math.min(height - 0.5, Math.max(0, v));
    state.click = { u, v };
    const marker = $('marker');
    marker.style.left = `${(100 * u) / width}%`;
    marker.style.top = `${(100 * v) / height}%`;
    marker.hidden = false;
    const across = u < width / 3 ? 'left' : u < (2 * width) / 3 ? 'centre' : 'right';
    const down = v < height / 3 ? 'top' : v < (2 * height) / 3 ? 'middle' : 'bottom';
    $('target-status').textContent = `Point chosen: ${down}, ${across} (${Math.round(u)}, ${Math.round(v)}).`;
  }

  $('target').addEventListener('pointerdown', (event) => {
    const rect = $('still').getBoundingClientRect();
    if (rect.width === 0) return;
    event.preventDefault();
    $('target').focus();
    setClick(((event.clientX - rect.left) / rect.width) * state.clip.width, ((event.clientY - rect.top) / rect.height) * state.clip.height);
  });

  $('target').addEventListener('keydown', (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const move = moves[event.key];
    if (!move && event.key !== 'Home') return;
    event.preventDefault();
    const { width, height } = state.clip;
    if (!state.click || event.key === 'Home') { setClick(width / 2, height / 2); return; }
    const step = event.shiftKey ? 24 : 4;
    setClick(state.click.u + move[0] * step, state.click.v + move[1] * step);
  });

  // ---- the reminder --------------------------------------------------------------------------
  function updateCount() {
    $('count').textContent = `${[...$('reminder-text').value].length} / ${state.config.maxTextLength}`;
  }
  $('reminder-text').addEventListener('input', updateCount);

  $('record').addEventListener('click', async () => {
    const button = $('record');
    if (state.recording) {
      const recording = state.recording;
      state.recording = null;
      button.textContent = 'Speak instead';
      button.setAttribute('aria-pressed', 'false');
      $('record-status').textContent = 'Sending your recording…';
      try {
        await upload(await recording.stop());
      } catch (error) {
        $('record-status').textContent = `The recording was not sent: ${error.message}. Please type instead.`;
      }
      return;
    }
    try {
      state.recording = await window.H2rRecorder.start(() => button.click());
      button.textContent = 'Stop recording';
      button.setAttribute('aria-pressed', 'true');
      $('record-status').textContent = `Recording (up to ${window.H2rRecorder.MAX_SECONDS} s): speak now, then press Stop.`;
    } catch (error) {
      $('record-status').textContent = `The microphone cannot be used (${error.message}). Please type instead.`;
    }
  });

  async function upload(blob) {
    const answer = await api(`/api/sessions/${state.session}/audio`, { method: 'POST', headers: { 'Content-Type': 'audio/wav' }, body: blob });
    state.audio = answer.audio;
    if (answer.transcript) {
      $('reminder-text').value = answer.transcript;
      updateCount();
      $('record-status').textContent = 'This is what we heard: check it, correct it if needed, then send.';
      $('reminder-text').focus();
    } else {
      $('record-status').textContent = `Recording saved. ${answer.note || ''}`;
    }
  }

  // ---- sending over the WebSocket; "saved" arrives only after the database has it -----------
  function socket() {
    if (state.socket && state.socket.readyState <= WebSocket.OPEN) return state.socket;
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    ws.onmessage = (event) => onAnswer(JSON.parse(event.data));
    ws.onclose = () => {
      if (state.pending) setTimeout(() => { if (state.pending) send(state.pending.message); }, 1000);
    };
    state.socket = ws;
    return ws;
  }

  function send(message) {
    const ws = socket();
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    else ws.addEventListener('open', () => ws.send(JSON.stringify(message)), { once: true });
  }

  function onAnswer(answer) {
    if (!state.pending || answer.requestId !== state.pending.message.requestId) return;
    clearTimeout(state.pending.timer);
    state.pending = null;
    state.unacked = null;
    $('submit').disabled = false;
    if (answer.op === 'saved') {
      $('saved-text').textContent = answer.text;
      status('');
      show('done-step', 'next');
    } else {
      $('error').textContent = `Not saved: ${answer.error}`;
    }
  }

  $('reminder-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (state.pending) return;
    const text = $('reminder-text').value;
    $('error').textContent = '';
    if (!state.click) {
      $('error').textContent = 'Please show where the robot should look: click the picture, or focus it and use the arrow keys.';
      $('target').focus();
      return;
    }
    if (text.trim() === '') {
      $('error').textContent = 'Please type (or say) a reminder for the robot.';
      $('reminder-text').focus();
      return;
    }
    const unacked = state.unacked;
    const same = unacked && unacked.clip === state.clip.id && unacked.text === text && unacked.click === state.click;
    const message = {
      op: 'submit', requestId: same ? unacked.requestId : randomId(), session: state.session, clip: state.clip.id, text,
      audio: state.audio, click: state.click, answerMs: Math.round(performance.now() - state.shownAt),
    };
    $('submit').disabled = true;
    status('Saving…');
    state.pending = {
      message,
      timer: setTimeout(() => {
        // Sent again unchanged, it keeps its request id, which the server stores only once.
        state.unacked = state.pending.message;
        state.pending = null;
        $('submit').disabled = false;
        $('error').textContent = 'Not saved yet: the connection is slow. Press Send again.';
      }, 15000),
    };
    send(message);
  });

  $('next').addEventListener('click', () => nextClip().catch((error) => status(`The next clip cannot be loaded: ${error.message}`)));

  init();
})();
