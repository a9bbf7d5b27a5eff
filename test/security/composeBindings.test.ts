// The compose file's EventStoreDB has no TLS and no authentication: every port it publishes is bound
// to loopback, never to every interface (there is no Docker engine here: the text is read).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const compose = readFileSync("docker-compose.yml", "utf8");

/** The lines of one service's block (two-space indented under services:). */
function serviceBlock(name: string): string[] {
  const lines = compose.split("\n");
  const start = lines.indexOf(`  ${name}:`);
  expect(start, `service ${name} in docker-compose.yml`).toBeGreaterThan(0);
  const end = lines.findIndex((line, index) => index > start && /^ {0,2}\S/.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The entries of the service's `ports:` list, without quotes. */
function publishedPorts(name: string): string[] {
  const block = serviceBlock(name);
  const start = block.findIndex((line) => /^ {4}ports:\s*$/.test(line));
  if (start < 0) return [];
  const ports: string[] = [];
  for (const line of block.slice(start + 1)) {
    if (/^\s*#/.test(line) || line.trim() === "") continue;
    const entry = /^ {6}- (.+)$/.exec(line);
    if (!entry) break;
    ports.push(entry[1]!.replace(/\s+#.*$/, "").replace(/^["']|["']$/g, ""));
  }
  return ports;
}

describe("the compose file's event store", () => {
  it("publishes its ports on 127.0.0.1 only", () => {
    const ports = publishedPorts("eventstore");
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it("says so in docs/eventstoredb.md", () => {
    expect(readFileSync("docs/eventstoredb.md", "utf8")).toMatch(/127\.0\.0\.1/);
  });
});
