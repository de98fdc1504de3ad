/**
 * The application side of the adoption proof (adopt-plan.test.ts): what a team makes in Coolify's
 * dashboard beyond Docker image applications, made here through the API with the bodies Coolify
 * v4.3.9 takes (../shared/coolify-api): a public Git application with a scheduled task and a
 * variable, a Compose service with a domain, a variable and a scheduled task, and a private Git and a
 * Dockerfile application, which the adoption lists and leaves alone.
 */

import { keyPair } from "../../tools/new-environment";

/** One API call with the root token, its JSON answer (the test's `api`). */
export type Call = (method: string, path: string, body?: unknown) => Record<string, unknown>;

export interface ApplicationSide {
  readonly site: string;
  readonly siteTask: string;
  readonly metrics: string;
  readonly metricsTask: string;
  readonly worker: string;
  readonly staticSite: string;
}

export const METRICS_COMPOSE = "services:\n  grafana:\n    image: 'grafana/grafana:11.0.0'\n";
export const STATIC_DOCKERFILE = "FROM nginx:1.27-alpine\n";

const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

export const populateApplicationSide = (api: Call, projectUuid: string, serverUuid: string): ApplicationSide => {
  const place = { project_uuid: projectUuid, server_uuid: serverUuid, environment_name: "production", instant_deploy: false };
  const uuid = (answer: Record<string, unknown>): string => String(answer.uuid);
  const site = uuid(
    api("POST", "/applications/public", {
      ...place,
      name: "site",
      git_repository: "https://github.com/acme/site",
      git_branch: "main",
      build_pack: "nixpacks",
      ports_exposes: "3000",
      domains: "https://site.staging.example.com",
    }),
  );
  api("POST", `/applications/${site}/envs`, { key: "LOG_FORMAT", value: "json" });
  const siteTask = uuid(api("POST", `/applications/${site}/scheduled-tasks`, { name: "cleanup", command: "npm run cleanup", frequency: "0 4 * * *" }));
  const metrics = uuid(
    api("POST", "/services", {
      ...place,
      name: "metrics",
      description: "Dashboards",
      docker_compose_raw: base64(METRICS_COMPOSE),
      urls: [{ name: "grafana", url: "https://grafana.staging.example.com" }],
    }),
  );
  api("POST", `/services/${metrics}/envs`, { key: "GF_LOG_LEVEL", value: "warn" });
  const metricsTask = uuid(
    api("POST", `/services/${metrics}/scheduled-tasks`, {
      name: "vacuum",
      command: "grafana cli admin data-migration",
      frequency: "0 3 * * *",
      container: "grafana",
    }),
  );
  // The deploy key first: Coolify takes only a key of the team's (ApplicationsController::create_application).
  const deployKey = uuid(api("POST", "/security/keys", { name: "worker-deploy", private_key: keyPair("worker-deploy@acme")[0] }));
  const worker = uuid(
    api("POST", "/applications/private-deploy-key", {
      ...place,
      name: "worker",
      git_repository: "git@github.com:acme/worker.git",
      git_branch: "main",
      build_pack: "dockerfile",
      ports_exposes: "9000",
      private_key_uuid: deployKey,
    }),
  );
  const staticSite = uuid(
    api("POST", "/applications/dockerfile", {
      ...place,
      name: "static-site",
      dockerfile: base64(STATIC_DOCKERFILE),
      domains: "https://static.staging.example.com",
    }),
  );
  return { site, siteTask, metrics, metricsTask, worker, staticSite };
};

/** The import ids the adoption must write for the application side, by construct path. */
export const applicationSideImports = (
  projectUuid: string,
  serverUuid: string,
  made: ApplicationSide,
  variableUuid: (parent: string, key: string) => string,
) => ({
  "project-shop/app-site/application": `${projectUuid}:${serverUuid}:production:${made.site}`,
  "project-shop/app-site/env-LOG_FORMAT": `application:${made.site}:${variableUuid(`/applications/${made.site}`, "LOG_FORMAT")}`,
  "project-shop/app-site/task-cleanup": `application:${made.site}:${made.siteTask}`,
  "project-shop/app-metrics/service": `${projectUuid}:${serverUuid}:production:${made.metrics}`,
  "project-shop/app-metrics/env-GF_LOG_LEVEL": `service:${made.metrics}:${variableUuid(`/services/${made.metrics}`, "GF_LOG_LEVEL")}`,
  "project-shop/app-metrics/task-vacuum": `service:${made.metrics}:${made.metricsTask}`,
});
