/**
 * Local stand-ins on 127.0.0.1 for the HTTP services the operations scripts call, held to their
 * published contracts: an S3 bucket (path-style PutObject, GetObject, DeleteObject and
 * ListObjectsV2, every request signed with AWS Signature Version 4 and rejected when the signature
 * does not match; docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html) and a
 * Discord webhook (JSON body with `content` of at most 2000 characters;
 * discord.com/developers/docs/resources/webhook#execute-webhook).
 */
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();
/** RFC 3986 encoding as SigV4 canonicalizes query parameters. */
const uriEncode = (value: string): string => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const body = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`);
    });
  });

const s3Error = (response: ServerResponse, status: number, code: string, message: string): void => {
  response.writeHead(status, { "content-type": "application/xml" });
  response.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
};

/** One bucket behind SigV4 with one key pair. */
export class S3StandIn {
  readonly objects = new Map<string, Buffer>();
  /** `METHOD path?query` of every request that passed authentication. */
  readonly requests: string[] = [];
  endpoint = "";
  private readonly server = createServer((request, response) => {
    body(request).then((payload) => this.handle(request, payload, response));
  });

  constructor(
    readonly bucket: string,
    readonly region: string,
    readonly accessKey: string,
    private readonly secretKey: string,
  ) {}

  async start(): Promise<void> {
    this.endpoint = await listen(this.server);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Why the request's signature is not valid, or undefined when it is. */
  private signatureProblem(request: IncomingMessage, url: URL, payload: Buffer): string | undefined {
    const authorization = request.headers.authorization ?? "";
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
    if (!match) return `malformed Authorization header ${JSON.stringify(authorization)}`;
    const [, accessKey, date, region, signedHeaders, signature] = match;
    if (accessKey !== this.accessKey) return "unknown access key";
    if (region !== this.region) return `wrong region ${region}`;
    const amzDate = String(request.headers["x-amz-date"] ?? "");
    if (!amzDate.startsWith(date)) return "x-amz-date does not match the credential's date";
    const headerNames = signedHeaders.split(";");
    if (!headerNames.includes("host") || !headerNames.includes("x-amz-date")) return "host and x-amz-date must be signed";
    const declared = request.headers["x-amz-content-sha256"];
    const payloadHash = typeof declared === "string" ? declared : sha256(payload);
    if (payloadHash !== "UNSIGNED-PAYLOAD" && payloadHash !== sha256(payload)) return "x-amz-content-sha256 does not match the body";
    const query = [...url.searchParams]
      .map(([key, value]) => `${uriEncode(key)}=${uriEncode(value)}`)
      .sort()
      .join("&");
    const headers = headerNames
      .map(
        (name) =>
          `${name}:${String(request.headers[name] ?? "")
            .trim()
            .replace(/\s+/g, " ")}\n`,
      )
      .join("");
    const canonical = [request.method, url.pathname, query, headers, signedHeaders, payloadHash].join("\n");
    const scope = `${date}/${region}/s3/aws4_request`;
    const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
    const key = ["s3", "aws4_request"].reduce((k, part) => hmac(k, part), hmac(hmac(`AWS4${this.secretKey}`, date), region));
    return createHmac("sha256", key).update(toSign).digest("hex") === signature ? undefined : "SignatureDoesNotMatch";
  }

  private handle(request: IncomingMessage, payload: Buffer, response: ServerResponse) {
    const url = new URL(request.url ?? "/", this.endpoint);
    const problem = this.signatureProblem(request, url, payload);
    if (problem) return s3Error(response, 403, "SignatureDoesNotMatch", problem);
    this.requests.push(`${request.method} ${url.pathname}${url.search}`);
    const [, bucket, ...rest] = url.pathname.split("/");
    if (bucket !== this.bucket) return s3Error(response, 404, "NoSuchBucket", bucket);
    const key = decodeURIComponent(rest.join("/"));
    if (request.method === "GET" && key === "" && url.searchParams.get("list-type") === "2") {
      const prefix = url.searchParams.get("prefix") ?? "";
      const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      response.writeHead(200, { "content-type": "application/xml" });
      response.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${this.bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${keys.length}</KeyCount>` +
          `<IsTruncated>false</IsTruncated>${keys.map((k) => `<Contents><Key>${k}</Key><Size>${this.objects.get(k)?.length}</Size></Contents>`).join("")}</ListBucketResult>`,
      );
      return;
    }
    if (key === "") return s3Error(response, 400, "InvalidRequest", "no key");
    if (request.method === "PUT") {
      this.objects.set(key, payload);
      response.writeHead(200, { etag: `"${createHash("md5").update(payload).digest("hex")}"` });
      response.end();
    } else if (request.method === "GET") {
      const object = this.objects.get(key);
      if (!object) return s3Error(response, 404, "NoSuchKey", key);
      response.writeHead(200, { "content-length": object.length });
      response.end(object);
    } else if (request.method === "DELETE") {
      this.objects.delete(key);
      response.writeHead(204);
      response.end();
    } else {
      s3Error(response, 405, "MethodNotAllowed", String(request.method));
    }
  }
}

/** A Discord webhook that records each message's content. */
export class DiscordStandIn {
  readonly messages: string[] = [];
  url = "";
  private readonly server = createServer((request, response) => {
    body(request).then((payload) => {
      const reject = (status: number, message: string) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify({ message }));
      };
      if (request.method !== "POST" || !/^\/api\/webhooks\/\d+\/[\w-]+$/.test(request.url ?? "")) return reject(404, "Unknown Webhook");
      if (!String(request.headers["content-type"]).startsWith("application/json")) return reject(400, "Cannot send an empty message");
      let content: unknown;
      try {
        content = (JSON.parse(payload.toString("utf8")) as { content?: unknown }).content;
      } catch {
        return reject(400, "The request body contains invalid JSON.");
      }
      if (typeof content !== "string" || content.length === 0 || content.length > 2000) return reject(400, "content: must be 1 to 2000 characters");
      this.messages.push(content);
      response.writeHead(204);
      response.end();
    });
  });

  async start(): Promise<void> {
    this.url = `${await listen(this.server)}/api/webhooks/1234/fake-token`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
