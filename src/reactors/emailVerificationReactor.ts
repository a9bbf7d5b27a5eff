// Mails the verification link when an address is asked for (EmailAddressRequested): a stored wake-up
// `verify:<userId>`, due at once, so the send happens outside the request and a mail server that is
// down costs retries (1 s, doubling, at most 5 minutes), never the request. A newer request replaces
// it; one already verified or replaced by the time it runs sends nothing. From the end of the log on
// its first start.
import { sameAddress, type EmailState } from "../domain/emailAddresses.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import { metrics } from "../observability/metrics.ts";
import type { DurableReactor } from "./reactor.ts";

export const emailVerificationName = "email-verification";

const log = componentLogger("email-verification");

export interface VerificationToSend {
  to: string;
  userId: string;
  requestedAt: string;
}

export interface EmailVerificationDeps {
  emailStateOf(userId: string): Promise<EmailState>;
  /** Composes (with a fresh signed link) and sends it; throws when the mail server refuses or cannot be reached. */
  sendVerification(mail: VerificationToSend): Promise<void>;
}

interface VerificationWakeUp {
  userId: string;
  address: string;
  requestedAt: string;
}

export function emailVerificationReactor(deps: EmailVerificationDeps): DurableReactor {
  return {
    name: emailVerificationName,
    kind: "durable",
    firstStart: "end",
    canHandle: ["EmailAddressRequested"],
    async handle(batch, context) {
      for (const projected of batch) {
        if (projected.event.type !== "EmailAddressRequested") continue;
        const { userId, address, requestedAt } = projected.event.data;
        const wake: VerificationWakeUp = { userId, address, requestedAt };
        context.schedule(`verify:${userId}`, context.now(), wake);
      }
    },
    async wake(wakeUp) {
      const { userId, address, requestedAt } = wakeUp.payload as VerificationWakeUp;
      const { pending } = await deps.emailStateOf(userId);
      // Verified meanwhile, or another address asked for since: this link is not wanted any more.
      if (!pending || !sameAddress(pending.address, address) || pending.requestedAt !== requestedAt) return;
      if (wakeUp.attempts > 0) metrics.mails.inc({ kind: "verification", outcome: "retried" });
      try {
        await deps.sendVerification({ to: address, userId, requestedAt });
      } catch (error) {
        metrics.mails.inc({ kind: "verification", outcome: "failed" });
        log.warn({ userId, attempt: wakeUp.attempts + 1, ...errorFields(error) }, "verification mail not sent; trying again later");
        throw error;
      }
      metrics.mails.inc({ kind: "verification", outcome: "sent" });
    },
  };
}
