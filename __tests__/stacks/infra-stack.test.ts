import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { Server } from "../../.gen/providers/hcloud/server";
import { enforceGuardrails, type Guardrails } from "../../aspects/guardrails";
import { stackName } from "../../config/naming";
import type { GuardrailException } from "../../config/schema";
import { environmentModel } from "../../model/environment";
import { InfraStack } from "../../stacks/infra-stack";
import { fixtureConfig, live, trial } from "../fixtures/config";
import { synthWith } from "../support/synth";
import "../support/cdktf-matchers";

describe.each(fixtureConfig.environments.map((env) => [env.name, env] as const))("%s-infra", (_name, env) => {
  const synth = () => synthWith((app) => new InfraStack(app, stackName(env, "infra"), { environment: environmentModel(env) }));

  it("is valid Terraform JSON with every provider pinned and wired to a sensitive credential variable", () => {
    const { tf } = synth();
    expect(tf.terraform?.required_providers).toMatchObject({
      hcloud: { source: "hetznercloud/hcloud", version: "1.59.0" },
      cloudflare: { source: "cloudflare/cloudflare", version: "5.14.0" },
      null: { source: "null", version: "3.2.4" },
    });
    expect(tf.provider?.hcloud).toEqual([{ token: "${var.hcloud_token}" }]);
    expect(tf.provider?.cloudflare).toEqual([{ api_token: "${var.cloudflare_api_token}" }]);
    for (const name of ["hcloud_token", "cloudflare_api_token"]) {
      expect(tf.variable?.[name]).toMatchObject({ sensitive: true, nullable: true, default: null, type: "string" });
    }
  });

  it("creates one server per configured server and points DNS at the Coolify host", () => {
    const { json, tf } = synth();
    const servers = Object.values(tf.resource.hcloud_server);
    expect(servers.map((s) => s.name).sort()).toEqual(env.servers.map((s) => `${env.name}-${s.name}`).sort());
    const host = Object.keys(tf.resource.hcloud_primary_ip).find((id) => id.startsWith(`${env.servers[0].name}_ipv4`));
    expect(json).toHaveResourceWithProperties(DnsRecord, { name: `coolify.${env.domain}`, type: "A", content: `\${hcloud_primary_ip.${host}.ip_address}` });
    expect(json).toHaveResourceWithProperties(Server, { firewall_ids: [expect.stringMatching(/^\$\{hcloud_firewall\./)] });
  });

  it("labels every Hetzner resource that takes labels", () => {
    const { tf } = synth();
    const labelled = Object.entries(tf.resource).filter(([type]) => type.startsWith("hcloud_") && type !== "hcloud_network_subnet");
    expect(labelled.map(([type]) => type)).toEqual(
      expect.arrayContaining([
        "hcloud_ssh_key",
        "hcloud_firewall",
        "hcloud_primary_ip",
        "hcloud_server",
        "hcloud_placement_group",
        ...(env.servers.length > 1 ? ["hcloud_network"] : []),
      ]),
    );
    for (const [, resources] of labelled) {
      for (const resource of Object.values(resources)) {
        expect(resource.labels).toMatchObject({ environment: env.name, "managed-by": "cdktf", role: expect.any(String) });
      }
    }
  });

  it("has stable output names", () => {
    const { tf } = synth();
    const expected = ["coolify_url", ...env.servers.flatMap((s) => ["name", "ipv4", "ipv6"].map((k) => `server_${s.name.replace(/-/g, "_")}_${k}`))];
    expect(Object.keys(tf.output ?? {})).toEqual(expect.arrayContaining(expected));
  });
});

describe("environment differences", () => {
  it("adds a private network only when there is more than one server, and always a placement group every server is created in", () => {
    const single = synthWith((app) => new InfraStack(app, "s", { environment: environmentModel(trial) })).tf;
    const multi = synthWith((app) => new InfraStack(app, "p", { environment: environmentModel(live) })).tf;
    expect(single.resource.hcloud_network).toBeUndefined();
    expect(Object.keys(single.resource.hcloud_placement_group)).toHaveLength(1);
    expect(Object.values(single.resource.hcloud_server).every((s) => typeof s.placement_group_id === "string")).toBe(true);
    expect(Object.keys(multi.resource.hcloud_network)).toHaveLength(1);
    expect(Object.values(multi.resource.hcloud_server).every((s) => typeof s.placement_group_id === "string")).toBe(true);
  });

  it("protects production and leaves other environments disposable", () => {
    const protectedFlags = (tf: ReturnType<typeof synthWith>["tf"]) =>
      Object.values(tf.resource.hcloud_server).map((s) => [s.delete_protection, s.rebuild_protection]);
    expect(protectedFlags(synthWith((app) => new InfraStack(app, "p", { environment: environmentModel(live) })).tf)).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(protectedFlags(synthWith((app) => new InfraStack(app, "s", { environment: environmentModel(trial) })).tf)).toEqual([[false, false]]);
  });

  it("lifts the protection of exactly the production resources a reviewed production-protection exception names, and the guardrails accept it", () => {
    const lifted = ["live-infra/batch/server", "live-infra/batch/ipv4", "live-infra/batch/ipv6", "live-infra/private-network/network"];
    const guardrailExceptions = lifted.map(
      (path): GuardrailException => ({
        rule: "production-protection",
        path,
        reason: "worker batch retired after its jobs moved (OPS-12)",
        approvedBy: "alice",
      }),
    );
    let guardrails: Guardrails | undefined;
    const { tf } = synthWith((app) => {
      const stack = new InfraStack(app, "live-infra", { environment: environmentModel({ ...live, guardrailExceptions }) });
      guardrails = enforceGuardrails(stack, { production: true, guardrailExceptions });
      return stack;
    });
    expect(guardrails?.result().violations).toEqual([]);
    expect(
      guardrails
        ?.result()
        .excepted.map((e) => e.finding.path)
        .sort(),
    ).toEqual([...lifted].sort());
    /** `<construct>` → [delete_protection, prevent_destroy, rebuild_protection] */
    const protection = (type: string) =>
      Object.fromEntries(
        Object.entries(tf.resource[type]).map(([id, r]) => [
          id.replace(/_[0-9A-F]{8}$/, ""),
          [r.delete_protection, (r.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy ?? false, r.rebuild_protection],
        ]),
      );
    expect(protection("hcloud_server")).toEqual({ main_server: [true, false, true], batch_server: [false, false, false] });
    expect(protection("hcloud_primary_ip")).toEqual({
      main_ipv4: [true, true, undefined],
      main_ipv6: [true, true, undefined],
      batch_ipv4: [false, false, undefined],
      batch_ipv6: [false, false, undefined],
    });
    expect(protection("hcloud_network")).toEqual({ "private-network": [false, false, undefined] });
  });
});
