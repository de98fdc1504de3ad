/**
 * A read-only JSON API client for the infrastructure adoption (Hetzner Cloud, Cloudflare): every
 * answer is checked against the shape the adoption reads, and a bad one (refused, not found, a
 * failure, not JSON, a field missing) stops it with one line naming the call and what to do.
 */
import type { z } from "zod";
import { AdoptError, type Fetch } from "./coolify-read";

export interface ApiDescription {
  /** Who answers, for the messages: "Hetzner Cloud", "Cloudflare". */
  readonly name: string;
  readonly baseUrl: string;
  readonly token: string;
  /** What to do about a refused token (401) and a token without the read permission (403). */
  readonly refused: string;
  readonly forbidden: string;
}

const shapeProblem = (error: z.ZodError): string => {
  const issue = error.issues[0];
  const where = issue.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");
  return `${where || "the answer"}: ${issue.message}`;
};

export class JsonApi {
  private readonly base: string;

  constructor(
    private readonly api: ApiDescription,
    private readonly fetchImpl: Fetch = fetch,
  ) {
    this.base = api.baseUrl.replace(/\/+$/, "");
  }

  /** The call as the messages name it: the path below the base URL, with its query. */
  private call(path: string): string {
    return `GET ${new URL(this.base).pathname.replace(/\/+$/, "")}${path}`;
  }

  private advice(status: number): string {
    if (status === 401) return this.api.refused;
    if (status === 403) return this.api.forbidden;
    if (status === 404) return `not found: check the ${this.api.name} API address`;
    if (status === 429) return `${this.api.name} limits the rate of calls: wait a minute and run the command again`;
    if (status >= 500) return `${this.api.name} failed: run the command again later`;
    return "unexpected answer";
  }

  /** The JSON body of a successful GET, checked against its shape. */
  async get<T extends z.ZodType>(path: string, shape: T): Promise<z.infer<T>> {
    const call = this.call(path);
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.base}${path}`, { headers: { Authorization: `Bearer ${this.api.token}`, Accept: "application/json" } });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new AdoptError(`${call}: cannot reach ${this.api.name} (${cause}): check this machine's network`);
    }
    const body = await response.text();
    if (!response.ok) throw new AdoptError(`${call}: HTTP ${response.status}: ${this.advice(response.status)}`);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      throw new AdoptError(
        `${call}: the answer is not JSON (${JSON.stringify(body.slice(0, 60))}): check that the address is ${this.api.name}'s API, not a proxy's page`,
      );
    }
    const parsed = shape.safeParse(value);
    if (!parsed.success) {
      throw new AdoptError(`${call}: the answer lacks what the adoption needs (${shapeProblem(parsed.error)}): report it with the answer's fields`);
    }
    return parsed.data;
  }
}
