/**
 * A minimal GitHub REST client for the tools that check or change repository state from CI or an
 * admin's shell: JSON over `fetch`, a token from GH_TOKEN or GITHUB_TOKEN, the API root from
 * GITHUB_API_URL (set by GitHub Actions; https://api.github.com otherwise).
 * Headers as https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api documents.
 */
export interface GitHubResponse {
  readonly status: number;
  readonly body: unknown;
}

export type GitHubApi = (method: "GET" | "POST" | "PATCH", path: string, body?: unknown) => Promise<GitHubResponse>;

/** A failure reported as one line, without a stack trace. */
export class GitHubApiError extends Error {}

export const gitHubApi =
  (root: string, token: string): GitHubApi =>
  async (method, path, body) => {
    const call = `${method} ${path}`;
    const response = await fetch(`${root.replace(/\/$/, "")}${path}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "x-github-api-version": "2022-11-28",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((error: Error & { readonly cause?: { readonly message?: string } }) => {
      // fetch's own message is "fetch failed"; what failed (refused, not resolved, TLS) is its cause.
      throw new GitHubApiError(`${call}: ${root} could not be reached (${error.cause?.message ?? error.message})`);
    });
    const text = await response.text();
    if (!text) return { status: response.status, body: undefined };
    try {
      return { status: response.status, body: JSON.parse(text) as unknown };
    } catch {
      // A proxy or an outage page in front of the API answers HTML, not GitHub's JSON.
      throw new GitHubApiError(
        `${call} answered ${response.status} with a body that is not JSON (${response.headers.get("content-type") ?? "no content type"})`,
      );
    }
  };

/** The client for the current process: GH_TOKEN or GITHUB_TOKEN is required. */
export const gitHubApiFromEnv = (variables: NodeJS.ProcessEnv): GitHubApi => {
  const token = variables.GH_TOKEN ?? variables.GITHUB_TOKEN;
  if (!token) throw new GitHubApiError("GH_TOKEN (or GITHUB_TOKEN) is not set: the check reads the repository's settings through GitHub's REST API");
  return gitHubApi(variables.GITHUB_API_URL ?? "https://api.github.com", token);
};

/** The body of a 2xx answer; anything else is one line naming the call. */
export const expectOk = (response: GitHubResponse, call: string): unknown => {
  if (response.status >= 200 && response.status < 300) return response.body;
  const message = (response.body as { message?: string } | undefined)?.message ?? "";
  throw new GitHubApiError(`${call} answered ${response.status}${message ? `: ${message}` : ""}`);
};
