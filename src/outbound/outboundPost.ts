// One outbound POST under the guard: the URL checked again at send time (an IP literal never reaches
// the agents' lookup), the address connected to checked by the agents, a deadline for the answer's
// status line, redirects not followed (a 3xx is just an answer), and the answer's body not read.
import http from "node:http";
import https from "node:https";
import { checkOutboundUrl, outboundAgents, outboundRefusedCode, type OutboundPolicy } from "./outboundGuard.ts";

export type OutboundAnswer = { status: number; latencyMs: number } | { status: undefined; error: string; latencyMs: number };

export interface OutboundPoster {
  post(url: string, headers: Record<string, string>, body: string): Promise<OutboundAnswer>;
}

export function outboundPoster(policy: OutboundPolicy, settings: { timeoutMs: number; userAgent?: string }): OutboundPoster {
  const agents = outboundAgents(policy);
  return {
    post(urlText, headers, body) {
      const started = performance.now();
      const elapsed = () => performance.now() - started;
      const checked = checkOutboundUrl(urlText, policy);
      if (!checked.ok) return Promise.resolve({ status: undefined, error: `url not allowed: ${checked.reason}`, latencyMs: 0 });
      const { url } = checked;
      return new Promise<OutboundAnswer>((resolve) => {
        let settled = false;
        let deadline: NodeJS.Timeout | undefined;
        const settle = (answer: OutboundAnswer) => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          resolve(answer);
        };
        const options = {
          method: "POST",
          headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": settings.userAgent ?? "handoff-webhooks" },
        };
        const request = url.protocol === "https:" ? https.request(url, { ...options, agent: agents.https }) : http.request(url, { ...options, agent: agents.http });
        deadline = setTimeout(() => {
          settle({ status: undefined, error: `no answer within ${settings.timeoutMs} ms`, latencyMs: elapsed() });
          request.destroy();
        }, settings.timeoutMs);
        request.on("response", (response) => {
          // The status is the answer; its body is not read, and the connection not kept.
          settle({ status: response.statusCode ?? 0, latencyMs: elapsed() });
          response.on("error", () => {});
          request.destroy();
        });
        request.on("error", (error: NodeJS.ErrnoException) => {
          const why = error.code === outboundRefusedCode ? "address not allowed" : (error.code ?? "connection failed");
          settle({ status: undefined, error: `${why}: ${error.message}`.slice(0, 300), latencyMs: elapsed() });
        });
        request.end(body);
      });
    },
  };
}
