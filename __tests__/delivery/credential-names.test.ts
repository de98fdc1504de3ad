/**
 * Every credential the documentation and the workflows name reaches Terraform under a name a stack
 * declares as a variable (after tools/ci-secrets.ts lower-cases what follows `TF_VAR_`) or a
 * provider reads from its own environment variable; a documented name that maps to nothing would
 * make rotation as documented change nothing.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { exampleConfig } from "../../config";
import type { EnvironmentConfig } from "../../config/schema";
import { environmentModel } from "../../model/environment";
import { AppsStack } from "../../stacks/apps-stack";
import { InfraStack } from "../../stacks/infra-stack";
import { DEPLOY_SECRETS, PLAN_SECRETS } from "../../tools/ci-secrets";
import { sandbox, showcase } from "../fixtures/config";
import { synthStack } from "../support/synth";

const ROOT = join(__dirname, "..", "..");

const filesUnder = (dir: string, ending: RegExp): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? filesUnder(join(dir, entry.name), ending) : ending.test(entry.name) ? [join(dir, entry.name)] : [],
      )
    : [];

/** Variables declared by the stacks of every example and fixture environment. */
const declaredVariables = (): Set<string> => {
  const names = new Set<string>();
  for (const env of [...exampleConfig.environments, showcase, sandbox] as EnvironmentConfig[]) {
    const app = Testing.app();
    const model = environmentModel(env);
    const infra = new InfraStack(app, `${env.name}-infra`, { environment: model });
    const apps = new AppsStack(app, `${env.name}-apps`, { environment: model, infra });
    for (const stack of [infra, apps]) for (const name of Object.keys(synthStack(stack).tf.variable ?? {})) names.add(name);
  }
  return names;
};

/** Credentials named in a text: `TF_VAR_…` names (a `<placeholder>` or a trailing `_…` stands for any part) and `secrets.NAME`. */
const namedCredentials = (text: string): string[] => [
  ...[...text.matchAll(/\bTF_VAR_[A-Za-z0-9_]*(?:<[A-Za-z]+>[A-Za-z0-9_]*)*/g)].map((m) => m[0]),
  ...[...text.matchAll(/\bsecrets\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]),
];

/** The secrets the workflows hand over by name, and the variables a provider or the state backend reads from them (tools/ci-secrets.ts). */
const CI_SECRETS = [...PLAN_SECRETS, ...DEPLOY_SECRETS];
const PROVIDER_VARIABLES = new Set(CI_SECRETS.map((secret) => secret.variable));
/**
 * Names of the GitHub platform itself, and the outputs bucket's key, which the deploy hands to
 * tools/publish-outputs.ts as AWS_* (see docs/delivery.md): not credentials of a stack.
 */
const PLATFORM_SECRETS = new Set(["GITHUB_TOKEN", "OUTPUTS_ACCESS_KEY_ID", "OUTPUTS_SECRET_ACCESS_KEY"]);

describe("credential names in docs and workflows", () => {
  const declared = declaredVariables();

  const mapsToSomething = (name: string): boolean => {
    if (PLATFORM_SECRETS.has(name)) return true;
    if (!name.startsWith("TF_VAR_")) return PROVIDER_VARIABLES.has(name) || CI_SECRETS.some((secret) => secret.name === name);
    const rest = name.slice("TF_VAR_".length);
    // `TF_VAR_` alone and `TF_VAR_<name>` speak of the convention, not of one variable.
    if (rest === "" || /^<[A-Za-z]+>$/.test(rest)) return true;
    const pattern = new RegExp(
      `^${rest
        .toLowerCase()
        .split(/<[a-z]+>/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".+")}${rest.endsWith("_") ? ".+" : ""}$`,
    );
    return [...declared].some((variable) => pattern.test(variable));
  };

  it("each map to a variable a stack declares or to a variable a provider reads", () => {
    const files = [join(ROOT, "README.md"), ...filesUnder(join(ROOT, "docs"), /\.md$/), ...filesUnder(join(ROOT, ".github", "workflows"), /\.ya?ml$/)];
    const unmapped = files.flatMap((file) =>
      namedCredentials(readFileSync(file, "utf8"))
        .filter((name) => !mapsToSomething(name))
        .map((name) => `${file.slice(ROOT.length + 1)}: ${name}`),
    );
    expect(unmapped).toEqual([]);
    expect(files.flatMap((file) => namedCredentials(readFileSync(file, "utf8"))).length).toBeGreaterThan(20);
  });

  it("would catch the old name of the Coolify token, which no stack declares", () => {
    expect(declared.has("coolify_token")).toBe(true);
    expect(mapsToSomething("TF_VAR_COOLIFY_API_TOKEN")).toBe(false);
    expect(mapsToSomething("TF_VAR_COOLIFY_TOKEN")).toBe(true);
    expect(mapsToSomething("TF_VAR_S3_<STORAGE>_ACCESS_KEY")).toBe(true);
    expect(mapsToSomething("COOLIFY_TOKEN")).toBe(true);
    expect(mapsToSomething("COOLIFY_API_TOKEN")).toBe(false);
  });
});
