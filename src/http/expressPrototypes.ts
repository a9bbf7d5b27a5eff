// The request and response classes the HTTP server builds, already express's: express otherwise
// swaps the prototype of each request and response node:http built (Object.setPrototypeOf in
// app.handle), and V8 answers that swap with new hidden classes for objects already shaped. Measured
// (express 5, one middleware that ends the response, 16 keep-alive clients): 6.5 KB of every request
// outlived the young generation and ~11 % of the time went to scavenges; with these classes 15 bytes,
// and about twice the requests per second (docs/profiles/write-path.md, sixth pass).
import { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Express } from "express";

export interface ServerClasses {
  IncomingMessage: typeof IncomingMessage;
  ServerResponse: typeof ServerResponse;
}

/**
 * Classes whose instances have `app.request` and `app.response` as their prototypes from the start.
 * The app's prototypes become these classes' (inheriting what express put there), so express's
 * per-request `setPrototypeOf` finds the prototype already in place and V8 does nothing.
 */
export function expressServerClasses(app: Express): ServerClasses {
  class AppRequest extends IncomingMessage {}
  Object.setPrototypeOf(AppRequest.prototype, app.request);
  app.request = AppRequest.prototype as unknown as Express["request"];

  class AppResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {}
  Object.setPrototypeOf(AppResponse.prototype, app.response);
  app.response = AppResponse.prototype as unknown as Express["response"];

  sizeForNodeFieldsOnly(AppRequest, AppResponse);
  return { IncomingMessage: AppRequest, ServerResponse: AppResponse };
}

/**
 * V8 sizes a class's objects by what its first few instances came to hold (in-object slack tracking).
 * Were those the first requests express handled, every later request and response, an idle stream's
 * included (the streams never reach express), would carry room for express's fields: 96 bytes per
 * stream, measured (bench/profile/streamHeap.ts). A few made here first, holding node:http's own
 * fields only, size them for those; express's go to a property store on the objects that get them.
 */
function sizeForNodeFieldsOnly(Request: typeof IncomingMessage, Response: typeof ServerResponse): void {
  for (let made = 0; made < 8; made++) new Response(new Request(null as unknown as Socket));
}
