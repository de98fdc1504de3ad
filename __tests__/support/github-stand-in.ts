/**
 * A local stand-in for GitHub's REST API on 127.0.0.1, answering in the shapes GitHub documents
 * (https://docs.github.com/en/rest): JSON bodies, `{ "message": ... }` errors, 401 without a Bearer
 * token, 404 for a route it does not serve. Tests register the routes they exercise.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface StandInRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly match: RegExpMatchArray;
}

/** `raw` is sent as it is, for an answer that is not GitHub's JSON (a proxy's error page). */
export type Handler = (request: StandInRequest) => { status: number; body?: unknown; raw?: { readonly contentType: string; readonly text: string } };

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on("end", () => resolve(text));
    request.on("error", reject);
  });

export class GitHubStandIn {
  readonly requests: string[] = [];
  private readonly routes: { method: string; pattern: RegExp; handler: Handler }[] = [];
  private readonly server: Server;

  constructor(private readonly token: string) {
    this.server = createServer((request, response) => {
      void readBody(request).then((text) => {
        const url = new URL(request.url ?? "/", "http://stand-in");
        const method = request.method ?? "GET";
        this.requests.push(`${method} ${url.pathname}${url.search}`);
        const answer = (status: number, body?: unknown): void => {
          response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
          response.end(body === undefined ? "" : JSON.stringify(body));
        };
        if (request.headers.authorization !== `Bearer ${this.token}`) return answer(401, { message: "Bad credentials" });
        for (const route of this.routes) {
          const match = route.method === method ? url.pathname.match(route.pattern) : null;
          if (match) {
            const result = route.handler({ method, path: url.pathname, query: url.searchParams, body: text ? JSON.parse(text) : undefined, match });
            if (!result.raw) return answer(result.status, result.body);
            response.writeHead(result.status, { "content-type": result.raw.contentType });
            return response.end(result.raw.text);
          }
        }
        answer(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
      });
    });
  }

  on(method: string, pattern: RegExp, handler: Handler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  start(): Promise<string> {
    return new Promise((resolve) => {
      this.server.listen(0, "127.0.0.1", () => {
        const address = this.server.address();
        resolve(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`);
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
