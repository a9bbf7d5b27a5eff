// One time format on every page: the date when it is not today, the reader's zone when their browser
// told us (the tz cookie, checked against Intl's list), else UTC and said so; the browser's script
// writes the same words.
import { describe, expect, it } from "vitest";
import { readableTime, viewerTimeZone } from "../../src/http/pages/readableTime.ts";

const now = new Date("2026-12-06T12:00:00Z"); // a Sunday

describe("readable times", () => {
  it("says Today and the clock for today, the weekday and date otherwise, the year only when it is not this one", () => {
    expect(readableTime("2026-12-06T09:05:00Z", "UTC", now)).toBe("Today 09:05");
    expect(readableTime("2026-12-05T15:28:00Z", "UTC", now)).toBe("Sat 5 Dec, 15:28");
    expect(readableTime("2026-09-01T08:00:00Z", "UTC", now)).toBe("Tue 1 Sep, 08:00");
    expect(readableTime("2025-12-31T23:59:00Z", "UTC", now)).toBe("Wed 31 Dec 2025, 23:59");
  });

  it("reads the day and the clock in the reader's zone, and says UTC when the zone is not known", () => {
    // 23:30 UTC on the 5th is already the 6th in Berlin: today there, yesterday in UTC.
    expect(readableTime("2026-12-05T23:30:00Z", "Europe/Berlin", now)).toBe("Today 00:30");
    expect(readableTime("2026-12-05T23:30:00Z", undefined, now)).toBe("Sat 5 Dec, 23:30 UTC");
    expect(readableTime("2026-12-06T12:00:00Z", "America/Los_Angeles", now)).toBe("Today 04:00");
    expect(readableTime("2026-12-06T06:00:00Z", "America/Los_Angeles", now)).toBe("Sat 5 Dec, 22:00");
  });

  it("leaves what is not a time as it came", () => {
    expect(readableTime("not a time", "UTC", now)).toBe("not a time");
  });

  it("takes the zone from the tz cookie only when Intl knows it", () => {
    expect(viewerTimeZone("tz=Europe%2FBerlin")).toBe("Europe/Berlin");
    expect(viewerTimeZone("handoff_session=abc; tz=America/Los_Angeles")).toBe("America/Los_Angeles");
    expect(viewerTimeZone("tz=UTC")).toBe("UTC");
    for (const header of [undefined, "", "tz=", "tz=Mars%2FOlympus", "tz=Europe/Berlin\"", "tz=%E0%A4%A", "tz=" + "A".repeat(5000), "tz=../../etc/passwd", "other=1"]) {
      expect(viewerTimeZone(header), String(header).slice(0, 40)).toBeUndefined();
    }
  });

  it("the browser's script (public/times.js) writes the same words as the server, in the reader's zone", async () => {
    const times = await import(new URL("../../public/times.js", import.meta.url).href);
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const instants = ["2026-12-06T09:05:00Z", "2026-12-04T18:41:00Z", "2026-03-29T01:30:00Z", "2025-07-14T23:59:00Z"];
    for (const iso of instants) expect(times.readableTime(new Date(iso), now), iso).toBe(readableTime(iso, zone, now));
  });
});
