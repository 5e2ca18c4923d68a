import { strict as assert } from 'assert';
import { initRuntime, tf } from '../models/runtime';
import { convolutionBody, packConvWeights, weightSteps } from '../models/kernels/int16-conv';
import { ACTIVATION_STEPS, Int16ProgramBuilder, inEights, sliceInputs, type ConvWeights } from '../models/kernels/int16-program';
import { signedLeb, unsignedLeb } from '../models/kernels/wasm-encoding';
import { addUpsampledBody, spaceToDepthBody } from '../models/kernels/int16-layout';
import { PATCH_CHANNELS, spaceToDepth } from '../models/visual/perception-model';

/** Deterministic values in [-1, 1). */
function wave(length: number, phase: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(i * 0.731 + phase * 1.9) * Math.cos(i * 0.117 + phase));
}

function layer(size: number, stride: number, inChannels: number, outChannels: number, phase = 1): ConvWeights {
  return { name: `l${size}${stride}`, size, stride, inChannels, outChannels, kernel: wave(size * size * inChannels * outChannels, phase), bias: wave(outChannels, phase + 7).map((v) => v * 0.2) };
}

/** relu(conv(x, w) + b) or conv(x, w) + b in float, 'same' padding, by tfjs. */
function floatConv(x: Float32Array, height: number, width: number, l: ConvWeights, relu: boolean): Float32Array {
  return tf.tidy(() => {
    const input = tf.tensor4d(x, [1, height, width, l.inChannels]);
    const y = tf.conv2d(input, tf.tensor4d(l.kernel, [l.size, l.size, l.inChannels, l.outChannels]), l.stride, 'same').add(tf.tensor1d(l.bias));
    return (relu ? y.relu() : y).dataSync() as Float32Array;
  });
}

/** The interior of an int16 or float32 buffer as floats, channels cut to `channels`. */
function interior(all: Int16Array | Float32Array, height: number, width: number, stored: number, border: number, channels: number, step: number): Float32Array {
  const out = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) out[(y * width + x) * channels + c] = all[((y + border) * (width + 2 * border) + x + border) * stored + c] * step;
    }
  }
  return out;
}

function maxAbs(a: Float32Array): number {
  return a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** Runs one convolution through a built program: input quantised to `inputSteps` steps of its largest value. */
function runConv(l: ConvWeights, x: Float32Array, height: number, width: number, output: 'int16' | 'float32', inputChannels = l.inChannels) {
  const builder = new Int16ProgramBuilder();
  const from = builder.buffer(height, width, inputChannels, 1);
  const outHeight = Math.ceil(height / l.stride);
  const outWidth = Math.ceil(width / l.stride);
  const to = builder.buffer(outHeight, outWidth, inEights(l.outChannels), 0, output === 'int16' ? 2 : 4);
  // The reference is tfjs's float convolution of the quantised input and weights: all the kernel
  // itself may add is the output's rounding.
  const inputStep = maxAbs(x) / ACTIVATION_STEPS;
  const { step: weightStep } = packConvWeights(l.kernel, l.size, l.inChannels, l.outChannels, weightSteps(l.size, inputChannels, ACTIVATION_STEPS));
  const quantisedKernel = l.kernel.map((w, i) => Math.round(w / weightStep[i % l.outChannels]) * weightStep[i % l.outChannels]);
  const quantisedInput = x.map((v) => Math.round(v / inputStep) * inputStep);
  const reference = floatConv(quantisedInput, height, width, { ...l, kernel: quantisedKernel }, output === 'int16');
  const range = maxAbs(reference);
  const step = builder.conv(l, from, to, { step: inputStep, max: ACTIVATION_STEPS }, output === 'int16' ? range / ACTIVATION_STEPS : undefined);
  const program = builder.build();
  const stored = program.int16(from);
  for (let y = 0; y < height; y++) {
    for (let xx = 0; xx < width; xx++) {
      for (let c = 0; c < l.inChannels; c++) stored[((y + 1) * (width + 2) + xx + 1) * inputChannels + c] = Math.round(x[(y * width + xx) * l.inChannels + c] / inputStep);
    }
  }
  program.run();
  const raw = output === 'int16' ? program.int16(to) : program.float32(to);
  return { got: interior(raw, outHeight, outWidth, to.channels, 0, l.outChannels, step), reference, range, step };
}

describe('int16 WebAssembly kernels', () => {
  before(async () => {
    await initRuntime();
  });

  it('encodes LEB128 as the WebAssembly binary format does', () => {
    assert.deepEqual(unsignedLeb(0), [0]);
    assert.deepEqual(unsignedLeb(624485), [0xe5, 0x8e, 0x26]);
    assert.deepEqual(signedLeb(-1), [0x7f]);
    assert.deepEqual(signedLeb(63), [0x3f]);
    assert.deepEqual(signedLeb(64), [0xc0, 0x00]);
    assert.deepEqual(signedLeb(-123456), [0xc0, 0xbb, 0x78]);
    assert.throws(() => unsignedLeb(-1), RangeError);
    assert.throws(() => signedLeb(0.5), RangeError);
  });

  const cases: [string, ConvWeights, number, number][] = [
    ['3x3, stride 1, 24 -> 24', layer(3, 1, 24, 24), 8, 10],
    ['3x3, stride 2, 24 -> 32 (the odd padding after the image)', layer(3, 2, 24, 32), 8, 12],
    ['3x3, stride 2, odd sides', layer(3, 2, 8, 8), 7, 9],
    ['1x1, 48 -> 24', layer(1, 1, 48, 24), 6, 8],
    ['3x3, 24 -> 36 (outputs padded to eights)', layer(3, 1, 24, 36), 6, 6],
    ['3x3, odd columns (one pixel at a time)', layer(3, 1, 8, 16), 5, 7],
  ];
  for (const [name, l, height, width] of cases) {
    it(`computes tfjs's convolution with ReLU of the quantised input and weights, to the output's rounding: ${name}`, () => {
      const x = wave(height * width * l.inChannels, 3).map((v) => Math.abs(v));
      const { got, reference, range, step } = runConv(l, x, height, width, 'int16');
      assert.equal(got.length, reference.length);
      for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - reference[i]) <= step / 2 + 1e-5 * range, `${i}: ${got[i]} vs ${reference[i]}`);
    });
  }

  it('keeps float32 outputs linear (negative values too) for logits', () => {
    const l = layer(1, 1, 24, 14, 5);
    const x = wave(6 * 8 * 24, 2).map((v) => Math.abs(v));
    const { got, reference, range } = runConv(l, x, 6, 8, 'float32');
    assert.ok(reference.some((v) => v < 0));
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - reference[i]) < 1e-5 * range, `${i}: ${got[i]} vs ${reference[i]}`);
  });

  it('reads an input buffer wider than the layer (the padding channels) with zero weights', () => {
    const l = layer(3, 1, 3, 8);
    const x = wave(6 * 6 * 3, 4).map((v) => Math.abs(v));
    const { got, reference, range, step } = runConv(l, x, 6, 6, 'int16', 4);
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - reference[i]) <= step / 2 + 1e-5 * range);
  });

  it('slices a layer to some of its input channels, with the bias only on the first slice', () => {
    const l = layer(1, 1, 8, 8);
    const second = sliceInputs(l, 4, 4);
    assert.equal(second.inChannels, 4);
    assert.deepEqual([...second.bias], new Array(8).fill(0));
    assert.equal(second.kernel[0], l.kernel[4 * 8]);
    assert.deepEqual([...sliceInputs(l, 0, 4).bias], [...l.bias]);
  });

  it('clamps ReLU outputs to 0..ACTIVATION_STEPS', () => {
    const l: ConvWeights = { name: 'c', size: 1, stride: 1, inChannels: 2, outChannels: 8, kernel: Float32Array.from({ length: 16 }, (_, i) => (i % 8 < 4 ? 1 : -1)), bias: new Float32Array(8) };
    const builder = new Int16ProgramBuilder();
    const from = builder.buffer(1, 2, 2, 0);
    const to = builder.buffer(1, 2, 8, 0);
    // Outputs can reach 2 (two inputs of 1 summed), but the range given is 1.
    builder.conv(l, from, to, { step: 1 / 100, max: 100 }, 1 / ACTIVATION_STEPS);
    const program = builder.build();
    program.int16(from).set([100, 100, 100, 100]);
    program.run();
    const out = [...program.int16(to)];
    assert.deepEqual(out.slice(0, 8), [ACTIVATION_STEPS, ACTIVATION_STEPS, ACTIVATION_STEPS, ACTIVATION_STEPS, 0, 0, 0, 0]);
  });

  it('sizes weights so that the worst-case int32 sum does not overflow', () => {
    const size = 3;
    const inChannels = 32;
    const steps = weightSteps(size, inChannels, ACTIVATION_STEPS);
    assert.ok(size * size * inChannels * ACTIVATION_STEPS * steps <= 0x7fffffff);
    const l: ConvWeights = { name: 'worst', size, stride: 1, inChannels, outChannels: 8, kernel: new Float32Array(size * size * inChannels * 8).fill(1), bias: new Float32Array(8) };
    const builder = new Int16ProgramBuilder();
    const from = builder.buffer(3, 2, inChannels, 1);
    const to = builder.buffer(3, 2, 8, 0, 4);
    builder.conv(l, from, to, { step: 1, max: ACTIVATION_STEPS });
    const program = builder.build();
    const x = program.int16(from);
    for (let y = 0; y < 5; y++) for (let c = 0; c < 4 * inChannels; c++) x[y * 4 * inChannels + c] = ACTIVATION_STEPS;
    program.run();
    // The centre row sees all nine taps: 9 * 32 * 4095 * 1.0, once the weight's step is applied.
    const centre = program.float32(to)[(1 * 2 + 0) * 8];
    assert.ok(Math.abs(centre - size * size * inChannels * ACTIVATION_STEPS) < 1e-3 * centre, `${centre}`);
  });

  it('packs weights as [block][row][column][pair][output][input], each output channel to its own step', () => {
    const kernel = Float32Array.from({ length: 1 * 1 * 2 * 8 }, (_, i) => (i % 8) + 1 + Math.floor(i / 8) * 0.5);
    const { packed, step } = packConvWeights(kernel, 1, 2, 8, 100);
    assert.equal(packed.length, 16);
    // Output 0 reads 1 (channel 0) and 1.5 (channel 1): its largest, 1.5, is 100 steps.
    assert.deepEqual([packed[0], packed[1]], [67, 100]);
    assert.ok(Math.abs(step[0] - 0.015) < 1e-7);
    assert.deepEqual([packed[14], packed[15]], [94, 100]);
  });

  it('max-pools 2x2 eight channels at a time', () => {
    const builder = new Int16ProgramBuilder();
    const from = builder.buffer(4, 6, 16, 0);
    const to = builder.buffer(2, 3, 16, 1);
    builder.maxPool(from, to);
    const program = builder.build();
    const x = program.int16(from);
    x.set(Int16Array.from({ length: x.length }, (_, i) => ((i * 7919) % 2001) - 1000));
    program.run();
    const y = program.int16(to);
    for (let oy = 0; oy < 2; oy++) {
      for (let ox = 0; ox < 3; ox++) {
        for (let c = 0; c < 16; c++) {
          const at = (yy: number, xx: number) => x[(yy * 6 + xx) * 16 + c];
          const expected = Math.max(at(2 * oy, 2 * ox), at(2 * oy, 2 * ox + 1), at(2 * oy + 1, 2 * ox), at(2 * oy + 1, 2 * ox + 1));
          assert.equal(y[((oy + 1) * 5 + ox + 1) * 16 + c], expected);
        }
      }
    }
    assert.equal(y[0], 0, 'the border stays zero');
  });

  it('cuts an rgb8 image into int16 patches as spaceToDepth cuts it into floats', () => {
    const [width, height] = [24, 16];
    const builder = new Int16ProgramBuilder();
    const image = builder.allocate(width * height * 3 + 16);
    const patches = builder.buffer(height / 4, width / 4, PATCH_CHANNELS, 0);
    builder.kernel('space_to_depth', spaceToDepthBody(width, height / 4, width / 4), [image, patches.offset]);
    const program = builder.build();
    const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37 + (i >> 5)) & 255);
    new Uint8Array(program.memory, image, rgb.length).set(rgb);
    program.run();
    const expected = new Float32Array((height / 4) * (width / 4) * PATCH_CHANNELS);
    spaceToDepth(rgb, width, 0, 0, height / 4, width / 4, expected, 0, (v) => v);
    assert.deepEqual([...program.int16(patches)], [...expected]);
    assert.throws(() => spaceToDepthBody(24, 4, 6, 8), /4 pixels wide/);
  });

  it('adds the context logits, upsampled 2x nearest, onto the fine ones', () => {
    const [rows, cols, channels] = [4, 6, 8];
    const builder = new Int16ProgramBuilder();
    const fine = builder.buffer(rows, cols, channels, 0, 4);
    const context = builder.buffer(rows / 2, cols / 2, channels, 0, 4);
    builder.kernel('add_upsampled', addUpsampledBody(rows, cols, channels), [fine.offset, context.offset]);
    const program = builder.build();
    const before = wave(rows * cols * channels, 1);
    const coarse = wave((rows / 2) * (cols / 2) * channels, 2);
    program.float32(fine).set(before);
    program.float32(context).set(coarse);
    program.run();
    const got = program.float32(fine);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        for (let k = 0; k < channels; k++) {
          const at = (r * cols + c) * channels + k;
          assert.equal(got[at], Math.fround(before[at] + coarse[((r >> 1) * (cols / 2) + (c >> 1)) * channels + k]));
        }
      }
    }
    assert.throws(() => addUpsampledBody(3, 4, 8), /even sides/);
  });

  it('refuses shapes the kernels cannot run, naming the reason', () => {
    const shape = { kernel: 3, stride: 1, inChannels: 8, outChannels: 8, outHeight: 4, outWidth: 4, inRowBytes: 96, outRowBytes: 64, outPixelBytes: 16, output: 'int16-relu' as const, pixels: 2 };
    assert.throws(() => convolutionBody({ ...shape, inChannels: 3 }), /even number of input channels/);
    assert.throws(() => convolutionBody({ ...shape, outChannels: 12 }), /output channels in eights/);
    assert.throws(() => convolutionBody({ ...shape, outWidth: 5 }), /do not split/);
    const builder = new Int16ProgramBuilder();
    const narrow = builder.buffer(4, 4, 8, 0);
    assert.throws(() => builder.conv(layer(3, 1, 8, 8), narrow, builder.buffer(4, 4, 8, 0), { step: 1, max: 1 }, 1), /border of 0 is narrower than the padding/);
    const padded = builder.buffer(4, 4, 8, 1);
    assert.throws(() => builder.conv(layer(3, 1, 8, 8), padded, builder.buffer(4, 4, 8, 0), { step: 1, max: 1 }), /int16 output needs a step/);
    assert.throws(() => builder.conv(layer(3, 1, 16, 8), padded, builder.buffer(4, 4, 8, 0), { step: 1, max: 1 }, 1), /reads 16 channels/);
  });
});
