import { DataCloudflareZone } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zone";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { dashboardHost, dashboardUrl, wildcardHost } from "../../config/naming";
import type { EnvironmentConfig } from "../../config/types";

/** Cloudflare's "automatic" TTL. */
const AUTO_TTL = 1;
const CERTIFICATE_AUTHORITY = "letsencrypt.org";

export interface DnsZoneRecordsProps {
  readonly env: EnvironmentConfig;
  readonly ipv4: string;
  readonly ipv6: string;
}

/**
 * The environment's records in its Cloudflare zone: the Coolify dashboard, a wildcard for
 * applications (both pointing at the Coolify host), and CAA records that let only Let's Encrypt
 * issue certificates for the environment's names.
 */
export class DnsZoneRecords extends Construct {
  readonly records: DnsRecord[] = [];
  readonly zoneId: string;

  constructor(scope: Construct, id: string, { env, ipv4, ipv6 }: DnsZoneRecordsProps) {
    super(scope, id);
    const zone = new DataCloudflareZone(this, "zone", { filter: { name: env.dns.zone } });
    this.zoneId = zone.zoneId;
    const proxied = env.dns.proxied ?? false;
    const comment = `managed by cdktf (${env.name})`;

    for (const [key, name] of [["dashboard", dashboardHost(env)], ["wildcard", wildcardHost(env)]]) {
      for (const [type, content] of [["A", ipv4], ["AAAA", ipv6]]) {
        this.records.push(
          new DnsRecord(this, `${key}-${type.toLowerCase()}`, { zoneId: this.zoneId, name, type, content, ttl: AUTO_TTL, proxied, comment }),
        );
      }
    }
    for (const tag of ["issue", "issuewild"]) {
      this.records.push(
        new DnsRecord(this, `caa-${tag}`, { zoneId: this.zoneId, name: env.domain, type: "CAA", ttl: AUTO_TTL, data: { tag, value: CERTIFICATE_AUTHORITY }, comment }),
      );
    }

    new TerraformOutput(this, "coolify_url", { value: dashboardUrl(env), description: "Coolify dashboard URL", staticId: true });
  }
}
