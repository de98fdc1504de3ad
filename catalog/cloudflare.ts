/** Cloudflare facts the edge of an environment depends on. */

/**
 * The addresses Cloudflare's proxy connects to origins from: the origin firewall accepts web traffic
 * only from these when an environment's records are proxied. Source: https://www.cloudflare.com/ips-v4
 * and https://www.cloudflare.com/ips-v6 (https://www.cloudflare.com/ips/), as listed on 2026-11-24
 * (15 IPv4 and 7 IPv6 ranges; this list changes rarely, last by adding 104.24.0.0/14). Compare it
 * with those two files when upgrading; an outdated list blocks visitors arriving through a new range.
 */
export const CLOUDFLARE_IP_RANGES: readonly string[] = [
  "173.245.48.0/20",
  "103.21.244.0/22",
  "103.22.200.0/22",
  "103.31.4.0/22",
  "141.101.64.0/18",
  "108.162.192.0/18",
  "190.93.240.0/20",
  "188.114.96.0/20",
  "197.234.240.0/22",
  "198.41.128.0/17",
  "162.158.0.0/15",
  "104.16.0.0/13",
  "104.24.0.0/14",
  "172.64.0.0/13",
  "131.0.72.0/22",
  "2400:cb00::/32",
  "2606:4700::/32",
  "2803:f800::/32",
  "2405:b500::/32",
  "2405:8100::/32",
  "2a06:98c0::/29",
  "2c0f:f248::/32",
];

/**
 * The zone setting that holds the SSL/TLS encryption mode, and the value of "Full (strict)": Cloudflare
 * connects to the origin over HTTPS and validates its certificate. Sources: the data source
 * `cloudflare_zone_setting` (setting_id, value) in cloudflare/terraform-provider-cloudflare v5.14.0;
 * modes off | flexible | full | strict in https://developers.cloudflare.com/ssl/origin-configuration/ssl-modes/
 * (read 2026-11-24).
 */
export const SSL_MODE_SETTING = "ssl";
export const SSL_MODE_FULL_STRICT = "strict";

/**
 * A Cloudflare Access application protecting a hostname Cloudflare proxies, and the policy decision
 * that lets matching requests through without any Access login. Sources: the resource
 * `cloudflare_zero_trust_access_application` in cloudflare/terraform-provider-cloudflare v5.14.0,
 * internal/services/zero_trust_access_application/schema.go (`type` values, `policies[].decision`
 * values "allow", "deny", "non_identity", "bypass"; `zone_id` and `account_id` documented as
 * mutually exclusive, both RequiresReplace). Access denies by default; a Bypass policy turns
 * Access off for the requests its rules match, e.g. an office's IP ranges
 * (https://developers.cloudflare.com/cloudflare-one/access-controls/policies/, "Actions", read
 * 2026-11-24). Zone-scoped applications need an API token with "Access: Apps and Policies" on the
 * zone.
 */
export const ACCESS_APPLICATION_TYPE_SELF_HOSTED = "self_hosted";
export const ACCESS_DECISION_BYPASS = "bypass";
