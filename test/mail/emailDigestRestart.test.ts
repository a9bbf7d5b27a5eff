// A digest's wake-up is stored (DATA_DIR/reactors.db), so a server stopped before it was due sends it
// after its restart: handoff's clock is moved past the delay while it is down.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { userStream } from "../../src/domain/streams.ts";
import { openReactorState, reactorStateFile, readReactorStates } from "../../src/reactors/reactorState.ts";
import { drawnGiveaway, send } from "../http/apiFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startSmtpReceiver, type SmtpReceiver } from "./smtpReceiver.ts";

const dir = makeTempDir("email-restart");
let receiver: SmtpReceiver | undefined;
let server: TestServer | undefined;

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  dir.remove();
});

describe("e-mail digests across a restart", () => {
  it("a digest scheduled before the server stopped is sent after it starts again", async () => {
    receiver = await startSmtpReceiver();
    const env = { SMTP_URL: receiver.url, MAIL_FROM: "chat@example.invalid", PUBLIC_URL: "http://chat.example.invalid" };
    server = await startTestServer({ dataDir: dir.path, env });
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    // The winner's address, as the verification link would have recorded it.
    await server.handoff.store.appendToStream(
      userStream(winner.id),
      [{ id: randomUUID(), type: "EmailAddressVerified", data: { userId: winner.id, address: "winner@example.invalid", verifiedAt: new Date().toISOString() }, metadata: { actorId: winner.id, correlationId: "test", causationId: "test" } }],
      { expectedRevision: "any" },
    );
    await send(server, giver, giveawayId, "Still there?");
    const state = openReactorState(reactorStateFile(dir.path));
    try {
      await expect.poll(() => readReactorStates(state).find((reactor) => reactor.name === "email-digests")?.wakeUps.count).toBe(1);
    } finally {
      state.close();
    }
    await server.stop();
    expect(receiver.mails).toEqual([]);
    server = await startTestServer({ dataDir: dir.path, env, overrides: { now: () => new Date(Date.now() + 16 * 60_000) } });
    await expect.poll(() => receiver!.mails.length).toBe(1);
    expect(receiver.mails[0]!.text).toContain("Still there?");
  });
});
