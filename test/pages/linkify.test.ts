import { describe, expect, it } from "vitest";
import { linkify } from "../../src/http/pages/linkify.ts";

describe("linkify", () => {
  it("links http(s) addresses, leaving sentence punctuation outside the link", () => {
    expect(linkify("see https://example.org/a?b=1&c=2.")).toBe(
      'see <a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow ugc" target="_blank">https://example.org/a?b=1&amp;c=2</a>.',
    );
    expect(linkify("(http://x.test/p)")).toContain('href="http://x.test/p"');
  });

  it("escapes everything else and links no other scheme", () => {
    expect(linkify("<b>hi</b> javascript:alert(1) data:text/html,x")).toBe("&lt;b&gt;hi&lt;/b&gt; javascript:alert(1) data:text/html,x");
    expect(linkify('https://a.test/"><script>')).toBe('<a href="https://a.test/" rel="noopener noreferrer nofollow ugc" target="_blank">https://a.test/</a>&quot;&gt;&lt;script&gt;');
    expect(linkify("https://")).toBe("https://");
  });

  it("keeps the text exactly as written", () => {
    const text = "two: https://a.test/x and http://b.test/y!\nnext line";
    const html = linkify(text);
    expect(html.match(/<a /g)).toHaveLength(2);
    expect(html.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&")).toBe(text);
  });
});
