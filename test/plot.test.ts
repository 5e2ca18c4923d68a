import * as assert from 'assert';
import { PNG } from 'pngjs';
import { Canvas, textWidth } from '../plot/canvas';
import { barChart, confusionMatrixChart, lineChart, stackCharts } from '../plot/charts';

function decode(canvas: Canvas): PNG {
  return PNG.sync.read(canvas.toPng());
}

function countNonWhite(png: PNG): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 250 || png.data[i + 1] < 250 || png.data[i + 2] < 250) n++;
  return n;
}

describe('plot', () => {
  it('writes a PNG of the canvas size that decodes back to the drawn pixels', () => {
    const canvas = new Canvas(20, 10);
    canvas.fillRect(2, 3, 4, 5, [255, 0, 0]);
    const png = decode(canvas);
    assert.strictEqual(png.width, 20);
    assert.strictEqual(png.height, 10);
    const at = (x: number, y: number) => Array.from(png.data.subarray((y * 20 + x) * 4, (y * 20 + x) * 4 + 3));
    assert.deepStrictEqual(at(3, 4), [255, 0, 0]);
    assert.deepStrictEqual(at(10, 4), [255, 255, 255]);
  });

  it('draws text with the bitmap font, a box for a character it has no glyph for', () => {
    const canvas = new Canvas(100, 20);
    const width = canvas.text(0, 0, 'AB', [0, 0, 0], 2);
    assert.strictEqual(width, textWidth('AB', 2));
    assert.ok(countNonWhite(decode(canvas)) > 20);
    const unknown = new Canvas(20, 20);
    unknown.text(0, 0, '\u00e9', [0, 0, 0], 1);
    assert.strictEqual(countNonWhite(decode(unknown)), 20, 'the missing-glyph box has 20 pixels');
  });

  it('shades a confusion matrix by row share and rejects a matrix that does not match its labels', () => {
    const chart = confusionMatrixChart([[9, 1], [0, 10]], ['none', 'wrong_object'], { title: 'Mistakes' });
    assert.ok(chart.width > 100 && chart.height > 100);
    assert.throws(() => confusionMatrixChart([[1, 2]], ['a', 'b'], { title: 't' }), /confusion matrix must be 2x2 to match its labels/);
  });

  it('draws longer bars for larger values', () => {
    const chart = barChart([{ label: 'a', value: 0.2 }, { label: 'b', value: 1 }], { title: 'Bars', max: 1 });
    const png = decode(chart);
    const rowInk = (y: number) => {
      let n = 0;
      for (let x = 0; x < png.width; x++) if (png.data[(y * png.width + x) * 4 + 2] > 150 && png.data[(y * png.width + x) * 4] < 100) n++;
      return n;
    };
    // the bars' rows (title gap 28 + margin 16, rows of 28 px)
    assert.ok(rowInk(44 + 28 + 14) > 3 * rowInk(44 + 14), 'bar b (1.0) is longer than bar a (0.2)');
  });

  it('stacks charts under one another into one image', () => {
    const a = lineChart([{ name: 'loss', values: [3, 1, 0.5] }], { title: 'Loss', xLabel: 'epoch', width: 300, height: 200 });
    const b = new Canvas(120, 40);
    const stacked = stackCharts([a, b]);
    assert.strictEqual(stacked.width, 300);
    assert.strictEqual(stacked.height, a.height + 40);
  });
});
