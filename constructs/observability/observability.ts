import { createHash } from "node:crypto";
import type { Precondition } from "cdktf";
import { Construct } from "constructs";
import { EnvsBulk } from "../../.gen/providers/coolify/envs-bulk";
import { Project } from "../../.gen/providers/coolify/project";
import { ResourceAction } from "../../.gen/providers/coolify/resource-action";
import { ScheduledTask } from "../../.gen/providers/coolify/scheduled-task";
import { Service } from "../../.gen/providers/coolify/service";
import { cloudflareR2, hetznerObjectStorage } from "../../catalog/object-storage";
import { OBSERVABILITY_IMAGES } from "../../catalog/observability";
import type { CoolifyBackupTarget, ObservabilityModel } from "../../model/observability";
import { type AppsSecrets, DISCORD_WEBHOOK_VARIABLE, s3VariableNames } from "../coolify/apps-secrets";
import type { CoolifyServers } from "../coolify/coolify-servers";
import {
  backupMinPassphrase,
  HOST_METRICS_DIR,
  monitoringCompose,
  OPERATIONS_CONTAINER,
  type OperationsScript,
  operationsCommand,
  operationsCompose,
  SERVICE_SECRETS,
  workerAgentCompose,
} from "./compose";

/** The Coolify project the platform's own services live in. */
const OPERATIONS_PROJECT = "platform-operations";
const GRAFANA_PASSWORD_VARIABLE = "grafana_admin_password";
const BACKUP_PASSPHRASE_VARIABLE = "coolify_backup_passphrase";
const BACKUP_METRICS_SCHEDULE = "*/5 * * * *";
const LOKI_PUSH_TOKEN_VARIABLE = "loki_push_token";
/** The push token's shape: long, and nothing that could end the string nginx compares it in (lokiGatewayConfig). */
const LOKI_PUSH_TOKEN_PATTERN = "^[A-Za-z0-9_-]{32,}$";

export interface PlatformOperationsProps {
  readonly environment: string;
  /** Absent when monitoring is off. */
  readonly monitoring?: ObservabilityModel;
  /** Absent when Coolify's own backup is not configured. */
  readonly coolifyBackup?: CoolifyBackupTarget;
  readonly servers: CoolifyServers;
  readonly secrets: AppsSecrets;
}

/** The operations of one environment, or nothing when neither monitoring nor Coolify's backup is on. */
export const platformOperations = (scope: Construct, props: PlatformOperationsProps): PlatformOperations | undefined =>
  props.monitoring || props.coolifyBackup ? new PlatformOperations(scope, "operations", props) : undefined;

/**
 * A string Terraform takes literally: its templates start at `${` and `%{`, escaped as `$${` and
 * `%%{` (developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences), so that
 * Compose's own `${VAR}` reaches Coolify untouched.
 */
const terraformLiteral = (text: string): string => text.replaceAll("${", () => "$${").replaceAll("%{", () => "%%{");

const digest = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * The platform's own services in Coolify: monitoring on the Coolify host and agents on every
 * worker, and an operations agent whose scheduled tasks back Coolify up, publish backup
 * freshness and scan the running images. Secrets reach the services as Coolify environment
 * variables from sensitive Terraform variables; each service starts once they are set.
 */
export class PlatformOperations extends Construct {
  private readonly projectUuid: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: PlatformOperationsProps,
  ) {
    super(scope, id);
    const { monitoring, coolifyBackup, secrets } = props;
    this.projectUuid = new Project(this, "project", { name: OPERATIONS_PROJECT, description: "Monitoring, backups and scans of the platform itself" }).uuid;
    const discord = (): string => secrets.value(DISCORD_WEBHOOK_VARIABLE, "Discord webhook URL for Coolify notifications, alerts and scan reports");

    if (monitoring) {
      // With workers, their log shippers push through the Loki gateway with this token.
      const pushToken: Record<string, string> = monitoring.lokiPushFromWorkers
        ? { [SERVICE_SECRETS.lokiPushToken]: secrets.value(LOKI_PUSH_TOKEN_VARIABLE, "Token the workers' log shippers push to Loki's gateway with") }
        : {};
      const pushTokenShape: Precondition[] = monitoring.lokiPushFromWorkers
        ? [
            {
              condition: `\${can(regex("${LOKI_PUSH_TOKEN_PATTERN}", var.${LOKI_PUSH_TOKEN_VARIABLE}))}`,
              errorMessage: `environment ${props.environment}: variable ${LOKI_PUSH_TOKEN_VARIABLE} must be at least 32 characters of A-Z, a-z, 0-9, _ and - (e.g. openssl rand -hex 32).`,
            },
          ]
        : [];
      this.service(
        "monitoring",
        "Prometheus, Alertmanager, Grafana, Loki and the probes",
        monitoringCompose(monitoring),
        undefined,
        {
          [SERVICE_SECRETS.discordWebhookUrl]: discord(),
          [SERVICE_SECRETS.grafanaAdminPassword]: secrets.value(GRAFANA_PASSWORD_VARIABLE, "Password of Grafana's admin user"),
          ...pushToken,
        },
        pushTokenShape,
      );
      for (const server of monitoring.servers.filter((s) => !s.isHost)) {
        this.service(`agent-${server.name}`, `metrics and log agents of ${server.name}`, workerAgentCompose(monitoring, server), server.name, pushToken);
      }
    }

    const scripts: OperationsScript[] = [
      ...(monitoring ? (["backup-metrics", "trivy-scan"] as const) : []),
      ...(coolifyBackup ? (["coolify-backup"] as const) : []),
    ];
    if (scripts.length === 0) return;
    const storage =
      coolifyBackup &&
      (coolifyBackup.storage.provider === "hetzner" ? hetznerObjectStorage(coolifyBackup.storage.location) : cloudflareR2(coolifyBackup.storage.accountId));
    const environment: Record<string, string> = {
      ENVIRONMENT: props.environment,
      METRICS_DIR: HOST_METRICS_DIR,
      ...(monitoring && {
        TRIVY_IMAGE: OBSERVABILITY_IMAGES.trivy.image,
        SCAN_MIN_SEVERITY: monitoring.securityScan.minimumSeverity,
      }),
      ...(coolifyBackup &&
        storage && {
          BACKUP_S3_ENDPOINT: storage.endpoint,
          BACKUP_S3_REGION: storage.region,
          BACKUP_S3_BUCKET: coolifyBackup.storage.bucket,
          BACKUP_PREFIX: `coolify/${props.environment}`,
        }),
    };
    const secretValues: Record<string, string> = { [SERVICE_SECRETS.discordWebhookUrl]: discord() };
    const minimumPassphrase = coolifyBackup ? backupMinPassphrase() : 0;
    if (coolifyBackup) {
      const keys = s3VariableNames(coolifyBackup.storage);
      secretValues[SERVICE_SECRETS.s3AccessKey] = secrets.value(keys.accessKey, `Access key of S3 storage ${coolifyBackup.storage.name}`);
      secretValues[SERVICE_SECRETS.s3SecretKey] = secrets.value(keys.secretKey, `Secret key of S3 storage ${coolifyBackup.storage.name}`);
      secretValues[SERVICE_SECRETS.backupPassphrase] = secrets.value(
        BACKUP_PASSPHRASE_VARIABLE,
        `Passphrase that encrypts the backup of Coolify itself (at least ${minimumPassphrase} characters)`,
      );
    }
    for (const name of Object.keys(secretValues)) environment[name] = `\${${name}}`;
    // A precondition, not a variable validation: Terraform 1.11 prints a variable's value, sensitive
    // or not, when its validation fails, and a precondition's message only.
    const passphraseLength: Precondition[] = coolifyBackup
      ? [
          {
            condition: `\${length(var.${BACKUP_PASSPHRASE_VARIABLE}) >= ${minimumPassphrase}}`,
            errorMessage: `environment ${props.environment}: variable ${BACKUP_PASSPHRASE_VARIABLE} must have at least ${minimumPassphrase} characters (the backup and restore scripts refuse a shorter one).`,
          },
        ]
      : [];
    const agent = this.service(
      "operations",
      "backups of Coolify, backup freshness and image scans",
      operationsCompose(environment, scripts),
      undefined,
      secretValues,
      passphraseLength,
    );
    const task = (script: OperationsScript, frequency: string, timeout: number): void => {
      new ScheduledTask(this, `task-${script}`, {
        name: script,
        serviceUuid: agent.uuid,
        container: OPERATIONS_CONTAINER,
        command: operationsCommand(script),
        frequency,
        timeout,
      });
    };
    if (monitoring) {
      task("backup-metrics", BACKUP_METRICS_SCHEDULE, 60);
      task("trivy-scan", monitoring.securityScan.schedule, 3600);
    }
    if (coolifyBackup) task("coolify-backup", coolifyBackup.schedule, 1800);
  }

  /** A compose service, its secret variables, and its start once they are set (again whenever the document changes). */
  private service(
    name: string,
    description: string,
    compose: string,
    server: string | undefined,
    secretValues?: Record<string, string>,
    precondition: Precondition[] = [],
  ): Service {
    const target = this.props.servers.target(server);
    const service = new Service(this, name, {
      name,
      description,
      projectUuid: this.projectUuid,
      serverUuid: target.serverUuid,
      dockerComposeRaw: terraformLiteral(compose),
      // Off, each container is on its service's own network only: Coolify's service parser gives a
      // container the document's networks (none here) and the service's `<uuid>` network, and joins
      // the destination network `coolify`, which every application shares, only when this is on
      // (coollabsio/coolify v4.3.9, bootstrap/helpers/parsers.php serviceParser `$baseNetwork`,
      // app/Actions/Service/StartService.php lines 44-50). The proxy still reaches the UIs: Coolify
      // connects `coolify-proxy` to every service's network (StartService.php line 43).
      connectToDockerNetwork: false,
      instantDeploy: false,
      dependsOn: target.dependsOn,
    });
    const variables =
      secretValues &&
      new EnvsBulk(this, `${name}-secrets`, {
        resourceType: "service",
        resourceUuid: service.uuid,
        variables: secretValues,
        lifecycle: precondition.length > 0 ? { precondition } : undefined,
      });
    new ResourceAction(this, `${name}-start`, {
      action: "restart",
      resourceType: "service",
      resourceUuid: service.uuid,
      triggers: { compose: digest(compose) },
      dependsOn: variables ? [variables] : undefined,
    });
    return service;
  }
}
