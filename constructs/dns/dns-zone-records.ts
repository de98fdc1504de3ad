import { DataCloudflareZone } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zone";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { DnsModel } from "../../model/environment";

/** Cloudflare's "automatic" TTL. */
const AUTO_TTL = 1;
const CERTIFICATE_AUTHORITY = "letsencrypt.org";

/** A name with its own records, pointing at the server that serves it. */
export interface DnsTarget {
  readonly name: string;
  readonly ipv4: string;
  readonly ipv6: string;
}

export interface DnsZoneRecordsProps {
  readonly dns: Pick<DnsModel, "zone" | "proxied" | "domain" | "dashboardHost" | "wildcardHost">;
  /** Environment name, for the records' comment. */
  readonly environment: string;
  /** The dashboard URL, as an output. */
  readonly coolifyUrl: string;
  readonly ipv4: string;
  readonly ipv6: string;
  /** Application names the wildcard does not serve: custom domains and names of applications on workers. */
  readonly applicationNames?: readonly DnsTarget[];
}

/**
 * The environment's records in its Cloudflare zone: the Coolify dashboard, a wildcard for
 * applications (both pointing at the Coolify host), one record per application name the wildcard
 * does not serve (pointing at the server running the application), and CAA records that let only Let's Encrypt
 * issue certificates for the environment's names.
 */
export class DnsZoneRecords extends Construct {
  readonly records: DnsRecord[] = [];
  readonly zoneId: string;

  constructor(scope: Construct, id: string, { dns, environment, coolifyUrl, ipv4, ipv6, applicationNames = [] }: DnsZoneRecordsProps) {
    super(scope, id);
    const zone = new DataCloudflareZone(this, "zone", { filter: { name: dns.zone } });
    this.zoneId = zone.zoneId;
    const { proxied } = dns;
    const comment = `managed by cdktf (${environment})`;

    const targets: [string, DnsTarget][] = [
      ["dashboard", { name: dns.dashboardHost, ipv4, ipv6 }],
      ["wildcard", { name: dns.wildcardHost, ipv4, ipv6 }],
      ...applicationNames.map((target): [string, DnsTarget] => [`app-${target.name}`, target]),
    ];
    for (const [key, { name, ipv4, ipv6 }] of targets) {
      for (const [type, content] of [
        ["A", ipv4],
        ["AAAA", ipv6],
      ]) {
        this.records.push(new DnsRecord(this, `${key}-${type.toLowerCase()}`, { zoneId: this.zoneId, name, type, content, ttl: AUTO_TTL, proxied, comment }));
      }
    }
    for (const tag of ["issue", "issuewild"]) {
      this.records.push(
        new DnsRecord(this, `caa-${tag}`, {
          zoneId: this.zoneId,
          name: dns.domain,
          type: "CAA",
          ttl: AUTO_TTL,
          data: { tag, value: CERTIFICATE_AUTHORITY },
          comment,
        }),
      );
    }

    new TerraformOutput(this, "coolify_url", { value: coolifyUrl, description: "Coolify dashboard URL", staticId: true });
  }
}
