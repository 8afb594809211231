/**
 * How a platform finds the commands in a bot's plain text, which its clients
 * make tappable and the Bot API returns as `bot_command` entities.
 *
 * - `tdlib`: Telegram's rule (td/telegram/MessageEntity.cpp, find_bot_commands):
 *   a "/" starts a command unless the character before it is a word character
 *   (letter, digit, mark, "_"), "/", "<" or ">"; the command is then ASCII
 *   letters, digits and "_", and must not run into a word character.
 * - `whitespace`: the strictest rule a client might use, for a platform whose
 *   rule no source states (Bale): only a "/" at the start or after white space.
 */
export type CommandRule = "tdlib" | "whitespace";

export interface BotCommandEntity {
  type: "bot_command";
  /** In UTF-16 code units, as the Bot API counts. */
  offset: number;
  length: number;
}

const WORD = /[\p{L}\p{N}\p{M}_]/u;

export function botCommands(text: string, rule: CommandRule): BotCommandEntity[] {
  const found: BotCommandEntity[] = [];
  for (const m of text.matchAll(/\/[A-Za-z0-9_]{1,64}/g)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = start > 0 ? text[start - 1]! : "";
    const after = text[end] ?? "";
    const opens =
      before === "" || (rule === "whitespace" ? /\s/.test(before) : !WORD.test(before) && !"/<>".includes(before));
    if (opens && !WORD.test(after) && after !== "/")
      found.push({ type: "bot_command", offset: start, length: m[0].length });
  }
  return found;
}
