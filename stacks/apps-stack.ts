import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { importAdopted } from "../aspects/adoption";
import { AppsSecrets } from "../constructs/coolify/apps-secrets";
import { BackupStorages } from "../constructs/coolify/backup-storages";
import { CoolifyProject } from "../constructs/coolify/coolify-project";
import { CoolifyServers } from "../constructs/coolify/coolify-servers";
import { DiscordNotifications } from "../constructs/coolify/discord-notifications";
import { platformOperations } from "../constructs/observability/observability";
import type { EnvironmentModel } from "../model/environment";
import { coolifyBackupTarget, observabilityModel } from "../model/observability";
import { coolifyProvider } from "../providers/coolify";
import type { InfraStack } from "./infra-stack";

export interface AppsStackProps {
  readonly environment: EnvironmentModel;
  /** The same environment's infra stack, which is deployed first. */
  readonly infra: InfraStack;
}

/** `<env>-apps`: what runs inside the environment's Coolify, managed through Coolify's API. */
export class AppsStack extends TerraformStack {
  constructor(scope: Construct, id: string, { environment: env, infra }: AppsStackProps) {
    super(scope, id);
    this.addDependency(infra);
    coolifyProvider(this, env.name, env.coolify.url);
    importAdopted(this, env.name, env.apps?.adopted);
    const secrets = new AppsSecrets(this);
    const servers = new CoolifyServers(this, "servers", {
      host: env.host.name,
      hostPrivateIp: env.host.privateIp,
      workers: env.servers.filter((server) => server.role === "worker"),
      workerKeyName: env.resourceName("workers"),
      secrets,
      coolifyUrl: env.coolify.url,
    });
    const storages = new BackupStorages(this, "backup-storages", {
      environment: env.name,
      storages: env.apps?.s3Storages ?? [],
      production: env.production,
      secrets,
    });
    const discord = env.apps?.notifications?.discord;
    if (discord) new DiscordNotifications(this, "notifications", { discord, secrets });
    platformOperations(this, { environment: env.name, monitoring: observabilityModel(env), coolifyBackup: coolifyBackupTarget(env), servers, secrets });
    for (const project of env.apps?.projects ?? []) {
      new CoolifyProject(this, `project-${project.name}`, {
        environment: env.name,
        production: env.production,
        project,
        servers,
        secrets,
        storages: storages.storages,
        coolifyUrl: env.coolify.url,
      });
    }
  }
}
