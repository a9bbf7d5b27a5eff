// Eta over views/, escaping every interpolation, with what every page's layout needs.
import type { Response } from "express";
import { Eta } from "eta";
import type { Reads } from "../../app/services.ts";
import type { RequestIdentity } from "../authentication.ts";
import { linkify } from "./linkify.ts";
import { readableTime, viewerTimeZone } from "./readableTime.ts";
import { viewsDir } from "../../projectPaths.ts";

/** What templates may call: only formatting, never data access. Times in the reader's zone, if known. */
const helpersIn = (timeZone: string | undefined) => ({ readableTime: (iso: string) => readableTime(iso, timeZone), linkify });

export interface PageRenderer {
  /** A template with the given data (plus `h`, the helpers, with times in `data.timeZone`), without the layout's data. */
  partial(template: string, data: object): string;
  /** A full page: the layout gets the signed-in user, the unread badge and the live notifications stream. */
  page(res: Response, status: number, template: string, data: PageData): void;
}

export interface PageData {
  title: string;
  /** The signed-in user; undefined on sign-in pages and for anonymous refusals. */
  identity?: RequestIdentity | undefined;
  /** The chat page carries its own stream (notifications included) and leaves out its conversation. */
  liveNotifications?: "page" | "none";
  /** Conversation whose unread messages the badge leaves out (the one on screen). */
  badgeExcept?: string;
  [key: string]: unknown;
}

export function createPageRenderer(handoff: Reads): PageRenderer {
  const eta = new Eta({ views: viewsDir, autoEscape: true, cache: true, autoTrim: [false, "nl"] });
  const partial = (template: string, data: object) =>
    eta.render(template, { ...data, h: helpersIn("timeZone" in data && typeof data.timeZone === "string" ? data.timeZone : undefined) });
  return {
    partial,
    page(res, status, template, data) {
      const identity = data.identity;
      const unreadTotal = identity ? unreadBadgeCount(handoff, identity.userId, data.badgeExcept) : 0;
      const liveNotifications = identity && (data.liveNotifications ?? "page") === "page";
      const html = partial(template, {
        timeZone: viewerTimeZone(res.req.headers.cookie),
        ...data,
        user: identity ? { id: identity.userId, username: identity.username } : undefined,
        unreadTotal,
        notificationsUrl: liveNotifications ? "/me/stream" : undefined,
      });
      res.status(status).type("html").send(html);
    },
  };
}

/** Unread messages across the user's conversations, leaving out `except` (the conversation on screen). */
export function unreadBadgeCount(handoff: Reads, 
userId: string, except?: string): number {
  const total = handoff.queries.unreadTotal(userId);
  if (!except) return total;
  const onScreen = handoff.queries.inboxEntry(userId, except)?.unreadCount ?? 0;
  return total - onScreen;
}
