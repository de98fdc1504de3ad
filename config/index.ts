/**
 * Where the configuration comes from: the typed example environments below, or a JSON file named
 * by `PLATFORM_CONFIG` (used for generated large configurations and for trying out changes).
 */
import { readFileSync } from "node:fs";
import { production } from "./environments/production";
import { staging } from "./environments/staging";
import type { PlatformConfig } from "./types";
import { validateConfig } from "./validate";

export const exampleConfig: PlatformConfig = { environments: [staging, production] };

export const CONFIG_FILE_VARIABLE = "PLATFORM_CONFIG";

/** Reads and validates the configuration; throws `ConfigError` listing every problem. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): PlatformConfig => {
  const file = env[CONFIG_FILE_VARIABLE];
  const raw: unknown = file ? JSON.parse(readFileSync(file, "utf8")) : exampleConfig;
  return validateConfig(raw);
};
