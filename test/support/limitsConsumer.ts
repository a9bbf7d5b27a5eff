// Another process spending from the shared limits: consumes `count` points of `key` and prints
// "ok" or "refused" for each, one per line.
import { openSharedLimits } from "../../src/scale/sharedLimits.ts";

const [dataDir, key, count] = process.argv.slice(2);
const limits = openSharedLimits(dataDir!);
const limiter = limits.limiter({ keyPrefix: "test", points: 5, durationSeconds: 60 });
for (let i = 0; i < Number(count); i += 1) {
  try {
    await limiter.consume(key!);
    process.stdout.write("ok\n");
  } catch {
    process.stdout.write("refused\n");
  }
}
limits.close();
