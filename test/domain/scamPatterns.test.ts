import { describe, expect, it } from "vitest";
import { compileScamPatterns, defaultScamPatterns, scamWarningOf, type ScamWarning } from "../../src/domain/scamPatterns.ts";

const warningOf = (text: string) => scamWarningOf(defaultScamPatterns, text);

describe("the default scam patterns", () => {
  const scams: [string, string, ScamWarning][] = [
    ["en", "pay 5 EUR delivery fee first", "delivery_fee"],
    ["en", "You won! Just cover the shipping fee and it's yours", "delivery_fee"],
    ["en", "I need a small deposit to hold it for you", "deposit"],
    ["en", "Please pay first, then I'll ship it", "payment_request"],
    ["en", "send me $20 and I'll post it", "payment_request"],
    ["en", "Can you buy an Amazon gift card and send me the code?", "gift_card"],
    ["en", "What are your card details so I can refund you?", "payment_details"],
    ["en", "Let's continue on WhatsApp", "off_platform"],
    ["en", "text me at +44 7700 900123", "off_platform"],
    ["en", "just send it via PayPal", "payment_request"],
    ["de", "Bitte zuerst die Versandkosten von 4,99 € überweisen", "delivery_fee"],
    ["de", "Ich brauche eine Anzahlung", "deposit"],
    ["de", "Kannst du mir deine Bankverbindung schicken?", "payment_details"],
    ["de", "Bitte überweise vorher 10 Euro", "payment_request"],
    ["de", "Schreib mir auf 0171 2345678", "off_platform"],
    ["fr", "Il faut payer les frais de livraison", "delivery_fee"],
    ["fr", "Un acompte de 10 € est demandé", "deposit"],
    ["fr", "Achetez une carte cadeau Google Play", "gift_card"],
    ["fr", "Merci de payer d'abord", "payment_request"],
    ["fr", "Écris-moi sur Telegram", "off_platform"],
    ["es", "Solo tienes que pagar los gastos de envío", "delivery_fee"],
    ["es", "Necesito una fianza", "deposit"],
    ["es", "Págame primero por favor", "payment_request"],
    ["es", "Mándame tus datos bancarios", "payment_details"],
    ["es", "Compra una tarjeta regalo", "gift_card"],
    ["nl", "Je moet eerst de verzendkosten betalen", "delivery_fee"],
    ["nl", "Graag een aanbetaling", "deposit"],
    ["nl", "Kun je eerst betalen via een Tikkie?", "payment_request"],
    ["nl", "Stuur me je rekeningnummer", "payment_details"],
    ["nl", "App me even op 06 12345678", "off_platform"],
  ];
  for (const [language, text, warning] of scams) {
    it(`${language}: "${text}" is ${warning}`, () => expect(warningOf(text)).toBe(warning));
  }

  const ordinary = [
    "I'll pay you a visit at 6",
    "I'll pay you a visit first thing tomorrow",
    "Is it still free?",
    "It's free, just come and pick it up",
    "Call me at 6 when you're outside",
    "Text me when you are at the door",
    "My address is Main Street 12, second floor",
    "Can you come Saturday at 10? I'll be home until 14:00",
    "The bike has a new chain and 2 spare tubes",
    "Thanks so much, see you tomorrow!",
    "Ich komme um 18 Uhr vorbei, ist das ok?",
    "Die Adresse ist Hauptstraße 5, klingel zweimal",
    "Je passe demain à 17h, ça marche ?",
    "Paso mañana a las 6, ¿te va bien?",
    "Ik kom morgen om 6 uur langs",
    "The signal is bad here, I'll be there in 5",
    "I hurt my rib, can my friend pick it up?",
  ];
  for (const text of ordinary) {
    it(`ordinary pickup talk: "${text}" raises nothing`, () => expect(warningOf(text)).toBeNull());
  }

  it("matches only the first 2000 characters", () => {
    expect(warningOf(`${"a ".repeat(1000)}pay the delivery fee`)).toBeNull();
    expect(warningOf(`pay the delivery fee ${"a ".repeat(1000)}`)).toBe("delivery_fee");
  });
});

describe("an operator's patterns", () => {
  it("are compiled with their flags and warning, case-insensitive and unicode by default", () => {
    const compiled = compileScamPatterns([{ pattern: "vorkasse", language: "de" }, { pattern: "^Ship", flags: "m", warning: "delivery_fee" }]);
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(scamWarningOf(compiled.patterns, "Nur gegen VORKASSE")).toBe("payment_request");
    expect(scamWarningOf(compiled.patterns, "ok\nShip it")).toBe("delivery_fee");
    expect(scamWarningOf(compiled.patterns, "ok\nship it")).toBeNull();
  });

  it("refuse what is not a list of patterns, with a reason", () => {
    const problem = (sources: unknown) => {
      const compiled = compileScamPatterns(sources);
      return compiled.ok ? "" : compiled.problem;
    };
    expect(problem({ pattern: "x" })).toMatch(/array/);
    expect(problem([{ pattern: "" }])).toMatch(/pattern/);
    expect(problem([{ pattern: "x", flags: "g" }])).toMatch(/flags/);
    expect(problem([{ pattern: "x", warning: "rude" }])).toMatch(/warning/);
    expect(problem([{ pattern: "x", extra: 1 }])).toMatch(/extra/);
    expect(problem([{ pattern: "(unclosed" }])).toMatch(/pattern 0 is not a valid regular expression/);
    expect(problem([{ pattern: "x".repeat(301) }])).toMatch(/at most 300/);
  });

  it("refuse a catastrophic pattern before it is ever run", () => {
    for (const pattern of ["(a+)+$", "(x*)*y", "(?:ab+){2,}"]) {
      const compiled = compileScamPatterns([{ pattern }]);
      expect(compiled.ok ? "" : compiled.problem).toMatch(/take forever/);
    }
  });
});
