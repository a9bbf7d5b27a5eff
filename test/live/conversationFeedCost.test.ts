// Fan-out cost: asking whether a winner may read an event must not query the read models per event
// and connection (at N = 1,000 streams that was most of a message's fan-out). The rule is read once
// per feed, and again only after a pickup event, which can change the rounds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Handoff } from "../../src/app/handoff.ts";
import { conversationFeedSources } from "../../src/app/conversationFeedSources.ts";
import { drawnGiveaway, send, type Conversation } from "../http/apiFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

let server: TestServer;
let talk: Conversation;

beforeAll(async () => {
  server = await startTestServer();
  talk = await drawnGiveaway(server);
});
afterAll(() => server.close());

/** The application with its read-model queries counted. */
function countingHandoff(handoff: Handoff): { handoff: Handoff; queries(): number } {
  let count = 0;
  const queries = new Proxy(handoff.queries, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        count += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { handoff: { ...handoff, queries }, queries: () => count };
}

describe("the conversation feed's reader rule", () => {
  it("is read once for a winner, then answers every revision without a query", async () => {
    const sent = await send(server, talk.giver, talk.giveawayId, "one");
    const counting = countingHandoff(server.handoff);
    const mayRead = conversationFeedSources(counting.handoff).readerOf(talk.giveawayId, talk.winner.id);
    const afterSetUp = counting.queries();
    expect(afterSetUp).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) expect(mayRead(sent.revision)).toBe(true);
    expect(counting.queries()).toBe(afterSetUp);
  });

  it("a stranger reads nothing, and is not asked again per event either", () => {
    const counting = countingHandoff(server.handoff);
    const mayRead = conversationFeedSources(counting.handoff).readerOf(talk.giveawayId, "00000000-0000-4000-8000-000000000000");
    const afterSetUp = counting.queries();
    for (let revision = 0; revision < 50; revision++) expect(mayRead(revision)).toBe(false);
    expect(counting.queries()).toBe(afterSetUp);
  });
});
