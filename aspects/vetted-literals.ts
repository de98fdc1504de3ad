/**
 * Sensitive attributes whose literal values the platform allows on purpose. The provider marks them
 * sensitive in case they hold a secret, but the configuration keeps secrets in `{ secret }`
 * references and writes plain settings (`NODE_ENV=production`, a compose file) as they are. Their
 * literals get the configuration's secret-shape check instead of a blanket ban, so a secret written
 * out as a literal still fails the synth.
 */
import { secretLiteralProblem } from "../config/secrets";

/** Why a literal looks like a secret, or `undefined`. */
type LiteralCheck = (value: string, attributes: Readonly<Record<string, unknown>>) => string | undefined;

/** `KEY: value` and `KEY=value` settings of a compose file, e.g. under `environment:`. */
const COMPOSE_SETTING = /^[ \t-]*["']?([A-Za-z_][A-Za-z0-9_]*)["']?[ \t]*[:=][ \t]*["']?([^\s"'#][^"'#\n]*?)["']?[ \t]*$/gm;

const variableValue: LiteralCheck = (value, attributes) => {
  const problem = secretLiteralProblem(String(attributes.key), value);
  return problem && `${problem} (key ${String(attributes.key)})`;
};

/**
 * A setting that only names another variable (Compose interpolation `${NAME}`, escaped for Terraform
 * as `$${NAME}`, e.g. a Coolify `SERVICE_PASSWORD_*` variable) holds no literal secret.
 */
const COMPOSE_REFERENCE = /^\$?\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?+][^}]*)?\}$/;

const composeFile: LiteralCheck = (value) => {
  for (const [, key, setting] of value.matchAll(COMPOSE_SETTING)) {
    if (COMPOSE_REFERENCE.test(setting)) continue;
    const problem = secretLiteralProblem(key, setting);
    if (problem) return `its setting ${key}: ${problem}`;
  }
  return undefined;
};

export const VETTED_LITERALS: ReadonlyMap<string, LiteralCheck> = new Map([
  ["coolify_environment_variable.value", variableValue],
  ["coolify_shared_environment_variable.value", variableValue],
  ["coolify_service.docker_compose_raw", composeFile],
]);
