// Puts accounts and drawn giveaways into a running handoff through its own API (the path is not
// timed; it only has to be the real one): register, sign in, create, enter, draw.
import { randomBytes } from "node:crypto";
import { keepAliveAgent, postJson } from "../lib/httpPost.ts";

export const benchPassword = "bench-password-1";

export interface BenchUser {
  id: string;
  username: string;
  token: string;
}

export interface BenchConversation {
  giveawayId: string;
  giver: BenchUser;
  winner: BenchUser;
}

const agent = keepAliveAgent(16);

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const result = await postJson(agent, url, token ? { Authorization: `Bearer ${token}` } : {}, body);
  if (result.status < 200 || result.status >= 300) throw new Error(`POST ${url}: ${result.status} ${result.body.slice(0, 300)}`);
  return JSON.parse(result.body) as T;
}

export async function signIn(baseUrl: string, username: string, password = benchPassword): Promise<string> {
  return (await post<{ token: string }>(`${baseUrl}/api/tokens`, { username, password })).token;
}

/** `count` new accounts with tokens; registration hashes passwords (scrypt), so a few at a time. */
export async function createUsers(baseUrl: string, count: number): Promise<BenchUser[]> {
  const run = randomBytes(3).toString("hex");
  const users: BenchUser[] = [];
  for (let start = 0; start < count; start += 8) {
    const batch = Array.from({ length: Math.min(8, count - start) }, async (_, offset) => {
      const username = `bench_${run}_${start + offset}`;
      const { id } = await post<{ id: string }>(`${baseUrl}/api/users`, { username, password: benchPassword });
      return { id, username, token: await signIn(baseUrl, username) };
    });
    users.push(...(await Promise.all(batch)));
  }
  return users;
}

/** One drawn giveaway: the giver creates it, the one entrant enters, the draw picks them. */
export async function createConversation(baseUrl: string, giver: BenchUser, winner: BenchUser): Promise<BenchConversation> {
  const { id: giveawayId } = await post<{ id: string }>(`${baseUrl}/api/giveaways`, { title: "A lamp, free to a good home" }, giver.token);
  await post(`${baseUrl}/api/giveaways/${giveawayId}/entries`, {}, winner.token);
  const { winnerId } = await post<{ winnerId: string }>(`${baseUrl}/api/giveaways/${giveawayId}/draw`, {}, giver.token);
  if (winnerId !== winner.id) throw new Error(`draw picked ${winnerId}, expected the only entrant ${winner.id}`);
  return { giveawayId, giver, winner };
}

/** `count` conversations between pairs from the user pool (user i gives, user i+1 wins). */
export async function createConversations(baseUrl: string, users: BenchUser[], count: number): Promise<BenchConversation[]> {
  const conversations: BenchConversation[] = [];
  for (let start = 0; start < count; start += 16) {
    const batch = Array.from({ length: Math.min(16, count - start) }, (_, offset) => {
      const i = start + offset;
      return createConversation(baseUrl, users[i % users.length]!, users[(i + 1) % users.length]!);
    });
    conversations.push(...(await Promise.all(batch)));
  }
  return conversations;
}

export function bearer(user: BenchUser): Record<string, string> {
  return { Authorization: `Bearer ${user.token}` };
}
