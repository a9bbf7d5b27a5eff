// A handoff server for profiling: started under `node --cpu-prof`, it prints its URL and exits cleanly
// on SIGINT (so the profile is written).
import { loadConfig } from "../../src/config.ts";
import { startServer } from "../../src/server.ts";

const dataDir = process.argv[2]!;
const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, JWT_SECRET: "profile-secret-profile-secret-0123", STORE_DURABILITY: "full" });
const running = await startServer(config);
process.stdout.write(`${running.url}\n`);
process.once("SIGINT", () => {
  void running.close().then(() => process.exit(0));
});
