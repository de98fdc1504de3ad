import { DataCloudflareZone } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zone";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { Testing } from "cdktf";
import type { EnvironmentConfig } from "../../config/schema";
import { DnsZoneRecords } from "../../constructs/dns/dns-zone-records";
import { environmentModel } from "../../model/environment";
import { trial } from "../fixtures/config";

const dnsProps = (env: EnvironmentConfig) => {
  const model = environmentModel(env);
  return { dns: model.dns, environment: model.name, coolifyUrl: model.coolify.url };
};
const synthDns = (env: EnvironmentConfig) =>
  Testing.synthScope((scope) => new DnsZoneRecords(scope, "dns", { ...dnsProps(env), ipv4: "192.0.2.10", ipv6: "2001:db8::1" }));

describe("DnsZoneRecords", () => {
  it("looks the zone up by name", () => {
    expect(synthDns(trial)).toHaveDataSourceWithProperties(DataCloudflareZone, { filter: { name: "corp.test" } });
  });

  it.each([
    ["coolify.trial.corp.test", "A", "192.0.2.10"],
    ["coolify.trial.corp.test", "AAAA", "2001:db8::1"],
    ["*.trial.corp.test", "A", "192.0.2.10"],
    ["*.trial.corp.test", "AAAA", "2001:db8::1"],
  ])("points %s (%s) at the Coolify host, unproxied by default", (name, type, content) => {
    expect(synthDns(trial)).toHaveResourceWithProperties(DnsRecord, {
      name,
      type,
      content,
      proxied: false,
      ttl: 1,
      zone_id: expect.stringContaining("data.cloudflare_zone.dns_zone"),
    });
  });

  it("allows only Let's Encrypt to issue certificates", () => {
    const json = synthDns(trial);
    for (const tag of ["issue", "issuewild"]) {
      expect(json).toHaveResourceWithProperties(DnsRecord, { name: "trial.corp.test", type: "CAA", data: { tag, value: "letsencrypt.org" } });
    }
    const records = Object.values(JSON.parse(json).resource.cloudflare_dns_record as Record<string, { type: string }>);
    expect(records.map((r) => r.type).sort()).toEqual(["A", "A", "AAAA", "AAAA", "CAA", "CAA"]);
  });

  it("proxies through Cloudflare when configured", () => {
    const json = synthDns({ ...trial, dns: { ...trial.dns, proxied: true } });
    expect(json).toHaveResourceWithProperties(DnsRecord, { name: "coolify.trial.corp.test", type: "A", proxied: true });
  });

  it("outputs the Coolify URL under a stable name", () => {
    expect(JSON.parse(synthDns(trial)).output.coolify_url).toMatchObject({ value: "https://coolify.trial.corp.test" });
  });
});
