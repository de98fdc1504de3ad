/**
 * The proxy configuration the bootstrap installs admits only the admins and the deploy runner to
 * the dashboard, its API, realtime and terminal. Traefik picks, per entry point, the matching router
 * with the highest priority (a rule's length when none is set); this test routes requests through
 * Coolify's own routers for the instance domain (app/Models/Server.php at v4.3.9) together with
 * ours, the way Traefik does, and applies the chosen router's `ipAllowList`.
 */
import { BlockList, isIPv4 } from "node:net";
import { Testing } from "cdktf";
import { CLOUDFLARE_IP_RANGES } from "../../catalog/cloudflare";
import { ADMIN_ONLY_MIDDLEWARE, dashboardAccessConfig } from "../../constructs/bootstrap/dashboard-access";
import { environmentModel } from "../../model/environment";
import { InfraStack } from "../../stacks/infra-stack";
import { live } from "../fixtures/config";
import { synthStack } from "../support/synth";

const HOST = "coolify.live.corp.test";
const SOURCES = ["203.0.113.0/24", "2001:db8:1234::/48", "198.51.100.17/32"];

interface Router {
  readonly entryPoints: readonly string[];
  readonly rule: string;
  readonly priority?: number;
  readonly service: string;
  readonly middlewares?: readonly string[];
}

/** The routers Coolify v4.3.9 writes to coolify.yaml for an https instance domain. */
const coolifyRouters = (host: string): Record<string, Router> => ({
  "coolify-http": { entryPoints: ["http"], rule: `Host(\`${host}\`)`, service: "coolify", middlewares: ["redirect-to-https"] },
  "coolify-realtime-ws": { entryPoints: ["http"], rule: `Host(\`${host}\`) && PathPrefix(\`/app\`)`, service: "coolify-realtime" },
  "coolify-terminal-ws": { entryPoints: ["http"], rule: `Host(\`${host}\`) && PathPrefix(\`/terminal/ws\`)`, service: "coolify-terminal" },
  "coolify-https": { entryPoints: ["https"], rule: `Host(\`${host}\`)`, service: "coolify", middlewares: ["gzip"] },
  "coolify-realtime-wss": { entryPoints: ["https"], rule: `Host(\`${host}\`) && PathPrefix(\`/app\`)`, service: "coolify-realtime" },
  "coolify-terminal-wss": { entryPoints: ["https"], rule: `Host(\`${host}\`) && PathPrefix(\`/terminal/ws\`)`, service: "coolify-terminal" },
});

const matches = (rule: string, host: string, path: string): boolean => {
  const ruleHost = /Host\(`([^`]+)`\)/.exec(rule)?.[1];
  const prefix = /PathPrefix\(`([^`]+)`\)/.exec(rule)?.[1];
  return ruleHost === host && (prefix === undefined || path.startsWith(prefix));
};

const inRanges = (ranges: readonly string[], address: string): boolean => {
  const list = new BlockList();
  for (const range of ranges) {
    const [network, bits] = range.split("/");
    list.addSubnet(network, Number(bits), isIPv4(network) ? "ipv4" : "ipv6");
  }
  return list.check(address, isIPv4(address) ? "ipv4" : "ipv6");
};

/** Which service answers, or 403 from an allow list, for a request from `source`. */
const route = (config: string, entryPoint: string, host: string, path: string, source: string): string => {
  const ours = JSON.parse(config) as { http: { routers: Record<string, Router>; middlewares: Record<string, { ipAllowList?: { sourceRange: string[] } }> } };
  const routers = [...Object.values(coolifyRouters(HOST)), ...Object.values(ours.http.routers)]
    .filter((router) => router.entryPoints.includes(entryPoint) && matches(router.rule, host, path))
    .sort((a, b) => (b.priority ?? b.rule.length) - (a.priority ?? a.rule.length));
  const [chosen] = routers;
  if (!chosen) return "404";
  for (const name of chosen.middlewares ?? []) {
    const ranges = ours.http.middlewares[name]?.ipAllowList?.sourceRange;
    if (!ranges) continue;
    if (!inRanges(ranges, source)) return "403";
  }
  return chosen.service;
};

describe("the dashboard's proxy configuration", () => {
  const config = dashboardAccessConfig({ host: HOST, sources: SOURCES });

  it.each([
    ["/", "coolify"],
    ["/api/v1/version", "coolify"],
    ["/app/websocket", "coolify-realtime"],
    ["/terminal/ws", "coolify-terminal"],
  ])("admits the admins and the deploy runner to %s and nobody else, on 80 and 443", (path, service) => {
    for (const entryPoint of ["http", "https"]) {
      expect(route(config, entryPoint, HOST, path, "203.0.113.77")).toBe(service);
      expect(route(config, entryPoint, HOST, path, "198.51.100.17")).toBe(service);
      expect(route(config, entryPoint, HOST, path, "2001:db8:1234:5::1")).toBe(service);
      expect(route(config, entryPoint, HOST, path, "198.51.100.18")).toBe("403");
      expect(route(config, entryPoint, HOST, path, "8.8.8.8")).toBe("403");
      expect(route(config, entryPoint, HOST, path, "2001:db8:9999::1")).toBe("403");
    }
  });

  it("leaves every other host (the applications) alone", () => {
    expect(route(config, "https", "shop.live.corp.test", "/", "8.8.8.8")).toBe("404");
  });

  it("without it, Coolify's own routers would admit anybody (what the file fixes)", () => {
    const noAllowList = JSON.stringify({ http: { routers: {}, middlewares: {} } });
    expect(route(noAllowList, "https", HOST, "/terminal/ws", "8.8.8.8")).toBe("coolify-terminal");
  });

  it("is what the infra stack hands the bootstrap: admin CIDRs plus the deploy runner's", () => {
    const env = { ...structuredClone(live), coolify: { ...live.coolify, deployRunnerCidrs: ["192.0.2.10/32"] } };
    const model = environmentModel(env);
    const tf = synthStack(new InfraStack(Testing.app(), "live-infra", { environment: model })).tf;
    const provisioners = tf.resource.null_resource.coolify_bootstrap.provisioner as { file?: { content: string; destination: string } }[];
    const uploaded = provisioners.find((p) => p.file?.destination.endsWith("/dashboard-access.yaml"))?.file?.content ?? "";
    const parsed = JSON.parse(uploaded) as { http: { middlewares: Record<string, { ipAllowList: { sourceRange: string[] } }> } };
    expect(parsed.http.middlewares[ADMIN_ONLY_MIDDLEWARE].ipAllowList.sourceRange).toEqual([...live.adminCidrs, "192.0.2.10/32"]);
  });
});

interface AccessPolicy {
  readonly decision: string;
  readonly include: readonly { readonly ip?: { readonly ip: string } }[];
}

describe("the dashboard behind Cloudflare's proxy", () => {
  const env = { ...structuredClone(live), dns: { ...live.dns, proxied: true }, coolify: { ...live.coolify, deployRunnerCidrs: ["198.51.100.10/32"] } };
  const admins = [...live.adminCidrs, "198.51.100.10/32"];
  const tf = synthStack(new InfraStack(Testing.app(), "live-infra", { environment: environmentModel(env) })).tf;
  const bootstrap = tf.resource.null_resource.coolify_bootstrap as { depends_on: string[]; provisioner: { file?: { content: string; destination: string } }[] };
  const uploaded = (name: string): string => bootstrap.provisioner.find((p) => p.file?.destination.endsWith(`/${name}`))?.file?.content ?? "";
  const applications = Object.entries(tf.resource.cloudflare_zero_trust_access_application as Record<string, Record<string, unknown>>);
  const [[accessId, access]] = applications.filter(([, application]) => application.domain === HOST);

  /**
   * Cloudflare Access's answer for a visitor: the first policy whose include rules match lets a
   * `bypass` through, and Access denies whatever no policy allows
   * (https://developers.cloudflare.com/cloudflare-one/access-controls/policies/, read 2026-11-24).
   */
  const edge = (visitor: string, application = access): string => {
    const policies = application.policies as AccessPolicy[];
    const matched = policies.find((policy) =>
      inRanges(
        policy.include.flatMap((rule) => (rule.ip ? [rule.ip.ip] : [])),
        visitor,
      ),
    );
    return matched?.decision === "bypass" ? "through" : "denied";
  };

  it("lets only the admins and the deploy runner past Cloudflare Access, for the dashboard host of this environment's zone", () => {
    const zones = Object.entries(tf.data?.cloudflare_zone as Record<string, { filter: { name: string } }>);
    expect(zones.map(([, zone]) => zone.filter.name)).toEqual([live.dns.zone]);
    expect(access).toMatchObject({ zone_id: `\${data.cloudflare_zone.${zones[0][0]}.zone_id}`, domain: HOST, type: "self_hosted" });
    expect(access.policies).toEqual([{ name: "live admins and deploy runner", decision: "bypass", include: admins.map((ip) => ({ ip: { ip } })) }]);
    expect(edge("192.0.2.5")).toBe("through");
    expect(edge("198.51.100.10")).toBe("through");
    expect(edge("192.0.2.20")).toBe("denied");
    expect(edge("8.8.8.8")).toBe("denied");
  });

  it("has the proxy admit Cloudflare's addresses, the only peers it has, and Coolify's API the same plus the admins on the dashboard port", () => {
    for (const path of ["/", "/terminal/ws"]) {
      expect(route(uploaded("dashboard-access.yaml"), "https", HOST, path, "172.64.3.9")).not.toBe("403");
      expect(route(uploaded("dashboard-access.yaml"), "https", HOST, path, "2606:4700::6810:84e5")).not.toBe("403");
      expect(route(uploaded("dashboard-access.yaml"), "https", HOST, path, "8.8.8.8")).toBe("403");
    }
    expect(uploaded("inputs.env")).toContain(`\nCOOLIFY_API_ALLOWED_IPS=${[...admins, ...CLOUDFLARE_IP_RANGES].join(",")}\n`);
  });

  it("holds the monitoring UIs the same way, for the admins only (production runs monitoring)", () => {
    const ui = applications.filter(([, application]) => application.domain !== HOST).map(([, application]) => application);
    expect(ui.map((application) => application.domain).sort()).toEqual(["alertmanager.live.corp.test", "grafana.live.corp.test", "prometheus.live.corp.test"]);
    for (const application of ui) {
      expect(edge("192.0.2.5", application)).toBe("through");
      expect(edge("198.51.100.10", application)).toBe("denied");
    }
  });

  it("installs Coolify only once the edge holds the dashboard", () => {
    expect(bootstrap.depends_on).toContain(`cloudflare_zero_trust_access_application.${accessId}`);
  });

  it("is left out when the records are not proxied", () => {
    const plain = synthStack(new InfraStack(Testing.app(), "live-infra", { environment: environmentModel(live) })).tf;
    expect(plain.resource.cloudflare_zero_trust_access_application).toBeUndefined();
  });
});
