import { Construct } from "constructs";
import { Environment } from "../../.gen/providers/coolify/environment";
import { Project } from "../../.gen/providers/coolify/project";
import { DEFAULT_COOLIFY_ENVIRONMENT, type ProjectConfig } from "../../config/schema";
import type { AppsSecrets } from "./apps-secrets";
import type { BackupStorage } from "./backup-storages";
import { CoolifyApplication } from "./coolify-application";
import { CoolifyDatabase } from "./coolify-database";
import type { CoolifyServers } from "./coolify-servers";

export interface CoolifyProjectProps {
  /** The environment's name, which prefixes the names of Coolify resources. */
  readonly environment: string;
  readonly production: boolean;
  readonly project: ProjectConfig;
  readonly servers: CoolifyServers;
  readonly secrets: AppsSecrets;
  readonly storages: ReadonlyMap<string, BackupStorage>;
  readonly coolifyUrl: string;
}

/** A Coolify project with its extra environments, applications and databases. */
export class CoolifyProject extends Construct {
  constructor(scope: Construct, id: string, { environment, production, project, servers, secrets, storages, coolifyUrl }: CoolifyProjectProps) {
    super(scope, id);
    const coolifyProject = new Project(this, "project", { name: project.name, description: project.description });
    // Referencing the environment resource's name orders each resource after its environment.
    const environments = new Map<string, string>([[DEFAULT_COOLIFY_ENVIRONMENT, DEFAULT_COOLIFY_ENVIRONMENT]]);
    for (const name of project.environments ?? []) {
      environments.set(name, new Environment(this, `environment-${name}`, { name, projectUuid: coolifyProject.uuid }).name);
    }
    const placement = (resource: { readonly environment?: string; readonly server?: string }) => ({
      projectName: project.name,
      projectUuid: coolifyProject.uuid,
      environmentName: environments.get(resource.environment ?? DEFAULT_COOLIFY_ENVIRONMENT) ?? DEFAULT_COOLIFY_ENVIRONMENT,
      target: servers.target(resource.server),
    });
    for (const app of project.applications ?? []) {
      new CoolifyApplication(this, `app-${app.name}`, { ...placement(app), environment, app, secrets, coolifyUrl });
    }
    for (const database of project.databases ?? []) {
      new CoolifyDatabase(this, `db-${database.name}`, { ...placement(database), production, database, storages });
    }
  }
}
