import type { Construct } from "constructs";
import { CoolifyProvider } from "../.gen/providers/coolify/provider";
import { dashboardUrl } from "../config/naming";
import type { EnvironmentConfig } from "../config/schema";
import { credentialVariable } from "./credentials";

export const COOLIFY_TOKEN_ENV = "COOLIFY_TOKEN";

/** The environment's own Coolify, reached at its dashboard URL with the API token the bootstrap seeded. */
export const coolifyProvider = (scope: Construct, env: EnvironmentConfig): CoolifyProvider =>
  new CoolifyProvider(scope, "coolify", {
    endpoint: dashboardUrl(env),
    token: credentialVariable(scope, "coolify_token", `API token of the ${env.name} Coolify (or set ${COOLIFY_TOKEN_ENV})`).stringValue,
  });
