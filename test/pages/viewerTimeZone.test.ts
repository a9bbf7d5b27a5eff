// Pages drawn without script speak the reader's time zone when their browser told us (the tz cookie
// public/times.js sets), and say UTC otherwise; a cookie naming no zone is ignored, never an error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, registerUser, sendByForm, type PageUser } from "./pageSession.ts";

let server: TestServer;
let ann: PageUser;
let bob: PageUser;
let giveawayId: string;

beforeAll(async () => {
  server = await startTestServer();
  [ann, bob] = await Promise.all([registerUser(server, "ann"), registerUser(server, "bob")]);
  giveawayId = await drawnGiveaway(ann, bob, "A clock");
  await sendByForm(ann, giveawayId, "It keeps good time.");
});
afterAll(() => server.close());

/** The text of the chat's message times. */
const messageTimes = (html: string) => [...html.matchAll(/<p class="meta">[\s\S]*?<time datetime="([^"]+)">([^<]*)<\/time>/g)].map((m) => ({ at: m[1]!, text: m[2]! }));

const inZone = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));

describe("times on pages drawn by the server", () => {
  it("are in the zone the tz cookie names, with no UTC", async () => {
    const page = await bob.get(`/messages/${giveawayId}`).set("Cookie", `${bob.cookie}; tz=Asia%2FTokyo`);
    expect(page.status).toBe(200);
    const [time] = messageTimes(page.text);
    expect(time).toBeDefined();
    expect(time!.text).toMatch(new RegExp(`^(Today|\\w{3} \\d{1,2} \\w{3},) ${inZone(time!.at, "Asia/Tokyo")}$`));
    expect(page.text).not.toMatch(/\d\d:\d\d UTC<\/time>/);
  });

  it("say UTC when the browser told us nothing, or named no zone Intl knows", async () => {
    for (const extra of ["", "; tz=Mars%2FOlympus", "; tz=%E0%A4%A", `; tz=${"x".repeat(3000)}`]) {
      const page = await bob.get(`/messages/${giveawayId}`).set("Cookie", `${bob.cookie}${extra}`);
      expect(page.status, extra.slice(0, 30)).toBe(200);
      const [time] = messageTimes(page.text);
      expect(time!.text).toBe(`Today ${inZone(time!.at, "UTC")} UTC`);
    }
  });

  it("the inbox speaks the same zone", async () => {
    const inbox = await bob.get("/inbox").set("Cookie", `${bob.cookie}; tz=America%2FNew_York`);
    expect(inbox.status).toBe(200);
    const match = /<time datetime="([^"]+)">([^<]*)<\/time>/.exec(inbox.text);
    expect(match).not.toBeNull();
    expect(match![2]).toMatch(new RegExp(`^(Today|\\w{3} \\d{1,2} \\w{3},) ${inZone(match![1]!, "America/New_York")}$`));
  });
});
