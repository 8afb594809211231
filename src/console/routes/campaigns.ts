import type { FastifyInstance } from "fastify";
import { campaignBoard } from "../../services/campaign-board.js";
import { campaignsPage } from "../views/campaigns.js";
import type { ConsoleDeps, Refuse, Send } from "../types.js";
import type { ConsolePageDef } from "../types.js";
import { headquarters } from "../visibility.js";

/** The campaigns and Ramadan, for headquarters (read only: campaigns are made with the CLI). */
export function campaignRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }) {
  app.get("/console/campaigns", async (req, reply) => {
    const campaigns = await campaignBoard(
      { store: d.store, i18n: d.i18n, logger: d.logger, timeZone: d.timeZone },
      req.actor!,
    );
    if (!campaigns) return h.refuse(req, reply, 403, "not_allowed");
    return h.send(reply, 200, campaignsPage(req.page, { campaigns, timeZone: d.timeZone }));
  });
}

/** Its menu entry: 7th in the menu (`console.nav.campaigns`). */
export const page: ConsolePageDef = {
  key: "campaigns",
  order: 70,
  href: "/console/campaigns",
  visible: headquarters,
  routes: campaignRoutes,
};
