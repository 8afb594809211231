import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Actor } from "../services/access.js";
import type { AppDeps } from "../deps.js";
import type { Html } from "./html.js";
import type { LinkDeps } from "./links.js";
import type { Sessions } from "./session.js";

export interface ConsoleDeps extends AppDeps {
  links: LinkDeps;
  sessions: Sessions;
  /** TRUST_PROXY: the proxies whose forwarded address is believed. */
  trustProxy: string[];
  /** Whether the console is served over https (the cookie is then `Secure`). */
  secure: boolean;
  /** An invitation's links, one per platform whose bot is running (`/start <payload>`). */
  inviteLinks(payload: string): { platform: string; url: string }[];
}

/** Sends a page. */
export type Send = (reply: FastifyReply, status: number, page: Html) => FastifyReply;
/** Sends a refusal page (`console.refused.<key>`). */
export type Refuse = (req: FastifyRequest, reply: FastifyReply, status: number, key: string) => FastifyReply;

/** One page of the console: exported as `page` by its file under `routes/` (`pages.ts` finds them). */
export interface ConsolePageDef {
  /** Its menu entry: `console.nav.<key>`; the page's view marks itself `current` with it. */
  key: string;
  /** Its place in the menu (ascending; gaps leave room). */
  order: number;
  href: string;
  /** Whether the menu shows it to this account. */
  visible(a: Actor): boolean;
  routes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }): void;
}
