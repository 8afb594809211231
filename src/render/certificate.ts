import { PDFDocument } from "@napi-rs/canvas";
import { FONT, loadFont } from "./chart.js";

/**
 * The certificate of service as a PDF: Skia's PDF backend through
 * @napi-rs/canvas (already what draws the charts), which shapes Persian with
 * HarfBuzz and orders it with ICU's bidi, and embeds Vazirmatn as a font —
 * so the text is real text (selectable, searchable), not a picture, and no
 * font of the host is needed. A4 landscape, right to left.
 */
export interface CertificateContent {
  /** The organisation's heading lines, top to bottom. */
  heading: string[];
  title: string;
  /** The statement, one paragraph (wrapped here). */
  statement: string;
  /** Table header and rows: place, period, hours. */
  table: { header: [string, string, string]; rows: [string, string, string][]; total: [string, string] };
  /** Lines at the bottom: the verification code, where to check it, the date of issue. */
  footer: string[];
  /** The signature and stamp area (bottom left): who signs, and what the box is for. */
  signature: { signer: string; label: string };
  /** The document's title in its metadata. */
  metaTitle: string;
}

const W = 842;
const H = 595;
const MARGIN = 56;
const COLORS = { text: "#1f2933", muted: "#52606d", accent: "#2f855a", rule: "#c3cfd9", band: "#f0f4f8" };

/** Breaks a paragraph into lines no wider than `width` at the current font. */
function wrap(ctx: { measureText(text: string): { width: number } }, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export function renderCertificatePdf(c: CertificateContent): Buffer {
  loadFont();
  const doc = new PDFDocument({ title: c.metaTitle, creator: "Hamdel", producer: "Hamdel (Skia/PDF)" });
  const ctx = doc.beginPage(W, H);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, W, H);
  // A double frame.
  ctx.strokeStyle = COLORS.accent;
  ctx.lineWidth = 3;
  ctx.strokeRect(24, 24, W - 48, H - 48);
  ctx.lineWidth = 1;
  ctx.strokeRect(32, 32, W - 64, H - 64);

  ctx.direction = "rtl";
  ctx.textAlign = "center";
  ctx.fillStyle = COLORS.muted;
  ctx.font = `14px "${FONT} Bold"`;
  let y = 70;
  for (const line of c.heading) {
    ctx.fillText(line, W / 2, y);
    y += 20;
  }
  ctx.fillStyle = COLORS.accent;
  ctx.font = `30px "${FONT} Bold"`;
  ctx.fillText(c.title, W / 2, y + 26);
  y += 70;

  ctx.fillStyle = COLORS.text;
  ctx.font = `16px ${FONT}`;
  ctx.textAlign = "right";
  for (const line of wrap(ctx, c.statement, W - 2 * MARGIN - 20)) {
    ctx.fillText(line, W - MARGIN - 10, y);
    y += 28;
  }

  // The table, right to left: place | period | hours.
  y += 8;
  const right = W - MARGIN - 10;
  const cols = [right, right - 330, right - 590];
  const rowH = 26;
  const shown = c.table.rows.slice(0, 8);
  ctx.fillStyle = COLORS.band;
  ctx.fillRect(MARGIN + 10, y - 18, W - 2 * MARGIN - 20, rowH);
  ctx.fillStyle = COLORS.text;
  ctx.font = `14px "${FONT} Bold"`;
  c.table.header.forEach((h, i) => ctx.fillText(h, cols[i]! - 8, y));
  ctx.font = `14px ${FONT}`;
  for (const row of shown) {
    y += rowH;
    row.forEach((cell, i) => ctx.fillText(cell, cols[i]! - 8, y, i === 0 ? 310 : 240));
    ctx.strokeStyle = COLORS.rule;
    ctx.beginPath();
    ctx.moveTo(MARGIN + 10, y + 8);
    ctx.lineTo(W - MARGIN - 10, y + 8);
    ctx.stroke();
  }
  y += rowH;
  ctx.font = `14px "${FONT} Bold"`;
  ctx.fillText(c.table.total[0], cols[0]! - 8, y);
  ctx.fillText(c.table.total[1], cols[2]! - 8, y);

  // The signature and stamp: a dashed box at the bottom left, its signer above it, left free for ink.
  const box = { x: MARGIN + 10, y: H - 150, w: 230, h: 90 };
  ctx.textAlign = "center";
  ctx.fillStyle = COLORS.text;
  ctx.font = `13px "${FONT} Bold"`;
  ctx.fillText(c.signature.signer, box.x + box.w / 2, box.y - 8, box.w);
  ctx.strokeStyle = COLORS.rule;
  ctx.setLineDash([4, 3]);
  ctx.strokeRect(box.x, box.y, box.w, box.h);
  ctx.setLineDash([]);
  ctx.fillStyle = COLORS.muted;
  ctx.font = `12px ${FONT}`;
  ctx.fillText(c.signature.label, box.x + box.w / 2, box.y + box.h - 10, box.w);
  ctx.textAlign = "right";

  ctx.font = `13px ${FONT}`;
  ctx.fillStyle = COLORS.muted;
  let fy = H - 60 - (c.footer.length - 1) * 20;
  for (const line of c.footer) {
    ctx.fillText(line, right, fy);
    fy += 20;
  }
  doc.endPage();
  return doc.close();
}
