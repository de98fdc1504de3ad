import { Testing } from "cdktf";
import { production } from "../../config/environments/production";
import { staging } from "../../config/environments/staging";
import { applicationDnsNames } from "../../config/naming";
import type { EnvironmentConfig } from "../../config/schema";
import { environmentModel } from "../../model/environment";
import { InfraStack } from "../../stacks/infra-stack";
import { resourcesOf, synthStack } from "../support/synth";

/** name/type → content of every Cloudflare record the infra stack creates. */
const recordsOf = (env: EnvironmentConfig): Record<string, unknown> => {
  const synth = synthStack(new InfraStack(Testing.app(), `${env.name}-infra`, { environment: environmentModel(env) }));
  return Object.fromEntries(Object.values(resourcesOf(synth, "cloudflare_dns_record")).map((r) => [`${r.name} ${r.type}`, r.content]));
};

describe("DNS records for application names", () => {
  it("lists custom domains and names of applications on workers, with the server that serves them", () => {
    expect(applicationDnsNames(production)).toEqual([
      { host: "example.com", server: "coolify" },
      { host: "api.example.com", server: "worker-1" },
    ]);
    expect(applicationDnsNames(staging)).toEqual([{ host: "preview.example.com", server: "coolify" }]);
  });

  it("points a worker application's name at the worker and a custom domain at the host", () => {
    const records = recordsOf(production);
    expect(records["api.example.com A"]).toBe("${hcloud_primary_ip.worker-1_ipv4_67B6FE6C.ip_address}");
    expect(records["api.example.com AAAA"]).toBe("${hcloud_server.worker-1_server_626296C2.ipv6_address}");
    expect(records["example.com A"]).toBe(records["coolify.example.com A"]);
    expect(records["example.com AAAA"]).toBe(records["coolify.example.com AAAA"]);
    expect(records).not.toHaveProperty(["shop.example.com A"]);
  });

  it("creates records for a listed custom domain no application uses yet", () => {
    const env: EnvironmentConfig = { ...staging, apps: { projects: [], customDomains: ["landing.example.com"] } };
    expect(recordsOf(env)["landing.example.com A"]).toBe(recordsOf(staging)["coolify.staging.example.com A"]);
  });
});
