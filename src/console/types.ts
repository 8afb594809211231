import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppDeps } from "../deps.js";
import type { Html } from "./html.js";
import type { LinkDeps } from "./links.js";
import type { Sessions } from "./session.js";

export interface ConsoleDeps extends AppDeps {
  links: LinkDeps;
  sessions: Sessions;
  /** Whether the console is served over https (the cookie is then `Secure`). */
  secure: boolean;
  /** An invitation's links, one per platform whose bot is running (`/start <payload>`). */
  inviteLinks(payload: string): { platform: string; url: string }[];
}

/** Sends a page. */
export type Send = (reply: FastifyReply, status: number, page: Html) => FastifyReply;
/** Sends a refusal page (`console.refused.<key>`). */
export type Refuse = (req: FastifyRequest, reply: FastifyReply, status: number, key: string) => FastifyReply;
