/**
 * A read-only call to the Hetzner Cloud API, shared by `npm run prices` and `npm run preflight`: every
 * failure becomes one HetznerApiError that says what happened and what to do.
 *
 * Errors are `{ "error": { "code", "message", "details" } }` (hetznercloud/hcloud-go v2.47.0
 * hcloud/schema/error.go `ErrorResponse`), with codes such as `unauthorized` and `rate_limit_exceeded`
 * (hcloud/error.go); a rate-limited answer carries `RateLimit-Reset`, a Unix time (hcloud/client.go
 * `Ratelimit`). `HCLOUD_ENDPOINT` overrides the base URL, as it does for the hcloud CLI and Terraform provider.
 */
import { z } from "zod";

export const DEFAULT_ENDPOINT = "https://api.hetzner.cloud/v1";

export class HetznerApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HetznerApiError";
  }
}

const apiError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * `GET <endpoint><path>` with the token, parsed with `shape`. `api` names the API in messages
 * (`the Hetzner pricing API`), `document` what the answer should have been (`its pricing document`).
 */
export const hetznerGet = async <T>(endpoint: string, token: string, path: string, shape: z.ZodType<T>, api: string, document: string): Promise<T> => {
  const url = `${endpoint.replace(/\/+$/, "")}${path}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
  } catch (error) {
    throw new HetznerApiError(`could not reach ${api} at ${url}: ${(error as Error).cause ?? (error as Error).message}`);
  }
  const body = await response.text();
  if (!response.ok) {
    const detail = apiError.safeParse(safeJson(body));
    const said = detail.success ? ` (${detail.data.error.code}: ${detail.data.error.message})` : "";
    if (response.status === 401) throw new HetznerApiError(`${api} rejected HCLOUD_TOKEN: 401 Unauthorized${said}; use a valid API token of the project`);
    if (response.status === 429) {
      const reset = response.headers.get("ratelimit-reset");
      const when = reset && /^\d+$/.test(reset) ? ` until ${new Date(Number(reset) * 1000).toISOString()}` : "";
      throw new HetznerApiError(`${api} is rate-limiting this token: 429 Too Many Requests${said}; try again later${when}`);
    }
    throw new HetznerApiError(`${api} answered ${response.status} ${response.statusText}${said}`);
  }
  const parsed = shape.safeParse(safeJson(body));
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`).join("; ");
    throw new HetznerApiError(`${api} answered with something that is not ${document} (${where})`);
  }
  return parsed.data;
};
