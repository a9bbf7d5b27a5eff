// A process running one durable reactor whose effect is a line in a file (crash.test.ts starts it).
// CHILD_MODE=hang: the handler writes "started" and never finishes (the test kills the process
// there); CHILD_MODE=finish: it writes "started" and then the effect.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { startDurableReactorRunner } from "../../src/reactors/durableReactorRunner.ts";
import { reactorStateFile } from "../../src/reactors/reactorState.ts";

const dataDir = process.env.DATA_DIR!;
const effects = process.env.EFFECTS_FILE!;
const mode = process.env.CHILD_MODE;
const store = openSqliteEventStore({ file: join(dataDir, "events.db"), durability: "normal", pollIntervalMs: 20 });
const runner = startDurableReactorRunner({
  store,
  file: reactorStateFile(dataDir),
  holder: `child-${process.pid}`,
  leaseTtlMs: 600,
  reactors: [
    {
      name: "effects",
      kind: "durable",
      firstStart: "beginning",
      canHandle: ["GiveawayCreated"],
      async handle(batch, context) {
        for (const { event } of batch) {
          const title = event.type === "GiveawayCreated" ? event.data.title : "?";
          appendFileSync(effects, `started ${title} mayRepeat=${context.mayRepeat}\n`);
          if (mode === "hang") await new Promise(() => {});
          appendFileSync(effects, `effect ${title} mayRepeat=${context.mayRepeat}\n`);
        }
      },
    },
  ],
});
const ready = setInterval(() => {
  if (runner.status()[0]!.holding) {
    clearInterval(ready);
    process.stdout.write("holding\n");
  }
}, 20);
// The runner's timers do not keep a process alive (a server's listening socket does): this does.
const alive = setInterval(() => {}, 60_000);
process.on("SIGTERM", () => {
  clearInterval(alive);
  void runner.close().then(() => store.close()).then(() => process.exit(0));
});
