/**
 * The Traefik dynamic configuration that keeps Coolify's dashboard, its API, realtime (`/app`) and
 * web terminal (`/terminal/ws`) to the admins and the deploy runner. Setting the instance domain
 * makes Coolify write `coolify.yaml` into the proxy's dynamic directory with routers for exactly
 * those three routes on 80/443 (coollabsio/coolify v4.3.9, app/Models/Server.php
 * `setupDynamicProxyConfiguration`: `Host(<host>)`, `Host(<host>) && PathPrefix(/app)` and
 * `Host(<host>) && PathPrefix(/terminal/ws)`, services `coolify`, `coolify-realtime`,
 * `coolify-terminal`). That file is Coolify's and is rewritten by it; this one sits beside it and
 * shadows each of those routers with a router of higher priority, the same rule and service, and
 * an `ipAllowList` middleware (Traefik v3, the proxy Coolify v4.3.9 runs: bootstrap/helpers/proxy.php
 * `traefik:v3.6`). JSON is YAML, so the file is written as JSON.
 */

/** Where Coolify's proxy reads dynamic configuration (Server::proxyPath() of the host, `/dynamic`). */
export const PROXY_DYNAMIC_DIR = "proxy/dynamic";
/** The file name: after `coolify.yaml`, never one Coolify writes. */
export const DASHBOARD_ACCESS_FILE = "zz-dashboard-access.yaml";
export const ADMIN_ONLY_MIDDLEWARE = "dashboard-admins-only";

/** Above any priority Traefik gives a rule by its length, so these routers always win. */
const PRIORITY = 10_000;

/** Coolify's routes for the dashboard host: router name suffix, path prefix, Coolify's service. */
const COOLIFY_ROUTES = [
  { name: "dashboard", pathPrefix: undefined, service: "coolify" },
  { name: "realtime", pathPrefix: "/app", service: "coolify-realtime" },
  { name: "terminal", pathPrefix: "/terminal/ws", service: "coolify-terminal" },
] as const;

export interface DashboardAccess {
  /** The instance domain, e.g. `coolify.example.com`. */
  readonly host: string;
  /** The CIDRs admitted: admins and the deploy runner. */
  readonly sources: readonly string[];
}

export const dashboardAccessConfig = ({ host, sources }: DashboardAccess): string => {
  const routers: Record<string, unknown> = {};
  COOLIFY_ROUTES.forEach((route, i) => {
    const rule = `Host(\`${host}\`)${route.pathPrefix ? ` && PathPrefix(\`${route.pathPrefix}\`)` : ""}`;
    // Longer prefixes first, as Traefik's rule-length default would order Coolify's own routers.
    const priority = PRIORITY + i;
    routers[`dashboard-access-${route.name}-http`] = {
      entryPoints: ["http"],
      rule,
      priority,
      service: route.service,
      middlewares: [ADMIN_ONLY_MIDDLEWARE, "redirect-to-https"],
    };
    routers[`dashboard-access-${route.name}-https`] = {
      entryPoints: ["https"],
      rule,
      priority,
      service: route.service,
      middlewares: [ADMIN_ONLY_MIDDLEWARE],
      tls: { certResolver: "letsencrypt" },
    };
  });
  const config = { http: { middlewares: { [ADMIN_ONLY_MIDDLEWARE]: { ipAllowList: { sourceRange: [...sources] } } }, routers } };
  return `${JSON.stringify(config, null, 2)}\n`;
};
