/**
 * `npm run preflight` against a local HTTP server that answers as the Hetzner Cloud API documents it,
 * in the shapes of hetznercloud/hcloud-go v2.47.0 hcloud/schema/: `ServerTypeListResponse` (server_type.go,
 * with `locations[]` `available`/`deprecation`), `LocationListResponse` (location.go), `ImageListResponse`
 * (image.go, filtered by `type`, `name` and `architecture` as hcloud/image.go `ImageListOpts` sends them),
 * `meta.pagination` (meta.go) and `ErrorResponse` (error.go) with the codes of hcloud/error.go.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { exampleConfig } from "../../config";
import type { EnvironmentConfig } from "../../config/schema";
import { HetznerApiError } from "../../tools/hetzner-api";
import { preflight } from "../../tools/preflight";
import { fileWith } from "../support/app";
import { ROOT, run } from "../support/terraform";

const TOKEN = "test-token-0123456789";
const NOW = new Date("2026-12-03T12:00:00Z");

const LOCATIONS = [
  {
    id: 1,
    name: "fsn1",
    description: "Falkenstein DC Park 1",
    country: "DE",
    city: "Falkenstein",
    latitude: 50.47612,
    longitude: 12.370071,
    network_zone: "eu-central",
  },
  {
    id: 2,
    name: "nbg1",
    description: "Nuremberg DC Park 1",
    country: "DE",
    city: "Nuremberg",
    latitude: 49.452102,
    longitude: 11.076665,
    network_zone: "eu-central",
  },
  {
    id: 3,
    name: "hel1",
    description: "Helsinki DC Park 1",
    country: "FI",
    city: "Helsinki",
    latitude: 60.169855,
    longitude: 24.938379,
    network_zone: "eu-central",
  },
];

const money = (net: string) => ({ net, gross: (Number(net) * 1.19).toFixed(10) });
interface TypeSpec {
  readonly id: number;
  readonly name: string;
  readonly cores: number;
  readonly memory: number;
  readonly architecture: "x86" | "arm";
  readonly monthly: string;
  /** Location → available now; a location left out is not offered there. */
  readonly available: Record<string, boolean>;
  readonly unavailableAfter?: string;
}
/** A server type as `GET /server_types` lists it: every field of schema.ServerType. */
const serverType = (spec: TypeSpec) => ({
  id: spec.id,
  name: spec.name,
  description: spec.name.toUpperCase(),
  category: spec.name.startsWith("ccx") ? "dedicated_cpu" : spec.name.startsWith("cpx") ? "regular_purpose" : "cost_optimized",
  cores: spec.cores,
  memory: spec.memory,
  disk: 80,
  storage_type: "local",
  cpu_type: spec.name.startsWith("ccx") ? "dedicated" : "shared",
  architecture: spec.architecture,
  included_traffic: 0,
  prices: Object.keys(spec.available).map((location) => ({
    location,
    price_hourly: money((Number(spec.monthly) / 600).toFixed(10)),
    price_monthly: money(spec.monthly),
    included_traffic: 21990232555520,
    price_per_tb_traffic: money("1.0000000000"),
  })),
  deprecated: false,
  deprecation: null,
  locations: Object.entries(spec.available).map(([name, available]) => ({
    id: LOCATIONS.find((l) => l.name === name)?.id ?? 0,
    name,
    recommended: available,
    available,
    deprecation: spec.unavailableAfter ? { announced: "2025-10-16T06:00:00Z", unavailable_after: spec.unavailableAfter } : null,
  })),
});

const EU = (available: boolean) => ({ fsn1: available, nbg1: available, hel1: available });
/** What the API answered in July 2026 (jikig-ai/soleur#6482): no CX or CAX type orderable in the EU, CPX and CCX are. */
const TYPES: TypeSpec[] = [
  { id: 108, name: "cx33", cores: 4, memory: 8, architecture: "x86", monthly: "8.4900000000", available: EU(false) },
  { id: 45, name: "cax11", cores: 2, memory: 4, architecture: "arm", monthly: "5.9900000000", available: EU(false) },
  { id: 22, name: "cx32", cores: 4, memory: 8, architecture: "x86", monthly: "6.4900000000", available: EU(true), unavailableAfter: "2025-12-31T23:59:59Z" },
  { id: 114, name: "cpx22", cores: 2, memory: 4, architecture: "x86", monthly: "19.4900000000", available: EU(true) },
  { id: 115, name: "cpx32", cores: 4, memory: 8, architecture: "x86", monthly: "35.4900000000", available: EU(true) },
  { id: 96, name: "ccx13", cores: 2, memory: 8, architecture: "x86", monthly: "42.9900000000", available: EU(true) },
  // More types than one page of 50 holds, so the client must follow meta.pagination.next_page.
  ...Array.from({ length: 50 }, (_, i) => ({
    id: 1000 + i,
    name: `ccx9${i}`,
    cores: 64,
    memory: 256,
    architecture: "x86" as const,
    monthly: "999.0000000000",
    available: EU(true),
  })),
];

const image = (id: number, name: string, architecture: string) => ({
  id,
  status: "available",
  type: "system",
  name,
  description: name,
  image_size: null,
  disk_size: 5,
  created: "2024-04-25T10:00:00Z",
  created_from: null,
  bound_to: null,
  os_flavor: name.split("-")[0],
  os_version: name.split("-")[1],
  architecture,
  rapid_deploy: true,
  protection: { delete: false },
  deprecated: null,
  deleted: null,
  labels: {},
});
const IMAGES = [image(161547269, "ubuntu-24.04", "x86"), image(161547270, "ubuntu-24.04", "arm"), image(114690387, "debian-12", "x86")];

interface World {
  types: TypeSpec[];
  locations: typeof LOCATIONS;
  images: ReturnType<typeof image>[];
  /** Answered instead of any list, e.g. a 429. */
  failure?: { status: number; body: string; headers?: Record<string, string> };
}

/** One page of a list and its `meta.pagination`, as the API pages with `page` and `per_page` (at most 50). */
const paged = (key: string, items: unknown[], query: URLSearchParams) => {
  const perPage = Math.min(Number(query.get("per_page") ?? 25), 50);
  const page = Number(query.get("page") ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  return {
    [key]: items.slice((page - 1) * perPage, page * perPage),
    meta: {
      pagination: {
        page,
        per_page: perPage,
        previous_page: page > 1 ? page - 1 : null,
        next_page: page < last ? page + 1 : null,
        last_page: last,
        total_entries: items.length,
      },
    },
  };
};

const error = (code: string, message: string) => JSON.stringify({ error: { code, message, details: {} } });

describe("preflight against a local Hetzner Cloud API", () => {
  let server: Server;
  let endpoint: string;
  let world: World;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://localhost");
      requests.push(`${request.method} ${url.pathname}${url.search}`);
      const answer = (status: number, body: string, headers: Record<string, string> = {}) => {
        response.writeHead(status, { "content-type": "application/json", ...headers });
        response.end(body);
      };
      if (request.headers.authorization !== `Bearer ${TOKEN}`) return answer(401, error("unauthorized", "unable to authenticate"));
      if (world.failure) return answer(world.failure.status, world.failure.body, world.failure.headers);
      if (request.method !== "GET") return answer(405, error("method_not_allowed", "method not allowed"));
      const query = url.searchParams;
      if (url.pathname === "/v1/server_types") return answer(200, JSON.stringify(paged("server_types", world.types.map(serverType), query)));
      if (url.pathname === "/v1/locations") return answer(200, JSON.stringify(paged("locations", world.locations, query)));
      if (url.pathname === "/v1/images") {
        const matching = world.images.filter(
          (i) =>
            query.getAll("type").every((t) => i.type === t) &&
            query.getAll("name").every((n) => i.name === n) &&
            query.getAll("architecture").every((a) => i.architecture === a),
        );
        return answer(200, JSON.stringify(paged("images", matching, query)));
      }
      return answer(404, error("not_found", "not found"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests.length = 0;
    world = { types: [...TYPES], locations: [...LOCATIONS], images: [...IMAGES] };
  });

  const environments = exampleConfig.environments as readonly EnvironmentConfig[];
  const staging = environments.find((env) => env.name === "staging") as EnvironmentConfig;
  const check = (envs: readonly EnvironmentConfig[] = environments) => preflight(envs, endpoint, TOKEN, NOW);
  const cli = (env: Record<string, string>, args: string[] = []) =>
    run(process.execPath, ["-r", "@swc-node/register", join(ROOT, "tools", "preflight.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, HCLOUD_ENDPOINT: endpoint, HCLOUD_TOKEN: TOKEN, ...env },
    });

  it("passes the example: every server's type can be ordered in its location, the location and the image exist", async () => {
    const result = await cli({});
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    expect(result.stdout.trim().split("\n")).toEqual([
      'preflight: environment "staging", server "coolify": cpx22 can be ordered in nbg1; image ubuntu-24.04 exists for x86',
      'preflight: environment "production", server "coolify": ccx13 can be ordered in fsn1; image ubuntu-24.04 exists for x86',
      'preflight: environment "production", server "worker-1": cpx22 can be ordered in fsn1; image ubuntu-24.04 exists for x86',
    ]);
    // Both pages of server types were read; the image was asked for by name, kind and architecture.
    expect(requests).toEqual(
      expect.arrayContaining([
        "GET /v1/server_types?page=1&per_page=50",
        "GET /v1/server_types?page=2&per_page=50",
        "GET /v1/locations?page=1&per_page=50",
        "GET /v1/images?type=system&name=ubuntu-24.04&architecture=x86&page=1&per_page=50",
      ]),
    );
  });

  it("fails with one line naming the environment, the server and a type that can be ordered there", async () => {
    world.types = world.types.map((t) => (t.name === "cpx22" ? { ...t, available: { ...t.available, nbg1: false } } : t));
    const result = await cli({}, ["--environment", "staging"]);
    expect(result.code).toBe(1);
    // The cheapest x86 type with at least cpx22's 2 vCPU and 4 GB that nbg1 still sells.
    const line =
      'preflight: environment "staging", server "coolify": cpx22 cannot be ordered in nbg1 now; cpx32 can (4 vCPU, 8 GB, €35.49/month net for a new order)';
    expect(result.stderr).toBe(`${line}\n`);
    // docs/cost.md shows this very line.
    expect(readFileSync(join(ROOT, "docs", "cost.md"), "utf8")).toContain(`\n${line}\n`);
  });

  it("treats a type past its deprecation date in that location, or not offered there, as not orderable", async () => {
    const cx32 = { ...staging, hetzner: { ...staging.hetzner, serverType: "cx32" } } as EnvironmentConfig;
    expect((await check([cx32])).problems).toEqual([
      'environment "staging", server "coolify": cx32 cannot be ordered in nbg1 now; cpx32 can (4 vCPU, 8 GB, €35.49/month net for a new order)',
    ]);
    const cax = { ...staging, hetzner: { ...staging.hetzner, serverType: "cax11" } } as EnvironmentConfig;
    // No Arm type is orderable there: the cheapest orderable type of any architecture.
    expect((await check([cax])).problems).toEqual([
      'environment "staging", server "coolify": cax11 cannot be ordered in nbg1 now; cpx22 can (2 vCPU, 4 GB, €19.49/month net for a new order)',
    ]);
  });

  it("names a server type the API does not know, and one that can be ordered instead", async () => {
    world.types = world.types.filter((t) => t.name !== "cpx22");
    expect((await check([staging])).problems).toEqual([
      'environment "staging", server "coolify": server type "cpx22" does not exist at Hetzner now; in nbg1 cpx32 can (4 vCPU, 8 GB, €35.49/month net for a new order)',
    ]);
  });

  it("names a location the API does not know", async () => {
    world.locations = world.locations.filter((l) => l.name !== "nbg1");
    expect(await check([staging])).toEqual({
      ok: [],
      problems: ['environment "staging": hetzner.location "nbg1" does not exist at Hetzner now (it has: fsn1, hel1)'],
    });
  });

  it("names an image the API does not offer for the server's architecture", async () => {
    world.images = world.images.filter((i) => !(i.name === "ubuntu-24.04" && i.architecture === "x86"));
    expect((await check([staging])).problems).toEqual([
      'environment "staging", server "coolify": hetzner.image "ubuntu-24.04" does not exist at Hetzner for x86 (cpx22) now',
    ]);
  });

  it("stops on 401 with one line saying the token was rejected", async () => {
    await expect(preflight([staging], endpoint, "wrong", NOW)).rejects.toThrow(
      new HetznerApiError(
        "the Hetzner API rejected HCLOUD_TOKEN: 401 Unauthorized (unauthorized: unable to authenticate); use a valid API token of the project",
      ),
    );
  });

  it("stops on 429 with one line saying until when, and no stack trace", async () => {
    world.failure = {
      status: 429,
      body: error("rate_limit_exceeded", "limit of 3600 requests per hour reached"),
      headers: { "RateLimit-Limit": "3600", "RateLimit-Remaining": "0", "RateLimit-Reset": "1795000000" },
    };
    const result = await cli({});
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "preflight: the Hetzner API is rate-limiting this token: 429 Too Many Requests (rate_limit_exceeded: limit of 3600 requests per hour reached); try again later until 2026-11-18T11:06:40.000Z; nothing was checked.\n",
    );
  });

  it("stops with one line when the API cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(preflight([staging], `http://127.0.0.1:${port}/v1`, TOKEN, NOW)).rejects.toThrow(
      `could not reach the Hetzner API at http://127.0.0.1:${port}/v1/server_types?page=1&per_page=50: Error: connect ECONNREFUSED`,
    );
  });

  it("without a token says it skipped, asks nothing and succeeds", async () => {
    const result = await cli({ HCLOUD_TOKEN: "", PLATFORM_CONFIG: fileWith(JSON.stringify({ environments: [] })) });
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 0,
      stdout: "preflight: HCLOUD_TOKEN is not set: skipped; nothing was asked of Hetzner.\n",
      stderr: "",
    });
    expect(requests).toEqual([]);
  });
});
