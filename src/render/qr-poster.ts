import { createCanvas } from "@napi-rs/canvas";
import QRCode from "qrcode";
import { FONT, loadFont } from "./chart.js";

/**
 * A centre's check-in poster as a PNG, for its coordinator to print: the
 * centre's name, what to do, and one QR code per messenger (Bale first, the
 * platform most citizens have). The `qrcode` package encodes; Skia draws, so
 * the Persian labels are shaped like the charts'.
 */
export interface Poster {
  title: string;
  instructions: string;
  codes: { label: string; url: string }[];
  footer: string;
  /** The day the codes work on (a printed poster is for that day only). */
  validity?: string;
}

const QR_SIZE = 420;
const GAP = 60;

export function renderCheckInPoster(p: Poster): Buffer {
  loadFont();
  const n = Math.max(1, p.codes.length);
  const width = n * QR_SIZE + (n + 1) * GAP;
  const height = 280 + QR_SIZE + 140;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  ctx.direction = "rtl";
  ctx.textAlign = "center";
  ctx.fillStyle = "#2f855a";
  ctx.font = `44px "${FONT} Bold"`;
  ctx.fillText(p.title, width / 2, 90, width - 2 * GAP);
  ctx.fillStyle = "#1f2933";
  ctx.font = `28px ${FONT}`;
  ctx.fillText(p.instructions, width / 2, 160, width - 2 * GAP);
  if (p.validity) {
    ctx.fillStyle = "#b7791f";
    ctx.font = `24px "${FONT} Bold"`;
    ctx.fillText(p.validity, width / 2, 200, width - 2 * GAP);
  }
  p.codes.forEach((c, i) => {
    // Right to left: the first code on the right.
    const x = width - (i + 1) * (QR_SIZE + GAP);
    const y = 230;
    const qr = QRCode.create(c.url, { errorCorrectionLevel: "M" });
    const cells = qr.modules.size + 8; // a quiet zone of four modules each side
    const cell = Math.floor(QR_SIZE / cells);
    const offset = Math.floor((QR_SIZE - cell * cells) / 2) + 4 * cell;
    ctx.fillStyle = "#000000";
    for (let r = 0; r < qr.modules.size; r++)
      for (let col = 0; col < qr.modules.size; col++)
        if (qr.modules.get(r, col)) ctx.fillRect(x + offset + col * cell, y + offset + r * cell, cell, cell);
    ctx.fillStyle = "#1f2933";
    ctx.font = `32px "${FONT} Bold"`;
    ctx.fillText(c.label, x + QR_SIZE / 2, y + QR_SIZE + 50);
  });
  ctx.fillStyle = "#52606d";
  ctx.font = `22px ${FONT}`;
  ctx.fillText(p.footer, width / 2, height - 40, width - 2 * GAP);
  return canvas.toBuffer("image/png");
}
