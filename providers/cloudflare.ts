import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import type { Construct } from "constructs";
import { credentialVariable } from "./credentials";

export const CLOUDFLARE_TOKEN_ENV = "CLOUDFLARE_API_TOKEN";

export const cloudflareProvider = (scope: Construct): CloudflareProvider =>
  new CloudflareProvider(scope, "cloudflare", {
    apiToken: credentialVariable(scope, "cloudflare_api_token", `Cloudflare API token with DNS edit on the zone (or set ${CLOUDFLARE_TOKEN_ENV})`).stringValue,
  });
