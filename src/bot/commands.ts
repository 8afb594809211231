import type { CoordinatorRole } from "../store/port/index.js";
import type { ConversationName } from "./conversations/index.js";

/**
 * Every command the bot answers, in menu order: the one list that the command
 * menus (`command-menu.ts`) and the router (`features/commands.ts` enters the
 * conversations; the features answer the rest) read. Its description in the
 * menu is `commands.<name>` in each locale.
 */
export interface CommandSpec {
  /** Whose menu shows it: everyone's, or the menu of those who hold one of these roles. */
  menu: "everyone" | readonly CoordinatorRole[];
  /**
   * The conversation it opens, when opening it is all the command does: the
   * router enters it (or says to finish the running one first). Each
   * conversation checks who may go on.
   */
  enters?: ConversationName;
}

const HEADQUARTERS = ["national_admin", "provincial_admin"] as const;
const CENTRES = ["national_admin", "provincial_admin", "centre_coordinator"] as const;

export const COMMANDS = {
  start: { menu: "everyone" },
  profile: { menu: "everyone" },
  pledge: { menu: "everyone" },
  request: { menu: "everyone", enters: "request" },
  hours: { menu: "everyone" },
  schedule: { menu: "everyone" },
  checks: { menu: "everyone" },
  certificate: { menu: "everyone" },
  need: { menu: CENTRES, enters: "need" },
  needs: { menu: CENTRES },
  action: { menu: CENTRES, enters: "action" },
  checkin: { menu: CENTRES },
  approvals: { menu: ["institution_operator"] },
  broadcast: { menu: HEADQUARTERS },
  report: { menu: HEADQUARTERS },
  export: { menu: HEADQUARTERS },
  ramadan: { menu: HEADQUARTERS },
  invite: { menu: HEADQUARTERS },
  roles: { menu: HEADQUARTERS },
  audit: { menu: ["national_admin"] },
  console: { menu: ["national_admin", "provincial_admin", "centre_coordinator", "institution_operator"] },
  stop: { menu: "everyone" },
  resume: { menu: "everyone" },
  language: { menu: "everyone" },
  delete: { menu: "everyone" },
  cancel: { menu: "everyone" },
  help: { menu: "everyone" },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

const entries = Object.entries(COMMANDS) as [CommandName, CommandSpec][];

/** The commands in the menu of someone holding these roles (none: everyone's menu), in menu order. */
export function menuOf(roles: readonly CoordinatorRole[]): CommandName[] {
  return entries
    .filter(([, spec]) => spec.menu === "everyone" || spec.menu.some((r) => roles.includes(r)))
    .map(([name]) => name);
}

/** The commands that only open a conversation, with the conversation each opens. */
export const conversationCommands = (): [CommandName, ConversationName][] =>
  entries.flatMap(([name, spec]) => (spec.enters ? [[name, spec.enters] as [CommandName, ConversationName]] : []));
