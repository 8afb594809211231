import type { Api } from "grammy";
import type { BotCommandScope } from "grammy/types";
import type { Actors } from "../services/access.js";
import { LANGUAGES } from "../domain/person.js";
import type { I18n } from "../i18n.js";
import type { Logger } from "../logger.js";
import { capabilitiesOf, type Platform } from "../platforms/capabilities.js";
import type { IdentityRef, Store } from "../store/port/index.js";
import { menuOf } from "./commands.js";

export interface CommandMenuDeps {
  store: Store;
  actors: Actors;
  i18n: I18n;
  logger: Logger;
}

/**
 * The command menus, from the registry (`commands.ts`): everyone's menu as the
 * bot's default, and for each account that holds a role its own menu, through
 * a per-chat command scope (Telegram resolves a chat's own menu first). A
 * grant or a revoke refreshes that account's menu; the start refreshes all.
 * Platforms without a command menu (Bale) are left alone. A failed call is
 * logged, never thrown: a menu is a convenience, the commands work without it.
 */
export class CommandMenus {
  constructor(
    private readonly d: CommandMenuDeps,
    /** The API of a platform's bot, when this process has one. */
    private readonly apiOf: (platform: Platform) => Api | undefined,
  ) {}

  /** Everyone's menu, the bot's default on one platform. */
  async registerDefault(platform: Platform): Promise<void> {
    const api = this.#api(platform);
    if (api) await this.#set(api, menuOf([]), undefined);
  }

  /** The menu of every account holding a role (granted in the store or by ADMIN_IDS), on one platform or all. */
  async refreshHolders(platform?: Platform): Promise<void> {
    const accounts = new Map<string, IdentityRef>();
    for (const ref of [...(await this.d.store.access.list()), ...this.d.actors.admins])
      if (!platform || ref.platform === platform)
        accounts.set(`${ref.platform}:${ref.userId}`, { platform: ref.platform, userId: ref.userId });
    for (const ref of accounts.values()) await this.refresh(ref);
  }

  /** One account's menu after its roles changed: its roles' commands, or (none left) everyone's again. */
  async refresh(ref: IdentityRef): Promise<void> {
    const api = this.#api(ref.platform);
    if (!api) return;
    const actor = await this.d.actors.of(ref);
    const roles = [...new Set(actor.grants.map((g) => g.role))];
    const scope: BotCommandScope = { type: "chat", chat_id: Number(ref.userId) };
    if (roles.length > 0) return this.#set(api, menuOf(roles), scope);
    for (const lng of LANGUAGES)
      await api
        .deleteMyCommands({ scope, ...(lng === "fa" ? {} : { language_code: lng }) })
        .catch((err: Error) => this.#failed(err, "menu not reset"));
  }

  /** A chat the platform does not know (a coordinator who never opened the bot) is expected: not a warning. */
  #failed(err: Error, msg: string): void {
    if (/chat not found|no such group or user/i.test(err.message)) this.d.logger.debug({ err: err.message }, msg);
    else this.d.logger.warn({ err: err.message }, msg);
  }

  #api(platform: Platform): Api | undefined {
    return capabilitiesOf(platform).commandMenu ? this.apiOf(platform) : undefined;
  }

  /** One menu in every language: Persian by default, English for English clients. */
  async #set(api: Api, names: string[], scope: BotCommandScope | undefined): Promise<void> {
    for (const lng of LANGUAGES) {
      const t = this.d.i18n.t(lng);
      const commands = names.map((command) => ({ command, description: t(`commands.${command}`) }));
      await api
        .setMyCommands(commands, { ...(scope ? { scope } : {}), ...(lng === "fa" ? {} : { language_code: lng }) })
        .catch((err: Error) => this.#failed(err, "setMyCommands failed"));
    }
  }
}
