// The compose file runs a current long-term-support EventStoreDB (KurrentDB) no older than the adapter
// needs, with a healthcheck the image can run; the docs state the same minimum the code enforces.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { minimumServerVersion } from "../../src/eventstore/esdbEvents.ts";

const compose = readFileSync("docker-compose.yml", "utf8");
const docs = readFileSync("docs/eventstoredb.md", "utf8");
const service = (name: string) => compose.match(new RegExp(`\\n  ${name}:\\n((?:    .*\\n|\\s*\\n)*)`))?.[1] ?? "";
const version = (text: string) => text.split(".").map(Number) as [number, number];
const atLeast = (a: [number, number], b: [number, number]) => a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);

describe("the EventStoreDB deployment", () => {
  it("runs KurrentDB 26.0 (the long-term-support line) or later, with its own data paths and a curl healthcheck", () => {
    const eventstore = service("eventstore");
    const image = eventstore.match(/image: kurrentplatform\/kurrentdb:(\d+\.\d+)/)?.[1];
    expect(image).toBeDefined();
    expect(atLeast(version(image!), [26, 0])).toBe(true);
    expect(atLeast(version(image!), version(minimumServerVersion))).toBe(true);
    expect(eventstore).toContain("/var/lib/kurrentdb");
    expect(eventstore).toMatch(/KURRENTDB_INSECURE/);
    expect(eventstore).toMatch(/test: \["CMD-SHELL", "curl -fsS http:\/\/localhost:2113\/health\/live/);
    expect(service("app")).toMatch(/condition: service_healthy/);
  });

  it("documents the minimum server version the code enforces", () => {
    expect(docs).toContain(`EventStoreDB ${minimumServerVersion} or later`);
    expect(docs).not.toMatch(/22\.6/);
  });
});
