import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_FILE, readSuiteInterfaces, renderMessagesModule } from '../graph/gen-messages';
import { MessageRegistry } from '../graph/message-registry';
import { createMessage, createRequest, checkMessage, validateMessage, validateRequest } from '../graph/message-validation';
import { Correction, DiagnosticStatus, MESSAGE_TYPE_NAMES } from '../graph/messages';

const ROOT = join(__dirname, '..', '..');

function rejects(type: string, message: unknown, expected: string): void {
  assert.throws(() => checkMessage(type, message), (error: Error) => {
    assert.equal(error.message, expected);
    return true;
  });
}

describe('message definitions and generated types', () => {
  it('generated graph/messages.ts matches the .msg/.srv files (run npm run gen:messages when this fails)', () => {
    const committed = readFileSync(join(ROOT, GENERATED_FILE), 'utf8');
    assert.equal(renderMessagesModule(readSuiteInterfaces(ROOT)), committed);
  });

  it('resolves every standard and suite type the suite uses, with nested types', () => {
    for (const name of [
      'std_msgs/msg/Header', 'std_msgs/msg/String', 'builtin_interfaces/msg/Time', 'sensor_msgs/msg/Image',
      'geometry_msgs/msg/Point', 'geometry_msgs/msg/Pose', 'geometry_msgs/msg/Quaternion',
      'diagnostic_msgs/msg/DiagnosticArray', 'diagnostic_msgs/msg/DiagnosticStatus', 'diagnostic_msgs/msg/KeyValue',
      'h2r_interfaces/msg/Reminder', 'h2r_interfaces/msg/LanguageAttention', 'h2r_interfaces/msg/VisualAttention',
      'h2r_interfaces/msg/Correction', 'h2r_interfaces/msg/ExecutionState', 'h2r_interfaces/msg/EpisodeEvent',
      'h2r_interfaces/msg/AudioChunk', 'h2r_interfaces/msg/ObjectDescription',
      'h2r_interfaces/srv/StartEpisode_Request', 'h2r_interfaces/srv/StartEpisode_Response',
    ]) {
      assert.ok(MESSAGE_TYPE_NAMES.includes(name as never), name);
    }
    const header = new MessageRegistry();
    assert.throws(() => header.message('std_msgs/msg/Header'), /unknown message type 'std_msgs\/msg\/Header'/);
  });

  it('exports message constants as values', () => {
    assert.equal(Correction.HALT, 4);
    assert.equal(Correction.RESUME, 5);
    assert.equal(DiagnosticStatus.STALE, 3);
  });

  it('fills a new message with defaults, nested messages and the .msg default values', () => {
    const pose = createMessage('geometry_msgs/msg/Pose');
    assert.deepEqual(pose, { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } });
    const state = createMessage('h2r_interfaces/msg/ExecutionState');
    assert.deepEqual(state.header, { stamp: { sec: 0, nanosec: 0 }, frame_id: '' });
    assert.deepEqual(state.plan, []);
    const info = createMessage('sensor_msgs/msg/CameraInfo');
    assert.ok(info.k instanceof Float64Array);
    assert.equal(info.k.length, 9);
    assert.ok(createMessage('sensor_msgs/msg/Image').data instanceof Uint8Array);
    assert.deepEqual(createRequest('h2r_interfaces/srv/StartEpisode'), { scenario: '', seed: 0, mistake: '', scene_json: '' });
  });

  it('names a parse error in a .msg file and an unknown nested type', () => {
    const registry = new MessageRegistry();
    assert.throws(() => registry.addSource({ name: 'demo/msg/Bad', text: 'int32 1x\n' }), /demo\/msg\/Bad: Invalid field name: 1x/);
    assert.throws(
      () => MessageRegistry.withStandardTypes([{ name: 'demo/msg/Outer', text: 'Missing inner\n' }]),
      /demo\/msg\/Outer\.inner: unknown type 'demo\/msg\/Missing'/,
    );
  });
});

describe('message validation', () => {
  const image = (): ReturnType<typeof createMessage<'sensor_msgs/msg/Image'>> => ({
    ...createMessage('sensor_msgs/msg/Image'), height: 2, width: 2, encoding: 'mono8', step: 2, data: new Uint8Array(4),
  });

  it('rejects a string where uint8[] image data belongs, naming type and field', () => {
    rejects('sensor_msgs/msg/Image', { ...image(), data: 'pixels' }, 'sensor_msgs/msg/Image.data: expected uint8[] but got string');
  });

  it('reports a missing nested field with its full path', () => {
    const reminder = { ...createMessage('h2r_interfaces/msg/Reminder'), header: { stamp: { nanosec: 0 }, frame_id: '' } };
    rejects('h2r_interfaces/msg/Reminder', reminder, 'h2r_interfaces/msg/Reminder.header.stamp.sec: missing');
  });

  it('names the array index of a bad element deep inside nested arrays', () => {
    const status = { ...createMessage('diagnostic_msgs/msg/DiagnosticStatus'), values: [{ key: 'a', value: 'b' }, { key: 'c', value: 7 }] };
    const array = { ...createMessage('diagnostic_msgs/msg/DiagnosticArray'), status: [status] };
    rejects('diagnostic_msgs/msg/DiagnosticArray', array, 'diagnostic_msgs/msg/DiagnosticArray.status[0].values[1].value: expected string but got number 7');
  });

  it('checks integer ranges, integers and float32 magnitude', () => {
    rejects('sensor_msgs/msg/Image', { ...image(), data: [0, 256, 0, 0] }, 'sensor_msgs/msg/Image.data[1]: uint8 value 256 is out of range 0..255');
    rejects('sensor_msgs/msg/Image', { ...image(), height: -1 }, 'sensor_msgs/msg/Image.height: uint32 value -1 is out of range 0..4294967295');
    rejects('builtin_interfaces/msg/Time', { sec: 1.5, nanosec: 0 }, 'builtin_interfaces/msg/Time.sec: expected int32 but got 1.5 (not an integer)');
    rejects('builtin_interfaces/msg/Time', { sec: 2 ** 31, nanosec: 0 }, 'builtin_interfaces/msg/Time.sec: int32 value 2147483648 is out of range -2147483648..2147483647');
    rejects('std_msgs/msg/Float32', { data: 1e39 }, 'std_msgs/msg/Float32.data: float32 value 1e+39 is out of range (largest magnitude 3.4028234663852886e+38)');
  });

  it('accepts NaN and infinities in floating-point fields, as ROS does', () => {
    assert.ok(Number.isNaN((checkMessage('std_msgs/msg/Float32', { data: Number.NaN }) as { data: number }).data));
    assert.equal((checkMessage('std_msgs/msg/Float32', { data: -Infinity }) as { data: number }).data, -Infinity);
  });

  it('rejects unknown extra fields and non-object messages', () => {
    rejects('std_msgs/msg/String', { data: 'x', colour: 'red' }, 'std_msgs/msg/String.colour: unknown field (std_msgs/msg/String has data)');
    rejects('std_msgs/msg/String', 'x', 'std_msgs/msg/String: expected a std_msgs/msg/String message but got string');
  });

  it('checks fixed-size arrays and the TypedArray class of numeric arrays', () => {
    const info = createMessage('sensor_msgs/msg/CameraInfo');
    rejects('sensor_msgs/msg/CameraInfo', { ...info, k: [1, 2, 3] }, 'sensor_msgs/msg/CameraInfo.k: expected float64[9] but got 3 elements');
    rejects('sensor_msgs/msg/Image', { ...image(), data: new Float32Array(4) }, 'sensor_msgs/msg/Image.data: expected uint8[] but got Float32Array (use number[] or Uint8Array)');
  });

  it('checks bounded strings and arrays from a .msg definition', () => {
    const registry = MessageRegistry.withStandardTypes([{ name: 'demo/msg/Bounded', text: 'string<=3 code\nint32[<=2] pair\n' }]);
    assert.throws(() => checkMessage('demo/msg/Bounded', { code: 'abcd', pair: [] }, registry), /demo\/msg\/Bounded\.code: string<=3 is 4 bytes long/);
    assert.throws(() => checkMessage('demo/msg/Bounded', { code: 'ab', pair: [1, 2, 3] }, registry), /demo\/msg\/Bounded\.pair: expected int32\[<=2\] but got 3 elements/);
  });

  it('copies what it checks, delivering numeric arrays as TypedArrays', () => {
    const source = { ...image(), data: [1, 2, 3, 4] };
    const copy = validateMessage('sensor_msgs/msg/Image', source);
    assert.ok(copy.data instanceof Uint8Array);
    assert.deepEqual([...copy.data], [1, 2, 3, 4]);
    const bytes = new Uint8Array([9, 9, 9, 9]);
    const second = validateMessage('sensor_msgs/msg/Image', { ...image(), data: bytes });
    bytes[0] = 0;
    assert.equal(second.data[0], 9);
    assert.notEqual(second.header, source.header);
  });

  it('checks service requests against the request part of the .srv', () => {
    assert.throws(
      () => validateRequest('h2r_interfaces/srv/StartEpisode', { scenario: 'kitchen', seed: -1, mistake: 'none', scene_json: '' }),
      /h2r_interfaces\/srv\/StartEpisode_Request\.seed: uint32 value -1 is out of range/,
    );
  });
});
