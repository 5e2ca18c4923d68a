import { strict as assert } from 'node:assert';
import { checkReminderText, checkSessionRequest, checkSubmission } from '../collector/validate';
import { allowedOrigins, checkAdmin, cookieValueFor, hostAllowed, sameSecret } from '../collector/security';
import { parseList, parseOrigin } from '../collector/settings';

const image = (clip: string) => (clip === 'c0123456789ab' ? { width: 480, height: 360 } : undefined);
const valid = {
  op: 'submit', requestId: 'abcdef12', session: '0'.repeat(32), clip: 'c0123456789ab', text: 'stop', audio: null, click: { u: 1, v: 2 }, answerMs: 10,
};
const errorOf = (message: unknown): string => {
  const checked = checkSubmission(message, image);
  assert.equal(checked.ok, false);
  return checked.ok ? '' : checked.error;
};

describe('collector input checks', () => {
  it('accepts a reminder of exactly 500 characters, counting an emoji as one', () => {
    assert.equal(checkReminderText('x'.repeat(500)).ok, true);
    assert.equal(checkReminderText(`${'x'.repeat(499)}🤖`).ok, true);
  });

  it('rejects a 501-character reminder, saying how long it is and what the limit is', () => {
    assert.equal(errorOf({ ...valid, text: 'y'.repeat(501) }), 'text is 501 characters long; the limit is 500');
  });

  it('rejects an empty or blank reminder and one with control characters', () => {
    assert.equal(errorOf({ ...valid, text: '   ' }), 'text is empty: type or say a reminder first');
    assert.equal(errorOf({ ...valid, text: 'stop\u0007' }), 'text contains control characters');
    assert.equal(errorOf({ ...valid, text: 42 }), 'text must be a string');
  });

  it('keeps markup in a reminder exactly as typed', () => {
    const text = '<script>alert(1)</script> the "blue" cup & <b>not</b> the red one';
    const checked = checkSubmission({ ...valid, text }, image);
    assert.ok(checked.ok);
    assert.equal(checked.value.text, text);
  });

  it('rejects a click outside the image or a coordinate that is not a finite number', () => {
    assert.equal(errorOf({ ...valid, click: { u: 481, v: 2 } }), 'click.u must be between 0 and 480, got 481');
    assert.equal(errorOf({ ...valid, click: { u: 1, v: -0.5 } }), 'click.v must be between 0 and 360, got -0.5');
    assert.equal(errorOf({ ...valid, click: JSON.parse('{"u": 1e999, "v": 2}') as unknown }), 'click.u must be a finite number');
    assert.equal(errorOf({ ...valid, click: { u: '1', v: 2 } }), 'click.u must be a finite number');
    assert.equal(errorOf({ ...valid, click: null }), 'click must be an object {u, v}: choose where the robot should look');
  });

  it('rejects ids of the wrong shape and a clip that is not in the collection', () => {
    assert.equal(errorOf({ ...valid, session: '../../etc/passwd' }), 'session must be a session id');
    assert.equal(errorOf({ ...valid, requestId: 'x' }), 'requestId must be 8 to 64 letters, digits or -');
    assert.equal(errorOf({ ...valid, clip: 'cffffffffffff' }), "clip 'cffffffffffff' is not one of this collection's clips");
    assert.equal(errorOf({ ...valid, audio: 'a1' }), 'audio must be an audio id or null');
  });

  it('rejects a negative or absurdly long answer time', () => {
    assert.equal(errorOf({ ...valid, answerMs: -1 }), 'answerMs must be between 0 and 86400000, got -1');
    assert.equal(errorOf({ ...valid, answerMs: 9e10 }), 'answerMs must be between 0 and 86400000, got 90000000000');
  });

  it('starts a session only with consent, and takes lab codes but not e-mail addresses', () => {
    assert.deepEqual(checkSessionRequest({ consent: false, consentVersion: 'v' }), { ok: false, error: 'consent must be given (consent: true) before anything is recorded' });
    assert.deepEqual(checkSessionRequest({ consent: true, consentVersion: 'v', volunteer: 'P-017' }), { ok: true, value: { consentVersion: 'v', volunteer: 'P-017' } });
    assert.deepEqual(checkSessionRequest({ consent: true, consentVersion: 'v' }), { ok: true, value: { consentVersion: 'v', volunteer: null } });
    const mail = checkSessionRequest({ consent: true, consentVersion: 'v', volunteer: 'ann@example.org' });
    assert.equal(mail.ok ? '' : mail.error, 'volunteer code must be 1 to 40 letters, digits, - or _ (no names or e-mail addresses)');
  });
});

describe('collector guards', () => {
  it('tells a right admin token from a wrong or missing one', () => {
    const none = new URLSearchParams();
    assert.equal(sameSecret('abc', 'abc'), true);
    assert.equal(sameSecret('abd', 'abc'), false);
    assert.equal(sameSecret('abcd', 'abc'), false);
    assert.deepEqual(checkAdmin('t0ken', {}, none), { verdict: 'missing', viaQuery: false });
    assert.deepEqual(checkAdmin('t0ken', { authorization: 'Bearer t0ken' }, none), { verdict: 'allowed', viaQuery: false });
    assert.deepEqual(checkAdmin('t0ken', { 'x-admin-token': 'nope' }, none), { verdict: 'wrong', viaQuery: false });
    assert.deepEqual(checkAdmin('t0ken', {}, new URLSearchParams('token=t0ken')), { verdict: 'allowed', viaQuery: true });
    assert.deepEqual(checkAdmin('t0ken', { cookie: `x=1; h2r_admin=${cookieValueFor('t0ken')}` }, none), { verdict: 'allowed', viaQuery: false });
    assert.deepEqual(checkAdmin('t0ken', { cookie: 'h2r_admin=t0ken' }, none), { verdict: 'wrong', viaQuery: false });
  });

  it('allows the bound address and localhost for a loopback bind, and refuses other hosts', () => {
    const origins = allowedOrigins('127.0.0.1', 8088, ['https://lab.example']);
    assert.deepEqual([...origins].sort(), ['http://127.0.0.1:8088', 'http://localhost:8088', 'https://lab.example']);
    assert.equal(hostAllowed('localhost:8088', origins), true);
    assert.equal(hostAllowed('evil.example:8088', origins), false);
    assert.equal(hostAllowed(undefined, origins), false);
  });

  it('names the setting and the word when a list or an origin is wrong', () => {
    assert.deepEqual(parseList('scenarios', 'kitchen, factory', ['kitchen', 'factory', 'tabletop']), ['kitchen', 'factory']);
    assert.throws(() => parseList('scenarios', 'kitchen,garage', ['kitchen', 'factory']), /^Error: scenarios: 'garage' is not one of kitchen, factory$/);
    assert.throws(() => parseOrigin('origins', 'https://lab.example/path'), /origins: 'https:\/\/lab.example\/path' is not an origin/);
    assert.equal(parseOrigin('origins', 'https://lab.example:8443'), 'https://lab.example:8443');
  });
});
