import { fail, ok, type Result } from "../../domain/result.js";
import type { BotContext } from "../context.js";

/**
 * A file a person sent, fetched into memory (never written to disk: a
 * safeguarding document is sealed before it is stored): `getFile`, then the
 * file's URL under the bot's API root, `<root>/file/bot<token>/<path>`.
 * Telegram documents that URL; for Bale, Balethon and python-bale-bot fetch
 * `tapi.bale.ai/file/bot<token>/<path>` the same way (medium: libraries, not
 * Bale's docs). Both serve a bot at most 20 MB. grammY's files plugin was not
 * used: it downloads to a temporary file on disk.
 */
export async function downloadFile(
  ctx: BotContext,
  fileId: string,
  maxBytes: number,
): Promise<Result<Buffer, "size" | "failed">> {
  try {
    const file = await ctx.api.getFile(fileId);
    if ((file.file_size ?? 0) > maxBytes) return fail("size");
    if (!file.file_path) return fail("failed");
    const res = await ctx.fetchFile(file.file_path, AbortSignal.timeout(30_000));
    if (!res.ok) return fail("failed");
    const bytes = Buffer.from(await res.arrayBuffer());
    return bytes.length > maxBytes ? fail("size") : ok(bytes);
  } catch (e) {
    // A file too big for the platform to serve answers 400; anything else is a failed fetch.
    return /too big/i.test((e as Error).message) ? fail("size") : fail("failed");
  }
}
