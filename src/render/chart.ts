import { createRequire } from "node:module";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";

/**
 * Server-side charts as PNG (Skia through @napi-rs/canvas, which shapes
 * Persian text with HarfBuzz), right to left, with the Vazirmatn font that
 * ships as an npm package — nothing depends on fonts installed on the host.
 */
const require = createRequire(import.meta.url);
export const FONT = "Vazirmatn";
let fontLoaded = false;
/** Registers Vazirmatn (regular and bold) with Skia once. */
export function loadFont() {
  if (fontLoaded) return;
  GlobalFonts.registerFromPath(require.resolve("vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf"), FONT);
  GlobalFonts.registerFromPath(require.resolve("vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf"), `${FONT} Bold`);
  fontLoaded = true;
}

export interface BarChart {
  title: string;
  subtitle?: string;
  rows: { label: string; value: number }[];
  /** Formats a value for display (Persian digits for `fa`). */
  format: (n: number) => string;
  /** `rtl` for Persian: labels on the right, bars growing leftwards. */
  direction: "rtl" | "ltr";
  /**
   * `wide` (1000 px) for a laptop and the chat; `narrow` (480 px, the same type
   * size) for a phone's 390 px, where the wide one would shrink its words to a
   * third.
   */
  layout?: "wide" | "narrow";
}

const LAYOUTS = {
  wide: { width: 1000, label: 300, title: 30 },
  narrow: { width: 480, label: 190, title: 24 },
} as const;
const ROW = 34;
const TOP = 110;
const BOTTOM = 40;
const COLORS = { background: "#ffffff", text: "#1f2933", muted: "#616e7c", bar: "#2f855a", grid: "#e4e7eb" };

/** A horizontal bar chart; an empty chart says so instead of drawing nothing. */
export function renderBarChart(chart: BarChart): Buffer {
  loadFont();
  const { width: WIDTH, label: LABEL_WIDTH, title: TITLE } = LAYOUTS[chart.layout ?? "wide"];
  const rows = chart.rows.length ? chart.rows : [];
  const height = TOP + Math.max(1, rows.length) * ROW + BOTTOM;
  const canvas = createCanvas(WIDTH, height);
  const ctx = canvas.getContext("2d");
  const rtl = chart.direction === "rtl";
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, WIDTH, height);
  ctx.direction = chart.direction;
  ctx.textAlign = rtl ? "right" : "left";
  const edge = rtl ? WIDTH - 30 : 30;
  ctx.fillStyle = COLORS.text;
  ctx.font = `${TITLE}px "${FONT} Bold"`;
  ctx.fillText(chart.title, edge, 50, WIDTH - 60);
  if (chart.subtitle) {
    ctx.fillStyle = COLORS.muted;
    ctx.font = `20px ${FONT}`;
    ctx.fillText(chart.subtitle, edge, 84, WIDTH - 60);
  }
  const max = Math.max(1, ...rows.map((r) => r.value));
  const barSpace = WIDTH - 60 - LABEL_WIDTH - (chart.layout === "narrow" ? 60 : 80);
  ctx.font = `19px ${FONT}`;
  rows.forEach((r, i) => {
    const y = TOP + i * ROW;
    const length = Math.max(2, Math.round((r.value / max) * barSpace));
    const labelEdge = edge;
    const barStart = rtl ? WIDTH - 30 - LABEL_WIDTH : 30 + LABEL_WIDTH;
    ctx.fillStyle = COLORS.text;
    ctx.textAlign = rtl ? "right" : "left";
    ctx.fillText(r.label, labelEdge, y + 22, LABEL_WIDTH - 10);
    ctx.fillStyle = COLORS.bar;
    ctx.fillRect(rtl ? barStart - length : barStart, y + 6, length, ROW - 12);
    ctx.fillStyle = COLORS.muted;
    ctx.textAlign = rtl ? "right" : "left";
    ctx.fillText(chart.format(r.value), rtl ? barStart - length - 8 : barStart + length + 8, y + 22);
  });
  if (rows.length === 0) {
    ctx.fillStyle = COLORS.muted;
    ctx.fillText("—", edge, TOP + 22);
  }
  ctx.strokeStyle = COLORS.grid;
  ctx.beginPath();
  ctx.moveTo(30, height - BOTTOM / 2);
  ctx.lineTo(WIDTH - 30, height - BOTTOM / 2);
  ctx.stroke();
  return canvas.toBuffer("image/png");
}
