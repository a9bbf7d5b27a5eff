// A platform's own chat screen in a few lines, built on useConversation: the page the browser test
// bundles (esbuild) and opens on handoff's origin. Its address's fragment names the giveaway and token.
import { StrictMode, useState, type FormEvent } from "react";
import { createRoot } from "react-dom/client";
import { HandoffClient } from "../../client/handoffClient.ts";
import { HandoffClientContext, useConversation } from "../../client/useConversation.ts";

function Chat({ giveawayId }: { giveawayId: string }) {
  const { status, messages, pending, send } = useConversation(giveawayId);
  const [text, setText] = useState("");
  function submit(event: FormEvent) {
    event.preventDefault();
    setText("");
    // A failure stays visible in `pending`: nothing to do here.
    send(text).catch(() => undefined);
  }
  return (
    <main>
      <output id="status" data-status={status}>
        {status}
      </output>
      <ol id="messages">
        {messages.map((message) => (
          <li key={message.id} data-id={message.id} data-revision={message.revision}>
            {message.content}
          </li>
        ))}
      </ol>
      <ul id="pending">
        {pending.map((message) => (
          <li key={message.id} data-state={message.state}>
            {message.content}
          </li>
        ))}
      </ul>
      <form id="send-form" onSubmit={submit}>
        <input id="text" value={text} onChange={(event) => setText(event.target.value)} />
        <button id="send">Send</button>
      </form>
    </main>
  );
}

const settings = new URLSearchParams(location.hash.slice(1));
const client = new HandoffClient({
  baseUrl: location.origin,
  token: settings.get("token") ?? "",
  reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
  send: { attempts: 60, initialDelayMs: 100, maxDelayMs: 1000 },
});
const root = document.getElementById("root");
if (root) {
  // Strict Mode subscribes, unsubscribes and subscribes again: the stream must survive that.
  createRoot(root).render(
    <StrictMode>
      <HandoffClientContext.Provider value={client}>
        <Chat giveawayId={settings.get("giveaway") ?? ""} />
      </HandoffClientContext.Provider>
    </StrictMode>,
  );
}
