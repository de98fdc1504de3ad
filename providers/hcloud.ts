import type { Construct } from "constructs";
import { HcloudProvider } from "../.gen/providers/hcloud/provider";
import { credentialVariable } from "./credentials";

export const HCLOUD_TOKEN_ENV = "HCLOUD_TOKEN";

export const hcloudProvider = (scope: Construct): HcloudProvider =>
  new HcloudProvider(scope, "hcloud", {
    token: credentialVariable(scope, "hcloud_token", `Hetzner Cloud API token (or set ${HCLOUD_TOKEN_ENV})`).stringValue,
  });
