/** Buttons as services describe them (`{ text, data }` rows), as the Bot API's inline keyboard markup. */
export const replyMarkup = (rows: readonly (readonly { text: string; data: string }[])[]) => ({
  inline_keyboard: rows.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))),
});
