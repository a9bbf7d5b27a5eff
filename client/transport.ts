// Every request the client makes: handoff's address, the caller's Bearer token, and fetch() failures
// turned into HandoffError(0, "network").
import { networkError } from "./handoffError.ts";

export interface TransportOptions {
  /** Where handoff answers, e.g. the platform's own origin when handoff is mounted beside it. */
  baseUrl: string;
  /** A fixed token (a handoff token or the platform's signed JWT). */
  token?: string;
  /** Asked before every request, and again after a 401: return a fresh token when the old one expired. */
  getToken?: () => string | Promise<string>;
  /** Defaults to the global fetch (browsers, Node 20). */
  fetch?: typeof fetch;
}

export class Transport {
  private readonly baseUrl: string;
  private readonly fetchFunction: typeof fetch;

  constructor(private readonly options: TransportOptions) {
    if (options.token === undefined && options.getToken === undefined) throw new TypeError("HandoffClient needs a token or getToken");
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    // Called through a closure: a browser's fetch refuses to run with another object as `this`.
    this.fetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Whether a refused token may be replaced by asking again (a getToken was given). */
  get refreshesTokens(): boolean {
    return this.options.getToken !== undefined;
  }

  /** `path` starts with `/api/`. Throws HandoffError(0) when no answer came. */
  async fetch(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
    try {
      const token = this.options.getToken ? await this.options.getToken() : this.options.token;
      return await this.fetchFunction(`${this.baseUrl}${path}`, {
        ...init,
        // Bearer only: the page's own cookies (if any) play no part in what the client is allowed.
        credentials: "omit",
        headers: { ...init.headers, Authorization: `Bearer ${token}` },
      });
    } catch (error) {
      throw networkError(error);
    }
  }
}
