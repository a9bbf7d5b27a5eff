// Reads of $all filtered on the server by stream-name prefix. The client (6.x) always asks readAll
// for no filter, though the protocol and servers since 20.x take one: so the request is built here
// with the client's own generated protocol classes and sent over the client's own connection.
import { createRequire } from "node:module";
import type { AllStreamResolvedEvent, EventStoreDBClient, StreamingRead } from "@eventstore/db-client";

const require = createRequire(import.meta.url);

/* eslint-disable @typescript-eslint/no-explicit-any -- the generated classes ship no ESM types */
const streamsPb = require("@eventstore/db-client/generated/streams_pb.js") as any;
const sharedPb = require("@eventstore/db-client/generated/shared_pb.js") as any;
const streamsGrpc = require("@eventstore/db-client/generated/streams_grpc_pb.js") as any;
const { ReadStream } = require("@eventstore/db-client/dist/streams/utils/ReadStream.js") as any;
const { convertGrpcEvent } = require("@eventstore/db-client/dist/utils/index.js") as any;

export interface FilteredReadRequest {
  getOptions(): any;
}

/** The ReadReq for `count` events of streams named with one of `prefixes`, from `from` (inclusive) in `direction`. */
export function filteredReadAllRequest(from: bigint | "start" | "end", prefixes: string[], count: number, direction: "forwards" | "backwards" = "forwards"): FilteredReadRequest {
  const { ReadReq } = streamsPb;
  const options = new ReadReq.Options();
  const all = new ReadReq.Options.AllOptions();
  if (from === "start") all.setStart(new sharedPb.Empty());
  else if (from === "end") all.setEnd(new sharedPb.Empty());
  else {
    const position = new ReadReq.Options.Position();
    position.setCommitPosition(from.toString(10));
    position.setPreparePosition(from.toString(10));
    all.setPosition(position);
  }
  const uuid = new ReadReq.Options.UUIDOption();
  uuid.setString(new sharedPb.Empty());
  const expression = new ReadReq.Options.FilterOptions.Expression();
  expression.setPrefixList(prefixes);
  const filter = new ReadReq.Options.FilterOptions();
  filter.setStreamIdentifier(expression);
  filter.setCount(new sharedPb.Empty()); // the server's own search window
  filter.setCheckpointintervalmultiplier(1);
  options.setAll(all);
  options.setResolveLinks(false);
  options.setCount(String(count));
  options.setUuidOption(uuid);
  options.setFilter(filter);
  options.setReadDirection(direction === "forwards" ? ReadReq.Options.ReadDirection.FORWARDS : ReadReq.Options.ReadDirection.BACKWARDS);
  const request = new ReadReq();
  request.setOptions(options);
  return request;
}

/** Sends the request through the client's connection (leader or follower as the client is set up). */
export function readAllFiltered(client: EventStoreDBClient, request: FilteredReadRequest): StreamingRead<AllStreamResolvedEvent> {
  const internal = client as any;
  const createStream = internal.GRPCStreamCreator(streamsGrpc.StreamsClient, "readAll", (grpc: any) =>
    grpc.read(request, ...internal.callArguments({}, { deadline: Infinity })),
  );
  return new ReadStream(createStream, convertGrpcEvent, {}) as StreamingRead<AllStreamResolvedEvent>;
}
