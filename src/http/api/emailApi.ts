// The signed-in user's address for e-mail digests: GET /api/me/email, and PUT /api/me/email {email},
// which records the request; the verification mail follows from the email-verification reactor,
// never from the request (docs/notifications.md, "E-mail").
import express from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import type { EmailState } from "../../domain/emailAddresses.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { limitGiveawayActions } from "../edge/rateLimits.ts";
import { ApiError } from "./apiErrors.ts";
import { commandContext, requireApiIdentity } from "./requestContext.ts";
import { parseBody } from "./requestInput.ts";

export type EmailApiServices = Pick<Handoff, "email" | "limits">;

const PutEmailSchema = z.strictObject({ email: z.string().max(1000) });

/** What GET and PUT answer: the verified address, the one waiting for its link, and whether digests go out. */
function emailView(state: EmailState, sending: boolean) {
  return {
    verified: state.verified ?? null,
    pending: state.pending?.address ?? null,
    /** E-mail is on in the notification settings (GET/PUT /api/me/notifications). */
    enabled: state.enabled,
    /** This server sends mail at all (SMTP_URL). */
    sending,
  };
}

export function emailApi(handoff: EdgeContext & EmailApiServices): express.Router {
  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);

  router.get("/me/email", signedIn, async (_req, res) => {
    res.json(emailView(await handoff.email.addresses.stateOf(identityOf(res).userId), handoff.email.sending));
  });

  router.put("/me/email", signedIn, limitGiveawayActions(handoff), async (req, res) => {
    const { email } = parseBody(PutEmailSchema, req.body);
    if (!handoff.email.sending) throw new ApiError("email_not_configured", "this server sends no e-mail (SMTP_URL is not set), so an address could not be verified");
    const outcome = await handoff.email.addresses.request(identityOf(res).userId, email, commandContext(res));
    if (!outcome.ok) throw new ApiError(outcome.code === "invalid_email" ? "invalid_email" : "invalid_field", outcome.message);
    // 202: the link is on its way (again); 200: this address is already the verified one.
    res.status(outcome.written ? 202 : 200).json(emailView(outcome.state, true));
  });

  return router;
}
