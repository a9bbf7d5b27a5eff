// A real webhook receiver on an ephemeral loopback port, as a platform would run one: it verifies
// each delivery with the standardwebhooks package against the secrets it was given, keeps what came,
// and answers as the test scripts it (a status, or never).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedWebhook {
  webhookId: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The verified payload, or undefined when no secret verified it. */
  payload: { type: string; timestamp: string; data: Record<string, unknown> } | undefined;
  /** Which of the receiver's secrets verified it. */
  verifiedWith: string[];
  path: string;
}

/** A status to answer with, or "hang": never answer (the connection stays open until the sender gives up). */
export type ReceiverAnswer = number | "hang";

export interface WebhookReceiver {
  /** http://127.0.0.1:<port>/hooks */
  url: string;
  received: ReceivedWebhook[];
  /** Secrets to verify with (set once the endpoint is registered). */
  secrets: string[];
  /** What to answer to a delivery (the deliveries before it are `received`); default 200. */
  answer: (delivery: ReceivedWebhook, index: number) => ReceiverAnswer;
  close(): Promise<void>;
}

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const hanging = new Set<ServerResponse>();
  const receiver: WebhookReceiver = {
    url: "",
    received: [],
    secrets: [],
    answer: () => 200,
    close: async () => {},
  };
  const server: Server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    const headers = { "webhook-id": String(request.headers["webhook-id"] ?? ""), "webhook-timestamp": String(request.headers["webhook-timestamp"] ?? ""), "webhook-signature": String(request.headers["webhook-signature"] ?? "") };
    let payload: ReceivedWebhook["payload"];
    const verifiedWith: string[] = [];
    for (const secret of receiver.secrets) {
      try {
        payload = new Webhook(secret).verify(body, headers) as ReceivedWebhook["payload"];
        verifiedWith.push(secret);
      } catch {
        // not this secret's
      }
    }
    const delivery: ReceivedWebhook = { webhookId: headers["webhook-id"], timestamp: headers["webhook-timestamp"], signature: headers["webhook-signature"], body, payload, verifiedWith, path: request.url ?? "" };
    const index = receiver.received.length;
    receiver.received.push(delivery);
    const answer = receiver.answer(delivery, index);
    if (answer === "hang") {
      hanging.add(response);
      response.on("close", () => hanging.delete(response));
      return;
    }
    // A redirect names the receiver itself: a sender that followed it would show up here again.
    const location = answer >= 300 && answer < 400 ? { location: `${receiver.url}/moved` } : {};
    response.writeHead(answer, { "content-type": "text/plain", ...location }).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = async () => {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return receiver;
}
