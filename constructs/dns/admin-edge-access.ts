import { ZeroTrustAccessApplication } from "@cdktf/provider-cloudflare/lib/zero-trust-access-application";
import { Construct } from "constructs";
import { ACCESS_APPLICATION_TYPE_SELF_HOSTED, ACCESS_DECISION_BYPASS } from "../../catalog/cloudflare";

/** A host only some addresses may use, e.g. the Coolify dashboard for the admins and the deploy runner. */
export interface AdminOnlyHost {
  /** Stable key of the host in the construct tree, e.g. `dashboard` or `grafana`. */
  readonly key: string;
  readonly host: string;
  /** What it is, for the application's name. */
  readonly title: string;
  /** The addresses let through. */
  readonly sources: readonly string[];
  /** Who they are, for the policy's name. */
  readonly who: string;
}

export interface AdminEdgeAccessProps {
  /** Environment name, for the applications' and the policies' names. */
  readonly environment: string;
  readonly zoneId: string;
  readonly hosts: readonly AdminOnlyHost[];
}

/**
 * Keeps admin-only hosts (the Coolify dashboard with its API, realtime and web terminal; the
 * monitoring UIs) to their admins at Cloudflare's edge, for environments whose records Cloudflare
 * proxies. Behind the proxy the origin sees only Cloudflare's addresses, so the proxy's allow lists
 * cannot tell an admin from anyone else; Cloudflare still sees the visitor's address. A Cloudflare
 * Access application per host lets requests from its sources through untouched (a `bypass` policy:
 * no login, so the Terraform provider and deploy calls work) and denies every other request, since
 * Access denies what no policy allows. The applications are scoped to the zone, per environment, so
 * environments sharing a zone do not share them.
 */
export class AdminEdgeAccess extends Construct {
  readonly applications: ZeroTrustAccessApplication[];

  constructor(scope: Construct, id: string, { environment, zoneId, hosts }: AdminEdgeAccessProps) {
    super(scope, id);
    this.applications = hosts.map(
      ({ key, host, title, sources, who }) =>
        new ZeroTrustAccessApplication(this, key, {
          zoneId,
          name: `${title} (${environment})`,
          domain: host,
          type: ACCESS_APPLICATION_TYPE_SELF_HOSTED,
          policies: [{ name: `${environment} ${who}`, decision: ACCESS_DECISION_BYPASS, include: sources.map((ip) => ({ ip: { ip } })) }],
        }),
    );
  }
}
