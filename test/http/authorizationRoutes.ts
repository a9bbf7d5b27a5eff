// The authorization matrix's table: every route, and what each kind of credentials must get from it.
// Written by hand from the rules (docs/api.md, the participant rule), never derived from the code.
// A new route belongs here (and in test/fuzz/fuzzRoutes.ts) the day it lands.
import { randomUUID } from "node:crypto";
import { password } from "./apiFixtures.ts";
import { onePixelPng } from "../support/sampleFiles.ts";
import { forgedKinds, type CredentialKind, type PersonKind } from "../support/credentialKinds.ts";

/**
 * ok: 2xx or a redirect that is not to sign in; denied: 403 or 404 (not theirs, or not for them);
 * passed: past authorization (anything but 401/403/404, a sign-in redirect or a 5xx: the state may refuse,
 * e.g. 409); unauthenticated: 401, or a redirect to sign in on a page; signedOut: 204 or a redirect, and the
 * session it was called with is then refused.
 */
export type Expectation = "ok" | "denied" | "passed" | "unauthenticated" | "signedOut";

/** Where a route's placeholders point. */
export interface Target {
  giveawayId: string;
  messageId: string;
  proposalId: string;
  attachmentId: string;
}

export interface MatrixRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** :giveaway, :message (the giver's), :proposal (the giver's), :attachment (the giver's), :giver (the giver's user id). */
  path: string;
  /** How the credentials travel: a Bearer token (API) or the session cookie (pages, their streams and scripts). */
  via: "bearer" | "cookie";
  /** What "unauthenticated" means here: 401, or a redirect to sign in (pages a person opens). */
  unauthenticated: 401 | "signin";
  expect: Record<CredentialKind, Expectation>;
  /** A string value ":message" stands for the target's message id. */
  body?: (context: { freshName: string; strangerName: string }) => Record<string, unknown> | Buffer;
  /** The open (undrawn) giveaway instead of the drawn conversation. */
  target?: "open";
  /** Each person gets a conversation of their own (what they do changes it), drawn unless said, with a proposal or an agreed pickup. */
  fresh?: { drawn?: boolean; proposal?: boolean; agreed?: boolean };
  /** Ends the session it is called with (a person calls it with a session of its own; it must then be refused). */
  endsSessions?: boolean;
}

type People = Record<PersonKind, Expectation>;

/** Who gets what: the people as given; no, forged or dead credentials as `anonymous` says. */
function rule(people: People, anonymous: Expectation = "unauthenticated"): Record<CredentialKind, Expectation> {
  const forged = Object.fromEntries(forgedKinds.map((kind) => [kind, anonymous])) as Record<(typeof forgedKinds)[number], Expectation>;
  return { none: anonymous, ...forged, ...people };
}

const anyone = rule({ stranger: "ok", loser: "ok", giver: "ok", winner: "ok" }, "ok");
const signedIn = rule({ stranger: "ok", loser: "ok", giver: "ok", winner: "ok" });
const participants = rule({ stranger: "denied", loser: "denied", giver: "ok", winner: "ok" });
const giverOnly = rule({ stranger: "denied", loser: "denied", giver: "ok", winner: "denied" });
const winnerOnly = rule({ stranger: "denied", loser: "denied", giver: "denied", winner: "ok" });
/** The giver's or the winner's to ask, though the conversation's state refuses it today (ratings before the handover: 409). */
const participantsMayAsk = rule({ stranger: "denied", loser: "denied", giver: "passed", winner: "passed" });
/** The giver's to ask, though the conversation's state refuses it today. */
const giverMayAsk = rule({ stranger: "denied", loser: "denied", giver: "passed", winner: "denied" });
/** Sign-out: anyone's own session ends; without one there is nothing to end. */
const signsOut = rule({ stranger: "signedOut", loser: "signedOut", giver: "signedOut", winner: "signedOut" });
/** Entering: anyone but the giver. */
const entrants = rule({ stranger: "ok", loser: "ok", giver: "denied", winner: "ok" });
/** The author's own message. */
const author = giverOnly;
/**
 * The platform's backend API: a service key only. No credentials: 401; any user's token, real or not,
 * is not a service key: 403 (test/http/platformApi.test.ts runs these routes with a service key).
 */
const serviceKeyOnly: Record<CredentialKind, Expectation> = { ...rule({ stranger: "denied", loser: "denied", giver: "denied", winner: "denied" }, "denied"), none: "unauthenticated" };

/** A user id nobody has (blocks): 404 to everyone signed in. */
const nobody = "00000000-0000-4000-8000-00000000b10c";
const noSuchUser = rule({ stranger: "denied", loser: "denied", giver: "denied", winner: "denied" });

/** Moderation: none of the matrix's people is a moderator, so each gets 403 (not_moderator). */
const moderatorsOnly = rule({ stranger: "denied", loser: "denied", giver: "denied", winner: "denied" });
/** A report nobody filed: the moderator check comes first, so still 403 to the matrix's people. */
const someReport = "00000000-0000-4000-8000-0000000be907";

const api = { via: "bearer", unauthenticated: 401 } as const;
const page = { via: "cookie", unauthenticated: "signin" } as const;
/** The pages' streams and script posts: a status a script understands, never a redirect. */
const script = { via: "cookie", unauthenticated: 401 } as const;

const inADay = () => new Date(Date.now() + 24 * 3600_000);
const apiProposal = () => ({ from: inADay().toISOString(), to: new Date(inADay().getTime() + 3600_000).toISOString(), place: "the gate" });
const formProposal = () => ({ id: randomUUID(), from: inADay().toISOString().slice(0, 16), to: new Date(inADay().getTime() + 3600_000).toISOString().slice(0, 16), place: "the gate" });
const thumbsUp = encodeURIComponent("👍");

export const matrixRoutes: MatrixRoute[] = [
  // Health and operations: nobody's business who asks.
  { method: "GET", path: "/healthz", ...api, expect: anyone },
  { method: "GET", path: "/readyz", ...api, expect: anyone },
  { method: "GET", path: "/metrics", ...api, expect: anyone },

  // API: accounts and sessions.
  { method: "POST", path: "/api/users", ...api, expect: anyone, body: ({ freshName }) => ({ username: freshName, password }) },
  { method: "POST", path: "/api/tokens", ...api, expect: anyone, body: ({ strangerName }) => ({ username: strangerName, password }) },
  { method: "GET", path: "/api/me", ...api, expect: signedIn },
  { method: "DELETE", path: "/api/tokens/current", ...api, expect: signsOut, endsSessions: true },
  { method: "DELETE", path: "/api/tokens", ...api, expect: signsOut, endsSessions: true },

  // API: giveaways.
  { method: "GET", path: "/api/giveaways", ...api, expect: signedIn },
  { method: "POST", path: "/api/giveaways", ...api, expect: signedIn, body: () => ({ title: "A matrix chair" }) },
  { method: "GET", path: "/api/giveaways/:giveaway", ...api, expect: signedIn },
  { method: "POST", path: "/api/giveaways/:giveaway/entries", ...api, expect: entrants, target: "open" },
  { method: "POST", path: "/api/giveaways/:giveaway/draw", ...api, expect: giverOnly, fresh: { drawn: false } },

  // API: the conversation.
  { method: "GET", path: "/api/giveaways/:giveaway/messages", ...api, expect: participants },
  { method: "POST", path: "/api/giveaways/:giveaway/messages", ...api, expect: participants, body: () => ({ content: "hello" }) },
  { method: "POST", path: "/api/giveaways/:giveaway/read", ...api, expect: participants, body: () => ({ revision: 0 }) },
  { method: "GET", path: "/api/giveaways/:giveaway/stream", ...api, expect: participants },
  { method: "GET", path: "/api/me/stream", ...api, expect: signedIn },
  { method: "GET", path: "/api/inbox", ...api, expect: signedIn },
  { method: "PUT", path: `/api/giveaways/:giveaway/messages/:message/reactions/${thumbsUp}`, ...api, expect: participants },
  { method: "DELETE", path: `/api/giveaways/:giveaway/messages/:message/reactions/${thumbsUp}`, ...api, expect: participants },
  { method: "PATCH", path: "/api/giveaways/:giveaway/messages/:message", ...api, expect: author, fresh: {}, body: () => ({ content: "edited" }) },
  { method: "DELETE", path: "/api/giveaways/:giveaway/messages/:message", ...api, expect: author, fresh: {} },
  { method: "POST", path: "/api/giveaways/:giveaway/typing", ...api, expect: participants },
  { method: "PUT", path: "/api/giveaways/:giveaway/mute", ...api, expect: participants },
  { method: "DELETE", path: "/api/giveaways/:giveaway/mute", ...api, expect: participants },
  { method: "POST", path: "/api/giveaways/:giveaway/attachments", ...api, expect: participants, body: () => onePixelPng() },
  { method: "GET", path: "/api/giveaways/:giveaway/attachments/:attachment", ...api, expect: participants },

  // API: the item's photos (the giver adds them; whoever sees the giveaway, anyone signed in, sees them) and one's own photo.
  // The table names no photo id: one nobody has is 404 to everyone signed in.
  { method: "POST", path: "/api/giveaways/:giveaway/photos", ...api, expect: giverOnly, body: () => onePixelPng() },
  { method: "GET", path: "/api/giveaways/:giveaway/photos", ...api, expect: signedIn },
  { method: "GET", path: `/api/giveaways/:giveaway/photos/${nobody}`, ...api, expect: noSuchUser },
  // Everyone sets their own, then the giver's is there for anyone signed in; removing it comes last.
  { method: "PUT", path: "/api/me/avatar", ...api, expect: signedIn, body: () => onePixelPng() },
  { method: "GET", path: "/api/users/:giver/avatar", ...api, expect: signedIn },
  { method: "DELETE", path: "/api/me/avatar", ...api, expect: signedIn },

  // API: blocks and reports. The table names no user to block: a user nobody has is 404 to everyone signed in.
  { method: "GET", path: "/api/me/blocks", ...api, expect: signedIn },
  { method: "PUT", path: `/api/me/blocks/${nobody}`, ...api, expect: noSuchUser },
  { method: "DELETE", path: `/api/me/blocks/${nobody}`, ...api, expect: noSuchUser },
  { method: "POST", path: "/api/giveaways/:giveaway/reports", ...api, expect: participants, body: () => ({ reason: "other", note: "matrix" }) },

  // API: notifications. Anyone may read the VAPID key; a subscription's endpoint on a reserved address is
  // refused 422 url_not_allowed past authorization (nothing is ever pushed); ending one nobody has is 204.
  { method: "GET", path: "/api/push/public-key", ...api, expect: anyone },
  { method: "POST", path: "/api/push/subscriptions", ...api, expect: rule({ stranger: "passed", loser: "passed", giver: "passed", winner: "passed" }), body: () => ({ endpoint: "https://192.0.2.1/push/matrix", keys: { p256dh: `B${"A".repeat(86)}`, auth: "AAAAAAAAAAAAAAAAAAAAAA" } }) },
  { method: "DELETE", path: `/api/push/subscriptions?endpoint=${encodeURIComponent("https://192.0.2.1/push/matrix")}`, ...api, expect: signedIn },
  { method: "GET", path: "/api/me/notifications", ...api, expect: signedIn },
  { method: "PUT", path: "/api/me/notifications", ...api, expect: signedIn, body: () => ({ preview: true }) },
  // E-mail. The matrix's server sends no mail: an address is refused 409 email_not_configured past authorization.
  { method: "GET", path: "/api/me/email", ...api, expect: signedIn },
  { method: "PUT", path: "/api/me/email", ...api, expect: rule({ stranger: "passed", loser: "passed", giver: "passed", winner: "passed" }), body: () => ({ email: "matrix@example.invalid" }) },
  // The links e-mails carry need no sign-in: whoever holds one may use it; a token nobody signed is a 400 page to all.
  { method: "GET", path: "/email/verify?token=00", ...page, expect: rule({ stranger: "passed", loser: "passed", giver: "passed", winner: "passed" }, "passed") },
  { method: "POST", path: "/email/verify?token=00", ...page, expect: rule({ stranger: "passed", loser: "passed", giver: "passed", winner: "passed" }, "passed") },
  { method: "GET", path: "/email/unsubscribe?token=00", ...page, expect: rule({ stranger: "passed", loser: "passed", giver: "passed", winner: "passed" }, "passed") },
  { method: "POST", path: "/email/unsubscribe?token=00", ...page, expect: rule({ stranger: "passed", loser: "passed", giver: "passed", winner: "passed" }, "passed") },

  // API: ratings and profiles. The matrix's conversation is not completed: its sides are refused 409 not_completed.
  { method: "PUT", path: "/api/giveaways/:giveaway/rating", ...api, expect: participantsMayAsk, body: () => ({ stars: 5, comment: "matrix" }) },
  { method: "GET", path: `/api/users/${nobody}`, ...api, expect: noSuchUser },
  { method: "GET", path: "/api/users/:giver", ...api, expect: signedIn },

  // API: moderation (moderators only).
  { method: "GET", path: "/api/moderation/reports", ...api, expect: moderatorsOnly },
  { method: "POST", path: `/api/moderation/reports/${someReport}/views`, ...api, expect: moderatorsOnly },
  { method: "POST", path: "/api/moderation/actions", ...api, expect: moderatorsOnly, body: () => ({ action: "hide", messageId: ":message", reason: "matrix" }) },

  // API: the audit.
  { method: "GET", path: "/api/giveaways/:giveaway/events", ...api, expect: participants },

  // API: the pickup.
  { method: "GET", path: "/api/giveaways/:giveaway/pickup/proposals", ...api, expect: participants },
  { method: "POST", path: "/api/giveaways/:giveaway/pickup/proposals", ...api, expect: participants, fresh: {}, body: apiProposal },
  { method: "POST", path: "/api/giveaways/:giveaway/pickup/proposals/:proposal/accept", ...api, expect: winnerOnly, fresh: { proposal: true } },
  { method: "POST", path: "/api/giveaways/:giveaway/pickup/proposals/:proposal/decline", ...api, expect: winnerOnly, fresh: { proposal: true } },
  { method: "GET", path: "/api/giveaways/:giveaway/pickup.ics", ...api, expect: participants },
  { method: "POST", path: "/api/giveaways/:giveaway/handover", ...api, expect: participants, fresh: { agreed: true } },
  { method: "POST", path: "/api/giveaways/:giveaway/decline", ...api, expect: winnerOnly, fresh: {} },
  { method: "POST", path: "/api/giveaways/:giveaway/redraw", ...api, expect: giverMayAsk, fresh: {} },
  { method: "POST", path: "/api/giveaways/:giveaway/cancel", ...api, expect: giverOnly, fresh: {}, body: () => ({ reason: "sold" }) },

  // The embedded chat (framed by the platform): the chat page's rule; without a session a 401 page, no sign-in link.
  { method: "GET", path: "/embed/giveaways/:giveaway/chat", via: "cookie", unauthenticated: 401, expect: participants },

  // API: the platform's backend (paths name the platform's ids; a handoff id is one too).
  { method: "GET", path: "/api/platform/giveaways/:giveaway", ...api, expect: serviceKeyOnly },
  { method: "PUT", path: "/api/platform/giveaways/:giveaway", ...api, expect: serviceKeyOnly, body: () => ({ title: "A matrix desk", giverId: "matrix-giver" }) },
  { method: "PUT", path: "/api/platform/giveaways/:giveaway/entrants/matrix-entrant", ...api, expect: serviceKeyOnly },
  { method: "DELETE", path: "/api/platform/giveaways/:giveaway/entrants/matrix-entrant", ...api, expect: serviceKeyOnly },
  { method: "POST", path: "/api/platform/giveaways/:giveaway/draw", ...api, expect: serviceKeyOnly, body: () => ({ winnerId: "matrix-entrant" }) },
  { method: "POST", path: "/api/platform/giveaways/:giveaway/redraw", ...api, expect: serviceKeyOnly, body: () => ({ winnerId: "matrix-entrant" }) },
  { method: "POST", path: "/api/platform/giveaways/:giveaway/cancel", ...api, expect: serviceKeyOnly, body: () => ({ reason: "sold" }) },
  { method: "POST", path: "/api/platform/giveaways/:giveaway/messages", ...api, expect: serviceKeyOnly, body: () => ({ content: "Reserved for you" }) },
  // The platform's webhooks (a user's token is refused before the endpoint is looked up, so a made-up id serves).
  { method: "GET", path: "/api/platform/webhooks", ...api, expect: serviceKeyOnly },
  { method: "POST", path: "/api/platform/webhooks", ...api, expect: serviceKeyOnly, body: () => ({ url: "https://192.0.2.1/matrix", events: ["message.sent"] }) }, // 422 with a key: nothing is ever sent
  { method: "DELETE", path: "/api/platform/webhooks/00000000-0000-4000-8000-0000000000e1", ...api, expect: serviceKeyOnly },
  { method: "POST", path: "/api/platform/webhooks/00000000-0000-4000-8000-0000000000e1/rotate-secret", ...api, expect: serviceKeyOnly },

  // Pages: signing in and out.
  { method: "GET", path: "/", ...page, expect: anyone },
  { method: "GET", path: "/signin", ...page, expect: anyone },
  { method: "GET", path: "/register", ...page, expect: anyone },
  { method: "POST", path: "/signin", ...page, expect: anyone, body: ({ strangerName }) => ({ username: strangerName, password }) },
  { method: "POST", path: "/register", ...page, expect: anyone, body: ({ freshName }) => ({ username: freshName, password }) },
  { method: "POST", path: "/signout", ...page, expect: signsOut, endsSessions: true },
  { method: "POST", path: "/signout/everywhere", ...page, expect: signsOut, endsSessions: true },

  // Pages: giveaways.
  { method: "GET", path: "/giveaways", ...page, expect: signedIn },
  { method: "POST", path: "/giveaways", ...page, expect: signedIn, body: () => ({ giveawayId: randomUUID(), title: "A matrix shelf" }) },
  { method: "GET", path: "/giveaways/:giveaway", ...page, expect: signedIn },
  { method: "POST", path: "/giveaways/:giveaway/entries", ...page, expect: entrants, target: "open" },
  { method: "POST", path: "/giveaways/:giveaway/draw", ...page, expect: giverOnly, fresh: { drawn: false } },
  { method: "GET", path: "/giveaways/:giveaway/audit", ...page, expect: participants },
  { method: "GET", path: "/inbox", ...page, expect: signedIn },

  // Pages: the chat, its stream and its script posts.
  { method: "GET", path: "/messages/:giveaway", ...page, expect: participants },
  { method: "POST", path: "/messages/:giveaway", ...page, expect: participants, body: () => ({ id: randomUUID(), content: "hello" }) },
  { method: "POST", path: "/messages/:giveaway/read", ...script, expect: participants, body: () => ({ revision: "0" }) },
  // The conversation's forms (a body's ":message" is the giver's message, like the path's).
  { method: "POST", path: "/messages/:giveaway/reactions", ...page, expect: participants, body: () => ({ messageId: ":message", emoji: "👍" }) },
  { method: "POST", path: "/messages/:giveaway/retract", ...page, expect: author, fresh: {}, body: () => ({ messageId: ":message" }) },
  { method: "POST", path: "/messages/:giveaway/mute", ...page, expect: participants, body: () => ({ muted: "1" }) },
  // Block, then unblock at once: a block between the giver and the winner would refuse the routes after it.
  { method: "GET", path: "/messages/:giveaway/block", ...page, expect: participants },
  { method: "POST", path: "/messages/:giveaway/block", ...page, expect: participants },
  { method: "POST", path: "/messages/:giveaway/unblock", ...page, expect: participants },
  { method: "GET", path: "/messages/:giveaway/report", ...page, expect: participants },
  { method: "GET", path: "/moderation", ...page, expect: moderatorsOnly },
  { method: "POST", path: `/moderation/reports/${someReport}/views`, ...page, expect: moderatorsOnly },
  { method: "POST", path: "/moderation/actions", ...page, expect: moderatorsOnly, body: () => ({ action: "dismiss", reportId: someReport, reason: "matrix" }) },
  { method: "POST", path: "/messages/:giveaway/report", ...page, expect: participants, body: () => ({ reason: "other" }) },
  { method: "POST", path: "/messages/:giveaway/rating", ...page, expect: participantsMayAsk, body: () => ({ stars: "5", comment: "matrix" }) },
  { method: "GET", path: `/users/${nobody}`, ...page, expect: noSuchUser },
  { method: "GET", path: "/users/:giver", ...page, expect: signedIn },
  { method: "GET", path: "/messages/:giveaway/stream", ...script, expect: participants },
  { method: "GET", path: "/me/stream", ...script, expect: signedIn },

  // Pages: the pickup.
  { method: "POST", path: "/messages/:giveaway/pickup/proposals", ...page, expect: participants, fresh: {}, body: formProposal },
  { method: "POST", path: "/messages/:giveaway/pickup/proposals/:proposal/accept", ...page, expect: winnerOnly, fresh: { proposal: true } },
  { method: "POST", path: "/messages/:giveaway/pickup/proposals/:proposal/decline", ...page, expect: winnerOnly, fresh: { proposal: true } },
  { method: "POST", path: "/messages/:giveaway/handover", ...page, expect: participants, fresh: { agreed: true } },
  { method: "POST", path: "/messages/:giveaway/decline", ...page, expect: winnerOnly, fresh: {} },
  { method: "POST", path: "/messages/:giveaway/redraw", ...page, expect: giverMayAsk, fresh: {} },
  { method: "POST", path: "/messages/:giveaway/cancel", ...page, expect: giverOnly, fresh: {}, body: () => ({ reason: "sold" }) },
  { method: "GET", path: "/messages/:giveaway/pickup.ics", ...page, expect: participants },
  // The pickup sheet and the confirmations as pages (without script): they change nothing; their forms post above.
  { method: "GET", path: "/messages/:giveaway/pickup/proposals", ...page, expect: participants },
  { method: "GET", path: "/messages/:giveaway/decline", ...page, expect: winnerOnly },
  { method: "GET", path: "/messages/:giveaway/redraw", ...page, expect: giverOnly },
  { method: "GET", path: "/messages/:giveaway/cancel", ...page, expect: giverOnly },
  { method: "GET", path: "/messages/:giveaway/retract?messageId=:message", ...page, expect: author },

  // Static files.
  { method: "GET", path: "/assets/chat.js", ...page, expect: anyone },
  { method: "GET", path: "/assets/htmx.min.js", ...page, expect: anyone },
  { method: "GET", path: "/sw.js", ...page, expect: anyone },
];
