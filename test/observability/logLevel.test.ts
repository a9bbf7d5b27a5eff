// LOG_LEVEL is part of the checked configuration: pino's levels, "info" unless set, anything else refused.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

describe("LOG_LEVEL", () => {
  it("defaults to info and takes any of pino's levels", () => {
    expect(loadConfig({}).logLevel).toBe("info");
    for (const level of ["fatal", "error", "warn", "info", "debug", "trace", "silent"]) expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it("refuses a level pino does not know, naming the variable", () => {
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });
});
