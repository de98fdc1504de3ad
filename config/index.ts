/**
 * Where the configuration comes from: the typed example environments below, or a JSON file named
 * by `PLATFORM_CONFIG` (used for generated large configurations and for trying out changes).
 */
import { production } from "./environments/production";
import { staging } from "./environments/staging";
import { parseConfig } from "./parse";
import { CONFIG_FILE_VARIABLE, readConfigFile } from "./read";
import type { PlatformConfig } from "./schema";

export const exampleConfig: PlatformConfig = { environments: [staging, production] };

/** Reads and parses the configuration; throws `ConfigFileError` or `ConfigError` naming every problem. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): PlatformConfig => {
  const file = env[CONFIG_FILE_VARIABLE];
  return parseConfig(file === undefined ? exampleConfig : readConfigFile(file));
};
