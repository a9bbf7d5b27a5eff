// Sends one push to one browser's push service. web-push does the protocol: the payload encrypted
// for the browser's keys (RFC 8291, aes128gcm) and the VAPID JWT (RFC 8292). The request itself goes
// out here, under the outbound rule (src/outbound/): the endpoint checked again at send time, the
// address actually connected to checked by the agents, a deadline, no redirect followed.
import http from "node:http";
import https from "node:https";
import webpush, { type RequestDetails } from "web-push";
import type { PushSubscriptionKeys } from "../domain/pushSubscriptions.ts";
import { checkOutboundUrl, outboundAgents, outboundRefusedCode, type OutboundPolicy } from "../outbound/outboundGuard.ts";
import type { PushMessage } from "./pushMessage.ts";
import type { VapidKeys } from "./vapidKeys.ts";

/**
 * sent: the service took it (2xx). gone: 404 or 410, the subscription has ended. retry: worth
 * trying again later (no answer in time, a connection that failed, 429, 5xx). failed: trying again
 * would get the same answer (another 4xx, an endpoint the outbound rule refuses, keys that do not fit).
 */
export type PushOutcome =
  | { kind: "sent"; status: number }
  | { kind: "gone"; status: number }
  | { kind: "retry"; status?: number; error: string; retryAfterMs?: number }
  | { kind: "failed"; status?: number; error: string };

export interface PushTarget extends PushSubscriptionKeys {
  endpoint: string;
}

export interface PushSender {
  send(target: PushTarget, message: PushMessage): Promise<PushOutcome>;
}

export interface PushSenderOptions {
  vapid: VapidKeys;
  subject: string;
  policy: OutboundPolicy;
  /** The most a push service may take to answer (its status line). */
  timeoutMs: number;
}

/** The most of an answer's body read (and thrown away) before the connection is dropped. */
const maxAnswerBytes = 16 * 1024;

export function createPushSender(options: PushSenderOptions): PushSender {
  const agents = outboundAgents(options.policy);
  const vapidDetails = { subject: options.subject, publicKey: options.vapid.publicKey, privateKey: options.vapid.privateKey };
  return {
    async send(target, message) {
      const checked = checkOutboundUrl(target.endpoint, options.policy);
      if (!checked.ok) return { kind: "failed", error: `endpoint not allowed: ${checked.reason}` };
      let details: RequestDetails;
      try {
        details = webpush.generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, JSON.stringify(message.payload), {
          vapidDetails,
          TTL: message.ttlSeconds,
          urgency: message.urgency,
          topic: message.topic,
          contentEncoding: "aes128gcm",
        });
      } catch (error) {
        return { kind: "failed", error: `cannot encrypt for this subscription: ${error instanceof Error ? error.message : String(error)}` };
      }
      const answer = await post(checked.url, details, agents, options.timeoutMs);
      if ("error" in answer) return answer.refused ? { kind: "failed", error: answer.error } : { kind: "retry", error: answer.error };
      const { status, retryAfter } = answer;
      if (status >= 200 && status < 300) return { kind: "sent", status };
      if (status === 404 || status === 410) return { kind: "gone", status };
      if (status === 429 || status >= 500) return { kind: "retry", status, error: `push service answered ${status}`, ...(retryAfter !== undefined && { retryAfterMs: retryAfter }) };
      return { kind: "failed", status, error: `push service answered ${status}` };
    },
  };
}

type Answer = { status: number; retryAfter: number | undefined } | { error: string; refused: boolean };

function post(url: URL, details: RequestDetails, agents: ReturnType<typeof outboundAgents>, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(answer);
    };
    const secure = url.protocol === "https:";
    const headers = Object.fromEntries(Object.entries(details.headers).map(([name, value]) => [name, String(value)]));
    const request = (secure ? https : http).request(url, { method: "POST", agent: secure ? agents.https : agents.http, headers });
    const deadline = setTimeout(() => {
      settle({ error: `no answer within ${timeoutMs} ms`, refused: false });
      request.destroy();
    }, timeoutMs);
    request.on("response", (response) => {
      settle({ status: response.statusCode ?? 0, retryAfter: retryAfterMs(response.headers["retry-after"]) });
      let read = 0;
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > maxAnswerBytes) response.destroy();
      });
      response.on("error", () => {});
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      const refused = error.code === outboundRefusedCode;
      settle({ error: `${refused ? "address not allowed" : (error.code ?? "connection failed")}: ${error.message}`.slice(0, 300), refused });
    });
    request.end(details.body ?? undefined);
  });
}

/** Retry-After in seconds (an HTTP date is rare from push services and read as absent). */
function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined || !/^\d{1,7}$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}
