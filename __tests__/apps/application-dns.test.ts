import { Testing } from "cdktf";
import { applicationDnsNames } from "../../config/naming";
import type { EnvironmentConfig } from "../../config/schema";
import { environmentModel } from "../../model/environment";
import { InfraStack } from "../../stacks/infra-stack";
import { fixtureApps, live, trial } from "../fixtures/config";
import { resourcesOf, synthStack } from "../support/synth";

/** name/type → content of every Cloudflare record the infra stack creates. */
const recordsOf = (env: EnvironmentConfig): Record<string, unknown> => {
  const synth = synthStack(new InfraStack(Testing.app(), `${env.name}-infra`, { environment: environmentModel(env) }));
  return Object.fromEntries(Object.values(resourcesOf(synth, "cloudflare_dns_record")).map((r) => [`${r.name} ${r.type}`, r.content]));
};

/** `live` with an application on its worker serving a name under the environment's wildcard. */
const withWorkerDomain: EnvironmentConfig = {
  ...live,
  apps: {
    ...fixtureApps,
    projects: [
      ...fixtureApps.projects,
      {
        name: "jobs",
        applications: [
          { kind: "docker-image", name: "ui", image: "ghcr.io/fixture/jobs:1.0.0", server: "batch", domains: ["jobs.live.corp.test"], ports: [80] },
        ],
      },
    ],
  },
};

describe("DNS records for application names", () => {
  it("lists custom domains and names of applications on workers, with the server that serves them", () => {
    expect(applicationDnsNames(live)).toEqual([{ host: "www.corp.test", server: "main" }]);
    expect(applicationDnsNames(withWorkerDomain)).toEqual([
      { host: "www.corp.test", server: "main" },
      { host: "jobs.live.corp.test", server: "batch" },
    ]);
    expect(applicationDnsNames(trial)).toEqual([]);
  });

  it("points a worker application's name at the worker and a custom domain at the host", () => {
    const records = recordsOf(withWorkerDomain);
    expect(records["jobs.live.corp.test A"]).toEqual(expect.stringMatching(/^\$\{hcloud_primary_ip\.batch_ipv4_[0-9A-F]+\.ip_address\}$/));
    expect(records["jobs.live.corp.test AAAA"]).toEqual(expect.stringMatching(/^\$\{hcloud_server\.batch_server_[0-9A-F]+\.ipv6_address\}$/));
    expect(records["www.corp.test A"]).toBe(records["coolify.live.corp.test A"]);
    expect(records["www.corp.test AAAA"]).toBe(records["coolify.live.corp.test AAAA"]);
    expect(records).not.toHaveProperty(["front.live.corp.test A"]);
  });

  it("creates records for a listed custom domain no application uses yet", () => {
    const env: EnvironmentConfig = { ...trial, apps: { projects: [], customDomains: ["landing.corp.test"] } };
    expect(recordsOf(env)["landing.corp.test A"]).toBe(recordsOf(trial)["coolify.trial.corp.test A"]);
  });
});
