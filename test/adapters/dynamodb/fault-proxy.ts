/**
 * An HTTP proxy in front of DynamoDB Local that can inject the faults the real service produces and
 * DynamoDB Local never does: throttling, transaction conflicts, unprocessed batch keys, answers lost
 * on the way back, requests that hang. Requests it does not interfere with reach the real engine, so
 * the adapters are still tested against DynamoDB's behaviour, not against a mock of it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ProxiedRequest {
  /** The DynamoDB operation, e.g. "PutItem" (from X-Amz-Target). */
  readonly operation: string;
  /** The request's JSON body. */
  readonly body: Record<string, unknown>;
  /** 1 for the first request of this operation through the proxy, 2 for the second… */
  readonly count: number;
}

export type ProxyAction =
  /** Pass the request on and its answer back. */
  | { readonly kind: "forward" }
  /** Pass the request on (so DynamoDB does the work) and cut the connection instead of answering. */
  | { readonly kind: "lose-answer" }
  /** Answer with a DynamoDB error of this type, as the service would. */
  | { readonly kind: "error"; readonly type: string; readonly status?: number; readonly extra?: Record<string, unknown> }
  /** Pass the request on and rewrite the JSON answer. */
  | { readonly kind: "rewrite"; readonly rewrite: (answer: Record<string, unknown>) => Record<string, unknown> }
  /** Never answer. */
  | { readonly kind: "hang" };

export interface FaultProxy {
  readonly endpoint: string;
  /** Requests seen so far, per operation. */
  readonly counts: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, decide: (request: ProxiedRequest) => ProxyAction): Promise<FaultProxy> {
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const operation = String(request.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    const count = (counts.get(operation) ?? 0) + 1;
    counts.set(operation, count);
    const action = decide({ operation, body: JSON.parse(raw.toString("utf8")) as Record<string, unknown>, count });

    if (action.kind === "hang") return;
    if (action.kind === "error") {
      const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${action.type}`, message: `injected ${action.type}`, ...action.extra });
      response.writeHead(action.status ?? 400, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "fault-proxy" }).end(body);
      return;
    }

    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string" && !["host", "connection", "content-length"].includes(name)) headers.set(name, value);
    }
    const answer = await fetch(target, { method: "POST", headers, body: raw });
    let text = await answer.text();
    if (action.kind === "lose-answer") {
      // DynamoDB has done the work; the client sees a connection reset and, being the SDK, retries.
      response.socket?.destroy();
      return;
    }
    if (action.kind === "rewrite" && answer.ok) text = JSON.stringify(action.rewrite(JSON.parse(text) as Record<string, unknown>));
    // No x-amz-crc32: a rewritten body would not match it.
    response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/x-amz-json-1.0" }).end(text);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
