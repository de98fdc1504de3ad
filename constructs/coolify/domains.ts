import type { ApplicationConfig } from "../../config/apps-types";
import { coolifyHost } from "../../config/naming";
import type { EnvironmentConfig } from "../../config/types";

/** Host names an application serves, whatever its kind. */
export const applicationHosts = (app: ApplicationConfig): string[] =>
  app.kind === "docker-compose" ? (app.domains ?? []).map((d) => d.domain) : [...(app.domains ?? [])];

/** A DNS name that needs its own record, and the server (by configuration name) it must point at. */
export interface ApplicationDnsName {
  readonly host: string;
  readonly server: string;
}

/**
 * The names the wildcard record does not serve correctly: custom domains (outside the wildcard),
 * and names of applications running on a worker (each server's proxy answers only for its own
 * applications, while the wildcard points at the Coolify host). A listed custom domain that no
 * application uses points at the Coolify host.
 */
export const applicationDnsNames = (env: EnvironmentConfig): ApplicationDnsName[] => {
  const hostServer = coolifyHost(env).name;
  const custom = new Set(env.apps?.customDomains ?? []);
  const names = new Map<string, string>();
  for (const project of env.apps?.projects ?? []) {
    for (const app of project.applications ?? []) {
      const server = app.server ?? hostServer;
      for (const host of applicationHosts(app)) {
        if (custom.has(host) || server !== hostServer) names.set(host, server);
      }
    }
  }
  for (const host of custom) if (!names.has(host)) names.set(host, hostServer);
  return [...names].map(([host, server]) => ({ host, server }));
};
