// A browser-like user for page tests: a session cookie, same-origin form posts, and the hidden fields pages carry.
import request from "supertest";
import { expect, vi } from "vitest";
import type { TestServer } from "../support/testServer.ts";

export interface PageUser {
  username: string;
  cookie: string;
  get(path: string): request.Test;
  /** A form post from our own pages (Origin names this server), as a browser sends it. */
  post(path: string, form?: Record<string, string>): request.Test;
}

export function sessionCookieOf(response: request.Response): string {
  const header = response.headers["set-cookie"] as unknown as string[] | undefined;
  const cookie = header?.find((c) => c.startsWith("handoff_session="));
  if (!cookie) throw new Error(`no session cookie in ${response.status} ${JSON.stringify(response.headers)}`);
  return cookie.split(";")[0]!;
}

export function pageUser(server: TestServer, username: string, cookie: string): PageUser {
  return {
    username,
    cookie,
    get: (path) => request(server.url).get(path).set("Cookie", cookie),
    post: (path, form = {}) => request(server.url).post(path).set("Cookie", cookie).set("Origin", server.url).type("form").send(form),
  };
}

export async function registerUser(server: TestServer, username: string, password = "correct horse"): Promise<PageUser> {
  const response = await request(server.url).post("/register").set("Origin", server.url).type("form").send({ username, password });
  expect(response.status).toBe(303);
  return pageUser(server, username, sessionCookieOf(response));
}

/** The value of a hidden (or any) input by name in a page's HTML. */
export function inputValue(html: string, name: string): string {
  const match = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no input named ${name}`);
  return match[1]!;
}

/** Creates a giveaway through the form, the winner enters, the giver draws: the chat is open. */
export async function drawnGiveaway(giver: PageUser, winner: PageUser, title = "A bike"): Promise<string> {
  const list = await giver.get("/giveaways");
  const created = await giver.post("/giveaways", { giveawayId: inputValue(list.text, "giveawayId"), title, description: "" });
  expect(created.status).toBe(303);
  const giveawayId = new URL(created.headers.location!, "http://x").pathname.replace("/giveaways/", "");
  expect((await winner.post(`/giveaways/${giveawayId}/entries`)).status).toBe(303);
  expect((await giver.post(`/giveaways/${giveawayId}/draw`)).status).toBe(303);
  return giveawayId;
}

/** Sends a message the way the no-JavaScript form does: the hidden id from the chat page, then a 303 back. */
export async function sendByForm(user: PageUser, giveawayId: string, content: string): Promise<string> {
  const page = await user.get(`/messages/${giveawayId}`);
  expect(page.status).toBe(200);
  const id = inputValue(page.text, "id");
  const sent = await user.post(`/messages/${giveawayId}`, { id, content });
  expect(sent.status).toBe(303);
  return id;
}

/** Polls a page (vitest's vi.waitFor) until `holds`, the read models follow the store a moment later; then the last answer, for the caller's assertions. */
export async function eventually<T>(read: () => Promise<T>, holds: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  let last: T | undefined;
  return vi
    .waitFor(
      async () => {
        last = await read();
        if (!holds(last)) throw new Error("not yet");
        return last;
      },
      { timeout: timeoutMs, interval: 20 },
    )
    .catch(() => last as T);
}
