/**
 * The check that `prevent_destroy` cannot make: a stateful production resource whose block was
 * deleted from the configuration has no lifecycle left to stop Terraform, so the saved plan itself
 * (`terraform show -json`) is read before it is shown or applied. A deletion or replacement of a
 * server, primary IP, volume, database or S3 storage in a production environment stops the run
 * unless the environment carries a reviewed `stateful-deletion` exception for that address; so does
 * that of a compose service whose storage Coolify deletes with it (named volumes, its own directory:
 * catalog/coolify-service-storage.ts). A service whose data is only in absolute host paths, as the
 * monitoring's (constructs/observability/compose.ts MONITORING_DATA_DIR), loses nothing on disk, and
 * provider v0.1.17 replaces a service on any change (docs/observability.md), so it passes.
 */
import { coolifyVersionAtLeast } from "../catalog/coolify";
import { lostWithService } from "../catalog/coolify-service-storage";
import type { EnvironmentConfig, GuardrailException } from "../config/schema";
import { BOOTSTRAP_RESOURCE_ID } from "../constructs/bootstrap/coolify-bootstrap";

export const STATEFUL_DELETION_RULE = "stateful-deletion";

/** What a rebuild or a deletion loses: disks, addresses that DNS and clients know, data. */
const STATEFUL_TYPES = /^(hcloud_server|hcloud_primary_ip|hcloud_volume|coolify_s3_storage|coolify_database_(?!backup$)[a-z0-9_]+)$/;

/**
 * A compose service is stateful when Coolify deletes some of its storage with it (its document before
 * the change), or when the plan does not show that document: then nothing proves it loses nothing.
 */
const statefulService = (type: string, before: unknown): boolean => {
  if (type !== "coolify_service") return false;
  const compose = (before as { docker_compose_raw?: unknown } | null | undefined)?.docker_compose_raw;
  return typeof compose !== "string" || lostWithService(compose).length > 0;
};

/** The part of `terraform show -json <saved plan>` this check reads. */
export interface SavedPlan {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly mode: string;
    readonly type: string;
    readonly change: { readonly actions: readonly string[]; readonly before?: unknown; readonly after?: unknown };
  }[];
}

export interface StatefulDeletion {
  /** `<stack>/<terraform address>`: what an exception names. */
  readonly path: string;
  readonly action: "delete" | "replace";
  readonly exception?: GuardrailException;
}

export const statefulDeletions = (plan: SavedPlan, stack: string, env: Pick<EnvironmentConfig, "production" | "guardrailExceptions">): StatefulDeletion[] => {
  if (!env.production) return [];
  return (plan.resource_changes ?? [])
    .filter(
      (change) =>
        change.mode === "managed" &&
        (STATEFUL_TYPES.test(change.type) || statefulService(change.type, change.change.before)) &&
        change.change.actions.includes("delete"),
    )
    .map((change) => {
      const path = `${stack}/${change.address}`;
      const exception = env.guardrailExceptions?.find((e) => e.rule === STATEFUL_DELETION_RULE && e.path === path);
      return { path, action: change.change.actions.includes("create") ? "replace" : "delete", ...(exception ? { exception } : {}) };
    });
};

/** The report for the run's output: one line per deletion, and how to proceed when one is blocked. */
export const describeDeletions = (deletions: readonly StatefulDeletion[]): { blocked: boolean; text: string } => {
  const blocked = deletions.filter((d) => !d.exception);
  const lines = deletions.map((d) =>
    d.exception
      ? `  - ${d.path} would be ${d.action === "replace" ? "replaced" : "deleted"}: allowed by the exception approved by ${d.exception.approvedBy} (${d.exception.reason})`
      : `  - ${d.path} would be ${d.action === "replace" ? "replaced (deleted, then created empty)" : "deleted"}`,
  );
  if (blocked.length === 0)
    return { blocked: false, text: lines.length ? `Stateful production resources changed under reviewed exceptions:\n${lines.join("\n")}` : "" };
  return {
    blocked: true,
    text: [
      `Plan refused: it would delete ${blocked.length} stateful production resource${blocked.length === 1 ? "" : "s"} (rule ${STATEFUL_DELETION_RULE}):`,
      ...lines,
      "If this is intended, add a reviewed entry to the environment's guardrailExceptions:",
      `  { rule: "${STATEFUL_DELETION_RULE}", path: "${blocked[0].path}", reason: "<why, at least 20 characters>", approvedBy: "<reviewer>" }`,
    ].join("\n"),
  };
};

const triggeredVersion = (value: unknown): string | undefined => {
  const triggers = (value as { triggers?: { coolify_version?: unknown } } | null | undefined)?.triggers;
  return typeof triggers?.coolify_version === "string" ? triggers.coolify_version : undefined;
};

/**
 * Why the saved plan must not run, when it would take the Coolify host back to an older version than
 * the last apply installed: Coolify's upgrade path runs forward only (upgrade.sh restarts the new
 * images on the database the newer version has migrated; coollabsio/coolify v4.3.10,
 * scripts/upgrade.sh lines 264-295). The bootstrap refuses it on the host as well; this stops a diff
 * or a deploy before anything runs.
 */
export const coolifyDowngrade = (plan: SavedPlan, environment: string): string | undefined => {
  const bootstrap = (plan.resource_changes ?? []).find((change) => change.mode === "managed" && change.address === `null_resource.${BOOTSTRAP_RESOURCE_ID}`);
  const [installed, planned] = [triggeredVersion(bootstrap?.change.before), triggeredVersion(bootstrap?.change.after)];
  if (!installed || !planned || coolifyVersionAtLeast(planned, installed)) return undefined;
  return `Plan refused: environment "${environment}": coolify.version ${planned} is older than Coolify ${installed}, which the last apply installed; Coolify cannot be downgraded, set coolify.version to ${installed} or later`;
};
