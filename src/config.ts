// The environment, parsed and checked in one place.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { logLevels, type LogLevel } from "./observability/logger.ts";
import { compileScamPatterns, defaultScamPatterns, type ScamPattern } from "./domain/scamPatterns.ts";

// What the checks below need lives here, not in app/: the configuration depends on nothing above it.

/** scrypt's cost (src/app/passwordHash.ts hashes with it). */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP Password Storage Cheat Sheet: scrypt with N=2^17 (128 MiB), r=8, p=1. */
export const owaspScryptCost: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

/** Placeholders people paste from examples; contained anywhere, in any case, they make a secret guessable. */
const placeholders = ["changeme", "change-me", "change_me", "changethis", "replaceme", "replace-me", "secret", "password", "placeholder", "example", "default"];

/** Why `secret` is too weak to sign production tokens (NODE_ENV=production), or undefined. */
function productionSecretProblem(secret: string): string | undefined {
  if (secret.length < 32) return "must be at least 32 characters in production (e.g. openssl rand -base64 32)";
  if (new Set(secret).size < 8) return "must not be a repeated character (or a few): use a random value, e.g. openssl rand -base64 32";
  const lower = secret.toLowerCase();
  const found = placeholders.find((word) => lower.includes(word));
  if (found) return `must not contain a placeholder such as "${found}": use a random value, e.g. openssl rand -base64 32`;
  return undefined;
}

type ScamPatternsLoad = { ok: true; patterns: readonly ScamPattern[] } | { ok: false; problem: string };

/**
 * The operator's own scam patterns (SCAM_PATTERNS_FILE), read once at start: the default patterns,
 * then the file's (if one is named). A file that cannot be read or does not fit stops the start, saying why.
 */
function loadScamPatterns(file: string | undefined): ScamPatternsLoad {
  if (file === undefined) return { ok: true, patterns: defaultScamPatterns };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { ok: false, problem: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const compiled = compileScamPatterns(json);
  if (!compiled.ok) return { ok: false, problem: `${file}: ${compiled.problem}` };
  return { ok: true, patterns: [...defaultScamPatterns, ...compiled.patterns] };
}

/** "<count>/<seconds>": at most that many in any window of that many seconds. */
const rate = (fallback: string) =>
  z
    .string()
    .regex(/^\d{1,7}\/\d{1,7}$/, 'must be "<count>/<seconds>", e.g. "30/300"')
    .default(fallback)
    .transform((text) => {
      const [points, seconds] = text.split("/").map(Number) as [number, number];
      return { points: Math.max(1, points), seconds: Math.max(1, seconds) };
    });

/** A comma-separated list of origins (scheme://host[:port]), each checked, kept as origins. */
const origins = z
  .string()
  .default("")
  .transform((text, context) => {
    const list: string[] = [];
    for (const item of text.split(",").map((part) => part.trim()).filter(Boolean)) {
      const url = URL.canParse(item) ? new URL(item) : undefined;
      if (!url || !/^https?:$/.test(url.protocol) || url.origin !== item.replace(/\/$/, "")) {
        context.addIssue({ code: "custom", message: `"${item.slice(0, 100)}" is not an origin like https://platform.example` });
        return z.NEVER;
      }
      list.push(url.origin);
    }
    return list;
  });

export interface RateLimit {
  points: number;
  seconds: number;
}

/** The abuse limits (README "Abuse limits"): none of them is met by two people talking. */
export interface RateLimitsConfig {
  enabled: boolean;
  signInPerIp: RateLimit;
  /** Failed sign-ins only (src/app/abuseLimits.ts says why). */
  signInPerAccount: RateLimit;
  registerPerIp: RateLimit;
  messagesPerAccount: RateLimit;
  messagesPerIp: RateLimit;
  giveawaysPerAccount: RateLimit;
  giveawaysPerIp: RateLimit;
  streamsPerUser: number;
  /** Password hashes (sign-ins, registrations) running or waiting at once for one client IP. */
  hashesPerIp: number;
  /** Every other write a person makes to a giveaway: entries, the draw, mute, the pickup's steps. */
  actionsPerAccount: RateLimit;
  actionsPerIp: RateLimit;
  /** Calls to /api/platform per service key: the platform's backend speaks for many people at once. */
  platformPerKey: RateLimit;
}

const ConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    DATA_DIR: z.string().min(1).default("./data"),
    EVENT_STORE: z.enum(["sqlite", "esdb"]).default("sqlite"),
    EVENTSTORE_URL: z.string().startsWith("esdb", "must be an esdb:// or esdb+discover:// connection string").optional(),
    STORE_DURABILITY: z.enum(["full", "normal"]).default("full"),
    /** EventStoreDB never reached within this at start-up: stop with a clear message. */
    EVENTSTORE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
    /** No caught-up signal and no new event for this long: stop with a clear message (servers before 24.2). */
    EVENTSTORE_CATCHUP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
    JWT_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    /** "production" asks more of JWT_SECRET (productionSecretProblem); unset, the generated secret is used either way. */
    NODE_ENV: z.string().optional(),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
    SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
    SSE_MAX_QUEUED_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    WORKERS: z.union([z.literal("auto"), z.coerce.number().int().min(1).max(64)]).default(1),
    PRESENCE_REFRESH_MS: z.coerce.number().int().min(100).default(15_000),
    PICKUP_NO_SHOW_SECONDS: z.coerce.number().int().min(1).default(48 * 3600),
    PICKUP_LAST_WORDS_SECONDS: z.coerce.number().int().min(0).default(24 * 3600),
    PICKUP_REMINDER_LEAD_SECONDS: z.coerce.number().int().min(0).default(3600),
    LOG_LEVEL: z.enum(logLevels).default("info"),
    READY_MAX_LAG_EVENTS: z.coerce.number().int().min(0).default(1000),
    /** Before refusing a read the log may contradict (404, 403), catch the read models up this long at most. */
    READ_CATCH_UP_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(2000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /** A client must have sent its whole request head within this (slow headers hold a connection). */
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    /** ... and its whole request, body included (an attachment on a slow link): never a stream's life, which starts after. */
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
    /** An idle keep-alive connection is closed after this. */
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    /** Open connections per process, streams included (the memory benchmark holds 10,000 idle streams). */
    HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
    /** scrypt's N: OWASP's 2^17 by default; tests lower it to stay fast. */
    PASSWORD_SCRYPT_N: z.coerce
      .number()
      .int()
      .min(1024)
      .max(2 ** 20)
      .refine((n) => (n & (n - 1)) === 0, "must be a power of two")
      .default(owaspScryptCost.N),
    /** Password hashes that may wait while two run; past it sign-ins and registrations answer 503 busy. */
    PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).default(8),
    /** The origin browsers use (https://chat.example): cookies are Secure under https, and writes must come from it. */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Lets push endpoints and webhook URLs be http, loopback or private addresses (tests, private networks). */
    OUTBOUND_ALLOW_PRIVATE: z.enum(["true", "false"]).default("false"),
    /** Web Push's VAPID key pair (RFC 8292), base64url as `npx web-push generate-vapid-keys` prints it; unset: made once in DATA_DIR/vapid-keys.json. */
    VAPID_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9_-]{87}$/, "must be a base64url P-256 public key (87 characters)").optional(),
    VAPID_PRIVATE_KEY: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a base64url P-256 private key (43 characters)").optional(),
    /** Who runs this server, for the push services to reach: a mailto: or https: URL. */
    VAPID_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)\S+$/, "must be a mailto: or https: URL").optional(),
    /** A webhook delivery not answered (status line) within this has failed. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** The waits after each failed webhook delivery, comma-separated ms; past the last the endpoint is disabled. Default about a day (domain/webhooks.ts). */
    WEBHOOK_RETRY_DELAYS_MS: z
      .string()
      .regex(/^\d+(,\d+)*$/, "must be comma-separated whole milliseconds, e.g. 5000,300000")
      .transform((text) => text.split(",").map(Number))
      .optional(),
    /** E-mail digests and address verification go out through this SMTP server (smtp:// or smtps://, user:pass@ when it wants a login); needs PUBLIC_URL and MAIL_FROM. */
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
    /** The mails' From: an address, or a name and an address ("handoff <chat@chat.example>"). */
    MAIL_FROM: z.string().min(3).max(320).regex(/^[^\r\n]*@[^\r\n]*$/, "must be an e-mail address, or a name and <address>").optional(),
    /** A recipient who has not read new messages this long after the first of them gets one mail of them. */
    EMAIL_DIGEST_DELAY_SECONDS: z.coerce.number().int().min(0).max(30 * 24 * 3600).default(900),
    /** Replies by e-mail: the port handoff takes mail on (0: any free port), with MAIL_REPLY_DOMAIN. */
    SMTP_INBOUND_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** The domain of the reply addresses (reply+<token>@MAIL_REPLY_DOMAIN), whose mail reaches SMTP_INBOUND_PORT. */
    MAIL_REPLY_DOMAIN: z.string().min(1).max(253).regex(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/, "must be a domain name such as reply.chat.example").optional(),
    /** Behind one reverse proxy: trust X-Forwarded-Proto/-For from it (client IPs for limits, https for cookies). */
    TRUST_PROXY: z.enum(["true", "false"]).default("false"),
    EDIT_WINDOW_SECONDS: z.coerce.number().int().min(0).default(15 * 60),
    ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
    RATE_LIMITS: z.enum(["on", "off"]).default("on"),
    RATE_LIMIT_SIGNIN_PER_IP: rate("30/300"),
    RATE_LIMIT_SIGNIN_PER_ACCOUNT: rate("10/300"),
    RATE_LIMIT_REGISTER_PER_IP: rate("10/3600"),
    RATE_LIMIT_MESSAGES_PER_ACCOUNT: rate("30/10"),
    RATE_LIMIT_MESSAGES_PER_IP: rate("60/10"),
    RATE_LIMIT_GIVEAWAYS_PER_ACCOUNT: rate("10/60"),
    RATE_LIMIT_GIVEAWAYS_PER_IP: rate("20/60"),
    RATE_LIMIT_STREAMS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
    RATE_LIMIT_HASHES_PER_IP: z.coerce.number().int().min(1).max(1000).default(4),
    RATE_LIMIT_ACTIONS_PER_ACCOUNT: rate("30/60"),
    RATE_LIMIT_ACTIONS_PER_IP: rate("60/60"),
    RATE_LIMIT_PLATFORM_PER_KEY: rate("600/60"),
    /** Which sign-ins exist; unset: "local" without platform settings, "both" with them. */
    AUTH_MODE: z.enum(["local", "platform", "both"]).optional(),
    /** The platform's keys: a JWKS URL, or one PEM public key. */
    PLATFORM_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    PLATFORM_PUBLIC_KEY: z.string().includes("-----BEGIN PUBLIC KEY-----", { message: "must be a PEM public key (-----BEGIN PUBLIC KEY-----)" }).optional(),
    PLATFORM_ISSUER: z.string().min(1).refine((issuer) => issuer !== "handoff", "must not be handoff's own issuer").optional(),
    PLATFORM_AUDIENCE: z.string().min(1).optional(),
    /** How long a JWKS fetch may take before it counts as failed. */
    PLATFORM_JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    /** Origins whose pictures (a token's `picture`) the pages may show; any other picture shows initials. */
    PLATFORM_IMAGE_ORIGINS: origins,
    /** Origins that may frame /embed pages (Content-Security-Policy frame-ancestors). */
    EMBED_ORIGINS: origins,
    /** A JSON array of {pattern, flags?, language?, warning?} added to the default scam patterns (src/domain/scamPatterns.ts). */
    SCAM_PATTERNS_FILE: z
      .string()
      .min(1)
      .optional()
      .transform((file, context) => {
        const loaded = loadScamPatterns(file);
        if (loaded.ok) return loaded.patterns;
        context.addIssue({ code: "custom", message: loaded.problem });
        return z.NEVER;
      }),
  })
  .refine((config) => config.EVENT_STORE !== "esdb" || config.EVENTSTORE_URL, {
    message: "EVENTSTORE_URL is required when EVENT_STORE=esdb",
    path: ["EVENTSTORE_URL"],
  })
  .refine((config) => config.HTTP_HEADERS_TIMEOUT_MS <= config.HTTP_REQUEST_TIMEOUT_MS, {
    message: "must not be longer than HTTP_REQUEST_TIMEOUT_MS (the head is part of the request)",
    path: ["HTTP_HEADERS_TIMEOUT_MS"],
  })
  .refine((config) => (config.VAPID_PUBLIC_KEY === undefined) === (config.VAPID_PRIVATE_KEY === undefined), {
    message: "VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY come together (or neither: a pair is made once in DATA_DIR)",
    path: ["VAPID_PRIVATE_KEY"],
  })
  .superRefine((config, context) => {
    const weakSecret = config.NODE_ENV === "production" && config.JWT_SECRET !== undefined ? productionSecretProblem(config.JWT_SECRET) : undefined;
    if (weakSecret) context.addIssue({ code: "custom", message: weakSecret, path: ["JWT_SECRET"] });
    const problem = platformSettingsProblem(config);
    if (problem) context.addIssue({ code: "custom", message: problem, path: [problem.split(" ")[0]!] });
    for (const mailProblem of mailSettingsProblems(config)) context.addIssue({ code: "custom", message: mailProblem.message, path: [mailProblem.variable] });
  });

/** The mails' links need PUBLIC_URL and their From MAIL_FROM; replies need a port and a domain together. */
function mailSettingsProblems(config: Partial<Record<"SMTP_URL" | "MAIL_FROM" | "PUBLIC_URL" | "MAIL_REPLY_DOMAIN", string>> & { SMTP_INBOUND_PORT?: number | undefined }): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (config.SMTP_URL && !config.PUBLIC_URL) problems.push({ variable: "PUBLIC_URL", message: "is required with SMTP_URL: the mails' links (the chat, verification, unsubscribe) are made from it" });
  if (config.SMTP_URL && !config.MAIL_FROM) problems.push({ variable: "MAIL_FROM", message: "is required with SMTP_URL: the address the mails come from" });
  if ((config.SMTP_INBOUND_PORT === undefined) !== (config.MAIL_REPLY_DOMAIN === undefined)) {
    problems.push({ variable: config.MAIL_REPLY_DOMAIN === undefined ? "MAIL_REPLY_DOMAIN" : "SMTP_INBOUND_PORT", message: "SMTP_INBOUND_PORT and MAIL_REPLY_DOMAIN come together (replies by e-mail need both)" });
  }
  return problems;
}

type PlatformSettings = Partial<Record<"AUTH_MODE" | "PLATFORM_JWKS_URL" | "PLATFORM_PUBLIC_KEY" | "PLATFORM_ISSUER" | "PLATFORM_AUDIENCE", string>>;

/** The platform's sign-in needs its keys, issuer and audience together, and AUTH_MODE must agree with them. */
function platformSettingsProblem(config: PlatformSettings): string | undefined {
  const keys = config.PLATFORM_JWKS_URL ?? config.PLATFORM_PUBLIC_KEY;
  const any = keys ?? config.PLATFORM_ISSUER ?? config.PLATFORM_AUDIENCE;
  if (config.PLATFORM_JWKS_URL && config.PLATFORM_PUBLIC_KEY) return "PLATFORM_JWKS_URL and PLATFORM_PUBLIC_KEY are both set: give the platform's keys one way";
  if (config.AUTH_MODE === "local" && any) return "AUTH_MODE=local conflicts with the PLATFORM_* settings: unset them, or use AUTH_MODE=both or platform";
  if (config.AUTH_MODE !== "local" && config.AUTH_MODE !== undefined && !any) return `AUTH_MODE=${config.AUTH_MODE} needs PLATFORM_JWKS_URL (or PLATFORM_PUBLIC_KEY), PLATFORM_ISSUER and PLATFORM_AUDIENCE`;
  if (any && !keys) return "PLATFORM_JWKS_URL (or PLATFORM_PUBLIC_KEY) is required with the other PLATFORM_* settings";
  if (any && !config.PLATFORM_ISSUER) return "PLATFORM_ISSUER is required with the other PLATFORM_* settings";
  if (any && !config.PLATFORM_AUDIENCE) return "PLATFORM_AUDIENCE is required with the other PLATFORM_* settings";
  return undefined;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  eventStore:
    | { kind: "sqlite"; durability: "full" | "normal" }
    | { kind: "esdb"; url: string; connectTimeoutMs: number; catchUpIdleTimeoutMs: number };
  /** Undefined: a random secret is made once in the data dir. */
  jwtSecret: string | undefined;
  tokenTtlSeconds: number;
  sseHeartbeatMs: number;
  /** A stream client whose unsent frames pass this is dropped; it resumes by its last event id. */
  sseMaxQueuedBytes: number;
  /** Server processes on one port (node:cluster); "auto": one per core. */
  workers: number | "auto";
  /** How often a process renews its users' presence for the others; an announcement lasts three of these. */
  presenceRefreshMs: number;
  /** The JSON log's level (pino): fatal, error, warn, info, debug, trace or silent. */
  logLevel: LogLevel;
  pickup: PickupConfig;
  /** /readyz answers 503 while a projection trails the log by more events than this. */
  readyMaxLagEvents: number;
  /** A refusal read from the read models first catches them up to the log's head, this long at most; past it, 503 read_model_lagging. */
  readCatchUpTimeoutMs: number;
  /** On SIGTERM/SIGINT: how long in-flight requests and projections get before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** node:http's bounds on a connection (src/server.ts). */
  http: HttpLimitsConfig;
  passwordCost: ScryptCost;
  /** Password hashes that may wait for a running one (src/app/passwordHash.ts). */
  passwordHashQueue: number;
  /** The public origin (scheme://host[:port]), when configured. */
  publicOrigin: string | undefined;
  trustProxy: boolean;
  /** Outgoing calls (Web Push, webhooks) may go to http, loopback and private addresses (src/outbound/). */
  outboundAllowPrivate: boolean;
  /** Web Push (src/push/). */
  push: PushConfig;
  /** Webhook deliveries: the answer's deadline and the waits between attempts (undefined: the default schedule). */
  webhooks: { timeoutMs: number; retryDelaysMs: readonly number[] | undefined };
  /** E-mail digests, verification and replies by e-mail (src/mail/). */
  mail: MailConfig;
  /** How long after sending a message its sender may edit or retract it. */
  editWindowMs: number;
  /** The largest attachment accepted, in bytes. */
  attachmentMaxBytes: number;
  rateLimits: RateLimitsConfig;
  /** "local": handoff's own accounts only; "platform": the platform's sign-in only; "both". */
  authMode: "local" | "platform" | "both";
  /** The platform whose signed tokens handoff accepts; undefined in "local" mode. */
  platform: PlatformConfig | undefined;
  /** Origins that may frame the /embed pages. */
  embedOrigins: string[];
  /** The scam warnings' patterns: the defaults and SCAM_PATTERNS_FILE's, compiled once. */
  scamPatterns: readonly ScamPattern[];
}

export interface HttpLimitsConfig {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export interface PlatformConfig {
  keys: { kind: "jwks"; url: string; timeoutMs: number } | { kind: "pem"; pem: string };
  issuer: string;
  audience: string;
  /** Origins of pictures the pages may show. */
  imageOrigins: string[];
}

export interface PushConfig {
  /** VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY; undefined: a pair made once in the data dir (src/push/vapidKeys.ts). */
  vapidKeys: { publicKey: string; privateKey: string } | undefined;
  /** VAPID_SUBJECT; undefined: PUBLIC_URL when it is https, else a mailto: placeholder. */
  subject: string | undefined;
}

export interface MailConfig {
  /** SMTP_URL with MAIL_FROM and PUBLIC_URL: digests and verification mails go out; undefined: none do. */
  outbound: { smtpUrl: string; from: string; publicOrigin: string } | undefined;
  digestDelayMs: number;
  /** SMTP_INBOUND_PORT with MAIL_REPLY_DOMAIN: handoff takes replies by e-mail. */
  inbound: { port: number; replyDomain: string } | undefined;
}

export interface PickupConfig {
  /** A winner silent this long after their draw may be replaced by a redraw. */
  noShowAfterMs: number;
  /** How long a completed or cancelled conversation still takes messages. */
  lastWordsMs: number;
  /** How long before the agreed window both are reminded. */
  reminderLeadMs: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    eventStore:
      e.EVENT_STORE === "esdb"
        ? { kind: "esdb", url: e.EVENTSTORE_URL!, connectTimeoutMs: e.EVENTSTORE_CONNECT_TIMEOUT_MS, catchUpIdleTimeoutMs: e.EVENTSTORE_CATCHUP_IDLE_TIMEOUT_MS }
        : { kind: "sqlite", durability: e.STORE_DURABILITY },
    jwtSecret: e.JWT_SECRET,
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    sseHeartbeatMs: e.SSE_HEARTBEAT_MS,
    sseMaxQueuedBytes: e.SSE_MAX_QUEUED_BYTES,
    workers: e.WORKERS,
    presenceRefreshMs: e.PRESENCE_REFRESH_MS,
    pickup: {
      noShowAfterMs: e.PICKUP_NO_SHOW_SECONDS * 1000,
      lastWordsMs: e.PICKUP_LAST_WORDS_SECONDS * 1000,
      reminderLeadMs: e.PICKUP_REMINDER_LEAD_SECONDS * 1000,
    },
    logLevel: e.LOG_LEVEL,
    readyMaxLagEvents: e.READY_MAX_LAG_EVENTS,
    readCatchUpTimeoutMs: e.READ_CATCH_UP_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
    },
    passwordCost: { ...owaspScryptCost, N: e.PASSWORD_SCRYPT_N },
    passwordHashQueue: e.PASSWORD_HASH_QUEUE,
    publicOrigin: e.PUBLIC_URL === undefined ? undefined : new URL(e.PUBLIC_URL).origin,
    trustProxy: e.TRUST_PROXY === "true",
    outboundAllowPrivate: e.OUTBOUND_ALLOW_PRIVATE === "true",
    push: {
      vapidKeys: e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY } : undefined,
      subject: e.VAPID_SUBJECT,
    },
    webhooks: { timeoutMs: e.WEBHOOK_TIMEOUT_MS, retryDelaysMs: e.WEBHOOK_RETRY_DELAYS_MS },
    mail: {
      outbound: e.SMTP_URL && e.MAIL_FROM && e.PUBLIC_URL ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, publicOrigin: new URL(e.PUBLIC_URL).origin } : undefined,
      digestDelayMs: e.EMAIL_DIGEST_DELAY_SECONDS * 1000,
      inbound: e.SMTP_INBOUND_PORT !== undefined && e.MAIL_REPLY_DOMAIN ? { port: e.SMTP_INBOUND_PORT, replyDomain: e.MAIL_REPLY_DOMAIN.toLowerCase() } : undefined,
    },
    editWindowMs: e.EDIT_WINDOW_SECONDS * 1000,
    attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES,
    rateLimits: {
      enabled: e.RATE_LIMITS === "on",
      signInPerIp: e.RATE_LIMIT_SIGNIN_PER_IP,
      signInPerAccount: e.RATE_LIMIT_SIGNIN_PER_ACCOUNT,
      registerPerIp: e.RATE_LIMIT_REGISTER_PER_IP,
      messagesPerAccount: e.RATE_LIMIT_MESSAGES_PER_ACCOUNT,
      messagesPerIp: e.RATE_LIMIT_MESSAGES_PER_IP,
      giveawaysPerAccount: e.RATE_LIMIT_GIVEAWAYS_PER_ACCOUNT,
      giveawaysPerIp: e.RATE_LIMIT_GIVEAWAYS_PER_IP,
      streamsPerUser: e.RATE_LIMIT_STREAMS_PER_USER,
      hashesPerIp: e.RATE_LIMIT_HASHES_PER_IP,
      actionsPerAccount: e.RATE_LIMIT_ACTIONS_PER_ACCOUNT,
      actionsPerIp: e.RATE_LIMIT_ACTIONS_PER_IP,
      platformPerKey: e.RATE_LIMIT_PLATFORM_PER_KEY,
    },
    authMode: e.AUTH_MODE ?? (e.PLATFORM_ISSUER ? "both" : "local"),
    platform: e.PLATFORM_ISSUER
      ? {
          keys: e.PLATFORM_JWKS_URL ? { kind: "jwks", url: e.PLATFORM_JWKS_URL, timeoutMs: e.PLATFORM_JWKS_TIMEOUT_MS } : { kind: "pem", pem: e.PLATFORM_PUBLIC_KEY! },
          issuer: e.PLATFORM_ISSUER,
          audience: e.PLATFORM_AUDIENCE!,
          imageOrigins: e.PLATFORM_IMAGE_ORIGINS,
        }
      : undefined,
    embedOrigins: e.EMBED_ORIGINS,
    scamPatterns: e.SCAM_PATTERNS_FILE,
  };
}
