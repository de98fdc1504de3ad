import { DataCloudflareZone } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zone";
import { DataCloudflareZoneSetting } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zone-setting";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { SSL_MODE_FULL_STRICT, SSL_MODE_SETTING } from "../../catalog/cloudflare";
import type { DnsModel } from "../../model/environment";

/** Cloudflare's "automatic" TTL. */
const AUTO_TTL = 1;
const CERTIFICATE_AUTHORITY = "letsencrypt.org";
/** A domain that sends no mail says so (RFC 7208 §5.1 `-all`; RFC 7489 §6.3 `p=reject`). */
export const NO_MAIL_SPF = "v=spf1 -all";
export const dmarcRecord = (policy: "reject" | "quarantine"): string => `v=DMARC1; p=${policy}`;
/** TXT content goes to Cloudflare quoted, so that spaces and semicolons stay one string. */
const quoted = (text: string): string => `"${text}"`;

/** A name with its own records, pointing at the server that serves it. */
export interface DnsTarget {
  readonly name: string;
  readonly ipv4: string;
  readonly ipv6: string;
}

export interface DnsZoneRecordsProps {
  readonly dns: Pick<DnsModel, "zone" | "proxied" | "mail" | "domain" | "dashboardHost" | "wildcardHost">;
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
 * does not serve (pointing at the server running the application), CAA records that let only Let's Encrypt
 * issue certificates for the environment's names, and the domain's mail records: SPF and DMARC that
 * reject all mail when it sends none, or MX, SPF, DKIM and DMARC from its configuration.
 *
 * With `proxied`, Cloudflare must reach the origin over verified HTTPS: the zone's SSL mode has to be
 * Full (strict), or visitors' traffic would cross the internet unencrypted or to an unverified server.
 * That mode is a setting of the whole zone, which other environments and the zone's owner share, so
 * it is read and checked here (a postcondition fails the plan) rather than managed.
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
    if (proxied) {
      new DataCloudflareZoneSetting(this, "ssl-mode", {
        zoneId: this.zoneId,
        settingId: SSL_MODE_SETTING,
        lifecycle: {
          postcondition: [
            {
              condition: `\${self.value == "${SSL_MODE_FULL_STRICT}"}`,
              errorMessage: `Environment "${environment}": proxied records need the SSL/TLS mode of zone ${dns.zone} set to Full (strict) ("${SSL_MODE_FULL_STRICT}"); the zone's owner sets it in Cloudflare (SSL/TLS > Overview).`,
            },
          ],
        },
      });
    }
    this.addMailRecords(dns, comment);
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

  private addMailRecords(dns: DnsZoneRecordsProps["dns"], comment: string): void {
    const { mail, domain } = dns;
    const record = (id: string, name: string, type: string, content: string, priority?: number): void => {
      this.records.push(
        new DnsRecord(this, id, { zoneId: this.zoneId, name, type, content, ttl: AUTO_TTL, comment, ...(priority === undefined ? {} : { priority }) }),
      );
    };
    record("spf", domain, "TXT", quoted(mail?.spf ?? NO_MAIL_SPF));
    record("dmarc", `_dmarc.${domain}`, "TXT", quoted(dmarcRecord(mail?.dmarcPolicy ?? "reject")));
    for (const [i, mx] of (mail?.mx ?? []).entries()) record(`mx-${i}`, domain, "MX", mx.host, mx.priority);
    for (const key of mail?.dkim ?? []) record(`dkim-${key.selector}`, `${key.selector}._domainkey.${domain}`, "TXT", quoted(key.value));
  }
}
