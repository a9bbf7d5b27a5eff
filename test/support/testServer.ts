// A real handoff server on an ephemeral loopback port, over a fresh data dir.
import { loadConfig, type Config } from "../../src/config.ts";
import type { HandoffOverrides } from "../../src/app/handoff.ts";
import { startServer, type RunningServer } from "../../src/server.ts";
import { makeTempDir } from "./tempDir.ts";

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Stops the server but keeps the data dir (to start again over the same store). */
  stop(): Promise<void>;
  /** Stops the server and removes the data dir. */
  close(): Promise<void>;
}

/**
 * The abuse limits are off unless a test turns them on (`env: { RATE_LIMITS: "on" }`): every test
 * signs up its people from one loopback address, which soon passes 10 registrations an hour. The
 * limits are tested on their own (test/http/abuseLimits.test.ts and the tests beside it).
 */
export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, JWT_SECRET: "test-secret-test-secret-0123456789", STORE_DURABILITY: "normal", PASSWORD_SCRYPT_N: "1024", RATE_LIMITS: "off", ...env });
}

export async function startTestServer(options: { dataDir?: string; env?: Record<string, string>; overrides?: HandoffOverrides } = {}): Promise<TestServer> {
  const dir = options.dataDir ? undefined : makeTempDir("server");
  const dataDir = options.dataDir ?? dir!.path;
  const running = await startServer(testConfig(dataDir, options.env), options.overrides);
  return {
    ...running,
    dataDir,
    stop: () => running.close(),
    async close() {
      await running.close();
      dir?.remove();
    },
  };
}
