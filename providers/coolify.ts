import type { Construct } from "constructs";
import { CoolifyProvider } from "../.gen/providers/coolify/provider";
import { credentialVariable } from "./credentials";

export const COOLIFY_TOKEN_ENV = "COOLIFY_TOKEN";
export const COOLIFY_TOKEN_VARIABLE = "coolify_token";

/** The environment's own Coolify, reached at its dashboard URL with the API token the bootstrap seeded. */
export const coolifyProvider = (scope: Construct, environment: string, url: string): CoolifyProvider =>
  new CoolifyProvider(scope, "coolify", {
    endpoint: url,
    token: credentialVariable(scope, COOLIFY_TOKEN_VARIABLE, `API token of the ${environment} Coolify (or set ${COOLIFY_TOKEN_ENV})`).stringValue,
  });
