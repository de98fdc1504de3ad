import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { dashboardUrl } from "../config/naming";
import type { EnvironmentConfig } from "../config/schema";
import { AppsSecrets } from "../constructs/coolify/apps-secrets";
import { BackupStorages } from "../constructs/coolify/backup-storages";
import { CoolifyProject } from "../constructs/coolify/coolify-project";
import { CoolifyServers } from "../constructs/coolify/coolify-servers";
import { DiscordNotifications } from "../constructs/coolify/discord-notifications";
import { coolifyProvider } from "../providers/coolify";
import type { InfraStack } from "./infra-stack";

export interface AppsStackProps {
  readonly env: EnvironmentConfig;
  /** The same environment's infra stack: worker addresses come from it, and it is deployed first. */
  readonly infra: InfraStack;
}

/** `<env>-apps`: what runs inside the environment's Coolify, managed through Coolify's API. */
export class AppsStack extends TerraformStack {
  constructor(scope: Construct, id: string, { env, infra }: AppsStackProps) {
    super(scope, id);
    this.addDependency(infra);
    coolifyProvider(this, env);
    const secrets = new AppsSecrets(this);
    const workerIps = new Map(
      env.servers.flatMap((server, index) => {
        const ip = infra.servers[index].privateIp;
        return server.role === "worker" && ip ? [[server.name, ip] as const] : [];
      }),
    );
    const servers = new CoolifyServers(this, "servers", { env, workerIps, secrets });
    const storages = new BackupStorages(this, "backup-storages", { env, secrets });
    const discord = env.apps?.notifications?.discord;
    if (discord) new DiscordNotifications(this, "notifications", { discord, secrets });
    for (const project of env.apps?.projects ?? []) {
      new CoolifyProject(this, `project-${project.name}`, {
        env,
        project,
        servers,
        secrets,
        storageUuids: storages.uuids,
        coolifyUrl: dashboardUrl(env),
      });
    }
  }
}
