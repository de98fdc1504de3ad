import { ZeroTrustAccessApplication } from "@cdktf/provider-cloudflare/lib/zero-trust-access-application";
import { Construct } from "constructs";
import { ACCESS_APPLICATION_TYPE_SELF_HOSTED, ACCESS_DECISION_BYPASS } from "../../catalog/cloudflare";

export interface DashboardEdgeAccessProps {
  /** Environment name, for the application's and the policy's names. */
  readonly environment: string;
  readonly zoneId: string;
  /** The instance domain, e.g. `coolify.example.com`. */
  readonly host: string;
  /** The addresses let through: the admins and the deploy runner. */
  readonly sources: readonly string[];
}

/**
 * Keeps the dashboard, its API, realtime and web terminal to the admins and the deploy runner at
 * Cloudflare's edge, for environments whose records Cloudflare proxies. Behind the proxy the origin
 * sees only Cloudflare's addresses, so the proxy's allow list cannot tell an admin from anyone else;
 * Cloudflare still sees the visitor's address. A Cloudflare Access application on the dashboard host
 * lets requests from `sources` through untouched (a `bypass` policy: no login, so the Terraform
 * provider and the deploy webhooks work) and denies every other request, since Access denies what no
 * policy allows. It is scoped to the zone, one per environment, so environments sharing a zone do
 * not share it.
 */
export class DashboardEdgeAccess extends Construct {
  readonly application: ZeroTrustAccessApplication;

  constructor(scope: Construct, id: string, { environment, zoneId, host, sources }: DashboardEdgeAccessProps) {
    super(scope, id);
    this.application = new ZeroTrustAccessApplication(this, "application", {
      zoneId,
      name: `Coolify dashboard (${environment})`,
      domain: host,
      type: ACCESS_APPLICATION_TYPE_SELF_HOSTED,
      policies: [
        {
          name: `${environment} admins and deploy runner`,
          decision: ACCESS_DECISION_BYPASS,
          include: sources.map((ip) => ({ ip: { ip } })),
        },
      ],
    });
  }
}
