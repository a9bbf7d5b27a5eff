// What a reply by e-mail keeps: the new text, without the digest it quotes or the sender's signature.
import { describe, expect, it } from "vitest";
import { replyAboveMarker, replyText } from "../../src/mail/replyText.ts";

describe("reply text", () => {
  it("cuts the quoted digest below the mail program's attribution line", () => {
    const body = ["Yes, Saturday works.", "", "On Sat, 5 Dec 2026 at 10:15, handoff <reply+ab12@reply.example.invalid> wrote:", `> ${replyAboveMarker}`, "> ann wrote to you"].join("\r\n");
    expect(replyText(body)).toBe("Yes, Saturday works.");
  });

  it("cuts an attribution line the mail program wrapped in two", () => {
    expect(replyText(["See you there", "", "On Sat, 5 Dec 2026 at 10:15, handoff", "<reply+ab12@reply.example.invalid> wrote:", "> hi"].join("\n"))).toBe("See you there");
  });

  it("cuts at the digest's own marker, even without an attribution line", () => {
    expect(replyText(["Thanks!", "", replyAboveMarker, "ann wrote to you about"].join("\n"))).toBe("Thanks!");
  });

  it("drops quoted lines wherever they are and the signature below '-- '", () => {
    expect(replyText(["> Saturday at 10?", "Yes", "> Bring a lock?", "I will", "", "-- ", "Bob", "Sent from my phone"].join("\n"))).toBe("Yes\nI will");
  });

  it("keeps a line that merely mentions writing, and an Outlook header block ends it", () => {
    expect(replyText("On second thought I wrote it down\nFrom: the station")).toBe("On second thought I wrote it down\nFrom: the station");
    expect(replyText(["Fine by me", "", "From: handoff <reply+ab12@reply.example.invalid>", "Sent: Saturday", "Saturday at 10?"].join("\n"))).toBe("Fine by me");
  });

  it("German, French, Spanish and Dutch attribution lines", () => {
    for (const line of ["Am 05.12.2026 um 10:15 schrieb handoff <x@y.invalid>:", "Le sam. 5 déc. 2026 à 10:15, handoff a écrit :", "El sáb, 5 dic 2026 a las 10:15, handoff escribió:", "Op za 5 dec. 2026 om 10:15 schreef handoff:"]) {
      expect(replyText(`Ja\n\n${line}\n> hallo`)).toBe("Ja");
    }
  });
});
