// The inbox: each conversation the user is in, the other person, the last message and the unread count.
import express, { type Request, type Response } from "express";
import type { Reads } from "../../app/services.ts";
import { identityOf } from "../authentication.ts";
import type { PageRenderer } from "./pageRenderer.ts";

export function inboxPage(handoff: Reads, 
renderer: PageRenderer): express.Router {
  const router = express.Router();
  router.get("/inbox", (_req: Request, res: Response) => {
    const identity = identityOf(res);
    renderer.page(res, 200, "./inbox", { title: "Inbox", identity, conversations: handoff.queries.inboxFor(identity.userId) });
  });
  return router;
}
