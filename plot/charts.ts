/**
 * Charts as PNG canvases: confusion matrix heat grid, horizontal bar chart, line chart, and
 * stacking several into one image. Every stage's evaluation reuses these.
 */
import { BLACK, Canvas, GREY, LIGHT_GREY, PALETTE, WHITE, textHeight, textWidth, type Colour } from './canvas';

const MARGIN = 16;
const TITLE_GAP = 28;

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(3);
}

/** White to blue by intensity 0..1. */
function heat(intensity: number): Colour {
  const t = Math.max(0, Math.min(1, intensity));
  return [Math.round(255 - 225 * t), Math.round(255 - 165 * t), Math.round(255 - 75 * t)];
}

export interface ConfusionOptions {
  readonly title: string;
  /** Row axis name (gold) and column axis name (predicted). */
  readonly rowName?: string;
  readonly columnName?: string;
}

/** Rows are gold classes, columns predictions; cells shaded by the row share, labelled by count. */
export function confusionMatrixChart(matrix: readonly (readonly number[])[], labels: readonly string[], options: ConfusionOptions): Canvas {
  if (matrix.length !== labels.length || matrix.some((row) => row.length !== labels.length)) {
    throw new Error(`confusion matrix must be ${labels.length}x${labels.length} to match its labels`);
  }
  const cell = Math.max(56, ...matrix.flat().map((v) => textWidth(formatNumber(v)) + 12));
  const rowLabelWidth = Math.max(...labels.map((l) => textWidth(l))) + 12;
  const columnLabelHeight = Math.max(...labels.map((l) => l.length)) * (textHeight() + 4) + 8;
  const left = MARGIN + rowLabelWidth + 24;
  const top = MARGIN + TITLE_GAP + 24 + columnLabelHeight;
  const caption = `columns: ${options.columnName ?? 'predicted'}, rows: ${options.rowName ?? 'gold'}`;
  const width = Math.max(left + cell * labels.length, MARGIN + textWidth(options.title), MARGIN + textWidth(caption)) + MARGIN;
  const canvas = new Canvas(width, top + cell * labels.length + MARGIN);
  canvas.text(MARGIN, MARGIN, options.title);
  canvas.text(MARGIN, MARGIN + TITLE_GAP, caption, GREY);
  labels.forEach((label, i) => {
    canvas.text(left - rowLabelWidth, top + i * cell + (cell - textHeight()) / 2, label);
    canvas.textVertical(left + i * cell + (cell - textWidth('M')) / 2, top - columnLabelHeight, label);
  });
  matrix.forEach((row, r) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((value, c) => {
      const share = total > 0 ? value / total : 0;
      canvas.fillRect(left + c * cell, top + r * cell, cell, cell, heat(share));
      canvas.strokeRect(left + c * cell, top + r * cell, cell, cell, LIGHT_GREY);
      const text = formatNumber(value);
      canvas.text(left + c * cell + (cell - textWidth(text)) / 2, top + r * cell + (cell - textHeight()) / 2, text, share > 0.55 ? WHITE : BLACK);
    });
  });
  return canvas;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
}

/** Horizontal bars from 0 to `max` (default the largest value), value written at each bar's end. */
export function barChart(bars: readonly Bar[], options: { title: string; max?: number; width?: number }): Canvas {
  const labelWidth = Math.max(0, ...bars.map((b) => textWidth(b.label))) + 12;
  const barArea = options.width ?? 420;
  const valueWidth = Math.max(0, ...bars.map((b) => textWidth(formatNumber(b.value)))) + 12;
  const rowHeight = textHeight() + 14;
  const top = MARGIN + TITLE_GAP;
  const canvas = new Canvas(MARGIN * 2 + labelWidth + barArea + valueWidth, top + rowHeight * bars.length + MARGIN);
  canvas.text(MARGIN, MARGIN, options.title);
  const max = options.max ?? Math.max(1e-9, ...bars.map((b) => b.value));
  const left = MARGIN + labelWidth;
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    canvas.text(MARGIN, y + 7, bar.label);
    const length = Math.max(0, Math.min(1, bar.value / max)) * barArea;
    canvas.fillRect(left, y + 3, length, rowHeight - 6, PALETTE[i % 2 === 0 ? 0 : 4]);
    canvas.text(left + length + 6, y + 7, formatNumber(bar.value));
  });
  canvas.line(left, top, left, top + rowHeight * bars.length, GREY);
  return canvas;
}

export interface Series {
  readonly name: string;
  /** y values at x = 1, 2, 3, ... (epochs) */
  readonly values: readonly number[];
}

/** Lines over x = 1..n with axes, y ticks and a legend. */
export function lineChart(series: readonly Series[], options: { title: string; xLabel: string; width?: number; height?: number }): Canvas {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const legendHeight = series.length * (textHeight() + 8);
  const canvas = new Canvas(width, height + legendHeight);
  canvas.text(MARGIN, MARGIN, options.title);
  const values = series.flatMap((s) => s.values).filter(Number.isFinite);
  const yMin = Math.min(0, ...values);
  const yMax = Math.max(1e-9, ...values) * 1.05;
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const left = MARGIN + textWidth('0.000') + 12;
  const right = width - MARGIN;
  const top = MARGIN + TITLE_GAP + 8;
  const bottom = height - MARGIN - textHeight() - 16;
  const x = (i: number) => left + ((right - left) * i) / (n - 1);
  const y = (v: number) => bottom - ((bottom - top) * (v - yMin)) / (yMax - yMin);
  for (let t = 0; t <= 4; t++) {
    const v = yMin + ((yMax - yMin) * t) / 4;
    canvas.line(left, y(v), right, y(v), LIGHT_GREY);
    canvas.text(MARGIN, y(v) - textHeight() / 2, formatNumber(Number(v.toFixed(3))));
  }
  canvas.line(left, top, left, bottom, BLACK);
  canvas.line(left, bottom, right, bottom, BLACK);
  for (let i = 0; i < n; i++) canvas.text(x(i) - textWidth(String(i + 1)) / 2, bottom + 6, String(i + 1));
  canvas.text(right - textWidth(options.xLabel), bottom + 6 + textHeight() + 4, options.xLabel, GREY);
  series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length];
    for (let i = 1; i < s.values.length; i++) canvas.line(x(i - 1), y(s.values[i - 1]), x(i), y(s.values[i]), colour, 3);
    s.values.forEach((v, i) => canvas.fillRect(x(i) - 3, y(v) - 3, 7, 7, colour));
    const legendY = height + k * (textHeight() + 8);
    canvas.fillRect(left, legendY + 2, 24, textHeight() - 4, colour);
    canvas.text(left + 32, legendY, s.name);
  });
  return canvas;
}

/** Charts one under the other, left-aligned, on one canvas. */
export function stackCharts(charts: readonly Canvas[]): Canvas {
  const width = Math.max(...charts.map((c) => c.width));
  const out = new Canvas(width, charts.reduce((s, c) => s + c.height, 0));
  let offset = 0;
  for (const chart of charts) {
    for (let row = 0; row < chart.height; row++) {
      const from = row * chart.width * 4;
      out.data.set(chart.data.subarray(from, from + chart.width * 4), ((offset + row) * width) * 4);
    }
    offset += chart.height;
  }
  return out;
}
