import { DataCloudflareZone } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zone";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { Testing } from "cdktf";
import type { EnvironmentConfig } from "../../config/schema";
import { DnsZoneRecords } from "../../constructs/dns/dns-zone-records";
import { environmentModel } from "../../model/environment";
import { trial } from "../fixtures/config";
import "../support/cdktf-matchers";

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
    expect(records.map((r) => r.type).sort()).toEqual(["A", "A", "AAAA", "AAAA", "CAA", "CAA", "TXT", "TXT"]);
  });

  it("proxies through Cloudflare when configured", () => {
    const json = synthDns({ ...trial, dns: { ...trial.dns, proxied: true } });
    expect(json).toHaveResourceWithProperties(DnsRecord, { name: "coolify.trial.corp.test", type: "A", proxied: true });
  });

  it("says the domain sends no mail unless it is configured to", () => {
    const json = synthDns(trial);
    expect(json).toHaveResourceWithProperties(DnsRecord, { name: "trial.corp.test", type: "TXT", content: '"v=spf1 -all"' });
    expect(json).toHaveResourceWithProperties(DnsRecord, { name: "_dmarc.trial.corp.test", type: "TXT", content: '"v=DMARC1; p=reject"' });
    expect(json).not.toHaveResourceWithProperties(DnsRecord, { type: "MX" });
  });

  it("publishes the configured MX, SPF, DKIM and DMARC records when the domain sends mail", () => {
    const mail = {
      mx: [
        { host: "mx1.mail.example.net", priority: 10 },
        { host: "mx2.mail.example.net", priority: 20 },
      ],
      spf: "v=spf1 include:_spf.mail.example.net -all",
      dkim: [{ selector: "s1", value: "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=" }],
      dmarcPolicy: "quarantine" as const,
    };
    const json = synthDns({ ...trial, dns: { ...trial.dns, mail } });
    expect(json).toHaveResourceWithProperties(DnsRecord, { name: "trial.corp.test", type: "TXT", content: `"${mail.spf}"` });
    expect(json).toHaveResourceWithProperties(DnsRecord, { name: "_dmarc.trial.corp.test", type: "TXT", content: '"v=DMARC1; p=quarantine"' });
    expect(json).toHaveResourceWithProperties(DnsRecord, { name: "s1._domainkey.trial.corp.test", type: "TXT", content: `"${mail.dkim[0].value}"` });
    for (const mx of mail.mx)
      expect(json).toHaveResourceWithProperties(DnsRecord, { name: "trial.corp.test", type: "MX", content: mx.host, priority: mx.priority });
    expect(json).not.toContain("v=spf1 -all");
  });

  it("requires Full (strict) SSL from the zone when proxied, and reads nothing of the zone otherwise", () => {
    const proxied = JSON.parse(synthDns({ ...trial, dns: { ...trial.dns, proxied: true } }));
    const [zone] = Object.keys(proxied.data.cloudflare_zone);
    expect(Object.values(proxied.data.cloudflare_zone_setting)).toEqual([
      {
        zone_id: `\${data.cloudflare_zone.${zone}.zone_id}`,
        setting_id: "ssl",
        lifecycle: {
          postcondition: [
            {
              condition: '${self.value == "strict"}',
              error_message:
                'Environment "trial": proxied records need the SSL/TLS mode of zone corp.test set to Full (strict) ("strict"); the zone\'s owner sets it in Cloudflare (SSL/TLS > Overview).',
            },
          ],
        },
      },
    ]);
    expect(JSON.parse(synthDns(trial)).data.cloudflare_zone_setting).toBeUndefined();
  });

  it("outputs the Coolify URL under a stable name", () => {
    expect(JSON.parse(synthDns(trial)).output.coolify_url).toMatchObject({ value: "https://coolify.trial.corp.test" });
  });
});
