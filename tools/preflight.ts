/**
 * `npm run preflight [-- --environment <name>]`: asks the Hetzner Cloud API, before anything is planned,
 * whether every configured server type can be ordered in its environment's location now, and whether
 * the location and the image exist. The catalog (catalog/hetzner.ts) says what Hetzner sold when it was
 * written; availability changes by the day and per location, which only the API knows. Each problem
 * is one line naming the environment, the server and a type that can be ordered there; the exit code
 * is 1 then. Without `HCLOUD_TOKEN` it says it skipped and exits 0. A read-only token is enough.
 *
 * API (read-only GETs; shapes from hetznercloud/hcloud-go v2.47.0 hcloud/schema/):
 * - `GET /server_types` (server_type.go `ServerTypeListResponse`): per type `cores`, `memory`,
 *   `architecture`, `prices[]` and `locations[]` with `available` and `deprecation`
 *   (`unavailable_after`), which is where the API says whether a type can be ordered in a location;
 * - `GET /locations` (location.go `LocationListResponse`);
 * - `GET /images?type=system&name=<image>&architecture=<arch>` (image.go `ImageListResponse`; the
 *   query parameters are those of hcloud/image.go `ImageListOpts.Values`);
 * - lists are paged with `page`/`per_page` and `meta.pagination.next_page` (meta.go).
 *
 * CLI: node -r @swc-node/register tools/preflight.ts [--environment <name>]
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { HETZNER_SERVER_TYPES } from "../catalog/hetzner";
import { loadConfig } from "../config";
import { ConfigError } from "../config/problems";
import { ConfigFileError } from "../config/read";
import type { EnvironmentConfig } from "../config/schema";
import { DEFAULT_ENDPOINT, HetznerApiError, hetznerGet } from "./hetzner-api";

const API = "the Hetzner API";
const pagination = z.object({ meta: z.object({ pagination: z.object({ next_page: z.number().nullable() }) }) });
const money = z.object({ net: z.string() });
const serverType = z.object({
  name: z.string(),
  cores: z.number(),
  memory: z.number(),
  architecture: z.string(),
  prices: z.array(z.object({ location: z.string(), price_monthly: money })),
  locations: z.array(
    z.object({
      name: z.string(),
      available: z.boolean(),
      deprecation: z.object({ unavailable_after: z.string() }).nullable(),
    }),
  ),
});
export type ApiServerType = z.infer<typeof serverType>;
const serverTypesPage = pagination.extend({ server_types: z.array(serverType) });
const locationsPage = pagination.extend({ locations: z.array(z.object({ name: z.string() })) });
const imagesPage = pagination.extend({
  images: z.array(z.object({ name: z.string().nullable(), architecture: z.string(), deprecated: z.string().nullable() })),
});

const PER_PAGE = 50;

/** Every page of a list: `?page=1&per_page=50`, then `meta.pagination.next_page` until it is null. */
const everyPage = async <T extends z.infer<typeof pagination>>(get: (path: string) => Promise<T>, path: string): Promise<T[]> => {
  const pages: T[] = [];
  for (let page: number | null = 1; page; ) {
    const separator = path.includes("?") ? "&" : "?";
    const answer: T = await get(`${path}${separator}page=${page}&per_page=${PER_PAGE}`);
    pages.push(answer);
    page = answer.meta.pagination.next_page;
  }
  return pages;
};

/** Whether the API says the type can be ordered in the location at `now`. */
export const orderableIn = (type: ApiServerType, location: string, now: Date): boolean => {
  const where = type.locations.find((l) => l.name === location);
  return !!where && where.available && (where.deprecation === null || new Date(where.deprecation.unavailable_after) > now);
};

const monthlyIn = (type: ApiServerType, location: string): number =>
  Number(type.prices.find((p) => p.location === location)?.price_monthly.net ?? Number.POSITIVE_INFINITY);

/**
 * A type that can be ordered there instead: of the same architecture, at least the cores and memory
 * of the one configured where any such type is orderable, the cheapest for a new order.
 */
export const alternativeTo = (
  wanted: { cores: number; memory: number; architecture: string },
  types: readonly ApiServerType[],
  location: string,
  now: Date,
): ApiServerType | undefined => {
  const orderable = types.filter((type) => orderableIn(type, location, now));
  const sameArchitecture = orderable.filter((type) => type.architecture === wanted.architecture);
  const bigEnough = sameArchitecture.filter((type) => type.cores >= wanted.cores && type.memory >= wanted.memory);
  const pool = [bigEnough, sameArchitecture, orderable].find((candidates) => candidates.length > 0) ?? [];
  return [...pool].sort((a, b) => monthlyIn(a, location) - monthlyIn(b, location))[0];
};

const describeType = (type: ApiServerType, location: string): string => {
  const price = monthlyIn(type, location);
  return `${type.name} can (${type.cores} vCPU, ${type.memory} GB${Number.isFinite(price) ? `, €${price.toFixed(2)}/month net for a new order` : ""})`;
};

export interface PreflightResult {
  readonly ok: readonly string[];
  readonly problems: readonly string[];
}

/** Checks the environments against the API; HetznerApiError when the API cannot be asked. */
export const preflight = async (
  environments: readonly EnvironmentConfig[],
  endpoint: string,
  token: string,
  now: Date = new Date(),
): Promise<PreflightResult> => {
  const get =
    <T>(shape: z.ZodType<T>, document: string) =>
    (path: string): Promise<T> =>
      hetznerGet(endpoint, token, path, shape, API, document);
  const types = (await everyPage(get(serverTypesPage, "its list of server types"), "/server_types")).flatMap((page) => page.server_types);
  const locations = (await everyPage(get(locationsPage, "its list of locations"), "/locations")).flatMap((page) => page.locations.map((l) => l.name));
  const images = new Map<string, boolean>();
  const imageExists = async (name: string, architecture: string): Promise<boolean> => {
    const key = `${name} ${architecture}`;
    if (!images.has(key)) {
      const query = `/images?type=system&name=${encodeURIComponent(name)}&architecture=${encodeURIComponent(architecture)}`;
      const pages = await everyPage(get(imagesPage, "its list of images"), query);
      images.set(
        key,
        pages.some((page) => page.images.some((image) => image.name === name && image.architecture === architecture)),
      );
    }
    return images.get(key) ?? false;
  };

  const ok: string[] = [];
  const problems: string[] = [];
  for (const env of environments) {
    const { location, image } = env.hetzner;
    if (!locations.includes(location)) {
      problems.push(`environment "${env.name}": hetzner.location "${location}" does not exist at Hetzner now (it has: ${locations.join(", ")})`);
      continue;
    }
    for (const server of env.servers) {
      const name = server.serverType ?? env.hetzner.serverType;
      const at = `environment "${env.name}", server "${server.name}"`;
      const found = types.find((type) => type.name === name);
      const known = HETZNER_SERVER_TYPES[name];
      const wanted = found ?? { cores: known?.cores ?? 0, memory: known?.memoryGb ?? 0, architecture: name.startsWith("cax") ? "arm" : "x86" };
      const instead = (): string => {
        const other = alternativeTo(wanted, types, location, now);
        return other ? `${describeType(other, location)}` : "no server type can be ordered there now";
      };
      if (!found) {
        problems.push(`${at}: server type "${name}" does not exist at Hetzner now; in ${location} ${instead()}`);
        continue;
      }
      if (!orderableIn(found, location, now)) {
        problems.push(`${at}: ${name} cannot be ordered in ${location} now; ${instead()}`);
        continue;
      }
      if (!(await imageExists(image, found.architecture))) {
        problems.push(`${at}: hetzner.image "${image}" does not exist at Hetzner for ${found.architecture} (${name}) now`);
        continue;
      }
      ok.push(`environment "${env.name}", server "${server.name}": ${name} can be ordered in ${location}; image ${image} exists for ${found.architecture}`);
    }
  }
  return { ok, problems };
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options: { environment: { type: "string" } } });
  const token = process.env.HCLOUD_TOKEN;
  if (!token) {
    process.stdout.write("preflight: HCLOUD_TOKEN is not set: skipped; nothing was asked of Hetzner.\n");
    return;
  }
  const all = loadConfig().environments;
  const environments = values.environment ? all.filter((env) => env.name === values.environment) : all;
  if (environments.length === 0)
    throw new HetznerApiError(`no environment "${values.environment}" in the configuration (there are: ${all.map((env) => env.name).join(", ")})`);
  const { ok, problems } = await preflight(environments, process.env.HCLOUD_ENDPOINT ?? DEFAULT_ENDPOINT, token);
  for (const line of ok) process.stdout.write(`preflight: ${line}\n`);
  for (const line of problems) process.stderr.write(`preflight: ${line}\n`);
  if (problems.length > 0) process.exitCode = 1;
};

if (require.main === module) {
  main().catch((error: unknown) => {
    if (!(error instanceof HetznerApiError || error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
    process.stderr.write(`preflight: ${error.message}; nothing was checked.\n`);
    process.exitCode = 1;
  });
}
