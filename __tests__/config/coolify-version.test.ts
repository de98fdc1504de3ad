import { Testing } from "cdktf";
import { COOLIFY_RELEASE_FILES, COOLIFY_RELEASE_SHA256, COOLIFY_VERSION, coolifyVersionAtLeast, RESOURCE_MIN_COOLIFY_VERSION } from "../../catalog/coolify";
import { loadConfig } from "../../config";
import { coolifyResourcesUsed } from "../../config/rules";
import type { EnvironmentConfig } from "../../config/schema";
import { environmentModel } from "../../model/environment";
import { AppsStack } from "../../stacks/apps-stack";
import { InfraStack } from "../../stacks/infra-stack";
import { copyOf, sandbox, showcase } from "../fixtures/config";
import { problemsOf } from "../support/config";
import { synthStack } from "../support/synth";

const problemsAt = (env: EnvironmentConfig, version: string): readonly string[] => problemsOf({ environments: [{ ...copyOf(env), coolify: { version } }] });

/** Resource types in the synthesized apps stack of `env`. */
const appsResourceTypes = (env: EnvironmentConfig): string[] => {
  const app = Testing.app();
  const model = environmentModel(env);
  const infra = new InfraStack(app, `${env.name}-infra`, { environment: model });
  return Object.keys(synthStack(new AppsStack(app, `${env.name}-apps`, { environment: model, infra })).tf.resource);
};

/** Checksums of a mirrored release, as an environment's `coolify.release.sha256` lists them. */
const mirrorSums = Object.fromEntries(COOLIFY_RELEASE_FILES.map((file, i) => [file.path, i.toString(16).repeat(64)])) as Record<
  (typeof COOLIFY_RELEASE_FILES)[number]["path"],
  string
>;

describe("the Coolify version an environment pins", () => {
  it("follows the provider's comparison: a -beta.N suffix is dropped", () => {
    expect(coolifyVersionAtLeast("4.0.0-beta.420", "4.1.0")).toBe(false);
    expect(coolifyVersionAtLeast("4.1.0-beta.3", "4.1.0")).toBe(true);
    expect(coolifyVersionAtLeast("4.3.9", "4.3.0")).toBe(true);
    expect(coolifyVersionAtLeast("4.2.10", "4.3.0")).toBe(false);
  });

  it("is rejected below the provider's floor, naming the floor and the version to use", () => {
    expect(problemsAt(sandbox, "4.0.0-beta.420")).toEqual([
      `environment "trial": coolify.version: "4.0.0-beta.420" is below 4.1.0, the oldest Coolify the Coolify provider (v0.1.17) configures against (pre-release suffixes such as -beta.N do not count); use ${COOLIFY_VERSION}`,
    ]);
  });

  it("names every resource in use that needs a newer Coolify, and why", () => {
    expect(problemsAt(showcase, "4.1.5")).toEqual([
      'environment "live": coolify.version: "4.1.5" has no release checksums in catalog/coolify.ts (known: 4.3.8, 4.3.9, 4.3.10); add the SHA-256 of each release file at tag v4.1.5 (scripts/install.sh, versions.json, docker-compose.yml, docker-compose.prod.yml, .env.production, scripts/upgrade.sh, scripts/upgrade-postgres.sh), or set coolify.release.sha256',
      'environment "live": coolify.version: "4.1.5" is too old for workers: they need Coolify 4.2.0 or later (workers are validated and get Docker through POST /servers/{uuid}/validate, which 4.1 does not have)',
      'environment "live": coolify.version: "4.1.5" is too old for apps.s3Storages: coolify_s3_storage needs Coolify 4.3.0 or later (the S3 storages API appeared in Coolify 4.3.0)',
      'environment "live": coolify.version: "4.1.5" is too old for apps.s3Storages: coolify_s3_storage_validate needs Coolify 4.3.0 or later (the S3 storages API appeared in Coolify 4.3.0)',
      'environment "live": coolify.version: "4.1.5" is too old for apps.notifications.discord: coolify_notification_discord needs Coolify 4.3.0 or later (the notifications API appeared in Coolify 4.3.0)',
    ]);
    expect(problemsOf({ environments: [{ ...copyOf(showcase), coolify: { version: "4.3.0", release: { sha256: mirrorSums } } }] })).toEqual([]);
  });

  it("runs only release files whose checksums the repository keeps: a version without them needs them in its configuration", () => {
    expect(problemsAt(sandbox, "4.3.7")).toEqual([
      'environment "trial": coolify.version: "4.3.7" has no release checksums in catalog/coolify.ts (known: 4.3.8, 4.3.9, 4.3.10); add the SHA-256 of each release file at tag v4.3.7 (scripts/install.sh, versions.json, docker-compose.yml, docker-compose.prod.yml, .env.production, scripts/upgrade.sh, scripts/upgrade-postgres.sh), or set coolify.release.sha256',
    ]);
    const mirrored = {
      ...copyOf(sandbox),
      coolify: { version: "4.3.7", release: { baseUrl: "https://mirror.example.com/coolify/v4.3.7", sha256: mirrorSums } },
    };
    expect(problemsOf({ environments: [mirrored] })).toEqual([]);
    expect(environmentModel(mirrored).coolify.release).toEqual({
      baseUrl: "https://mirror.example.com/coolify/v4.3.7",
      files: COOLIFY_RELEASE_FILES.map((file) => ({ ...file, sha256: mirrorSums[file.path] })),
    });
    expect(environmentModel(sandbox).coolify.release).toEqual({
      baseUrl: `https://raw.githubusercontent.com/coollabsio/coolify/v${sandbox.coolify.version}`,
      files: COOLIFY_RELEASE_FILES.map((file) => ({ ...file, sha256: COOLIFY_RELEASE_SHA256[sandbox.coolify.version][file.path] })),
    });
    // A mirror of a catalogued version keeps the catalog's checksums.
    const mirroredKnown = { ...copyOf(sandbox), coolify: { version: "4.3.9", release: { baseUrl: "https://mirror.example.com/coolify/v4.3.9" } } };
    expect(environmentModel(mirroredKnown).coolify.release.files.map((file) => file.sha256)).toEqual(Object.values(COOLIFY_RELEASE_SHA256["4.3.9"]));
  });

  it("names the release file whose checksum is missing or malformed, and a mirror URL that is not https", () => {
    const { "versions.json": _left, ...partial } = mirrorSums;
    expect(
      problemsOf({
        environments: [
          {
            ...copyOf(sandbox),
            coolify: { version: "4.3.7", release: { baseUrl: "http://mirror.example.com/", sha256: { ...partial, ".env.production": "AB" } } },
          },
        ],
      }),
    ).toEqual([
      'environment "trial": coolify.release.baseUrl: "http://mirror.example.com/" is not an https:// URL laid out like the release tag\'s tree, without a trailing /',
      'environment "trial": coolify.release.sha256.versions.json: is missing: set the SHA-256 of this release file (64 lowercase hex characters)',
      'environment "trial": coolify.release.sha256..env.production: "AB" is not a SHA-256 (64 lowercase hex characters)',
      expect.stringContaining('environment "trial": coolify.version: "4.3.7" has no release checksums in catalog/coolify.ts'),
    ]);
  });

  it("allows ClickHouse backups from the version that backs ClickHouse up", () => {
    const project = sandbox.apps?.projects[0];
    if (!project) throw new Error("sandbox has a project");
    const env: EnvironmentConfig = {
      ...copyOf(sandbox),
      apps: {
        s3Storages: [{ name: "dumps", provider: "hetzner", location: "hel1", bucket: "fixture-dumps" }],
        projects: [
          {
            ...project,
            databases: (project.databases ?? []).map((db) =>
              db.kind === "clickhouse" ? { ...db, backup: { schedule: "@daily", storage: "dumps", retention: { count: 3 } } } : db,
            ),
          },
        ],
      },
    };
    expect(problemsAt(env, "4.3.9")).toEqual([]);
    expect(problemsAt(env, "4.1.2")).toContain(
      'environment "trial": apps.projects[0].databases[4].backup: database "analytics" in project "store": Coolify 4.1.2 cannot back up clickhouse databases; backups of clickhouse need Coolify 4.2.0 or later',
    );
  });

  it("knows every version-gated resource the apps stack synthesizes, and the examples pin a version that serves them all", () => {
    for (const env of [showcase, sandbox, ...loadConfig().environments]) {
      const gated = appsResourceTypes(env).filter((type) => RESOURCE_MIN_COOLIFY_VERSION[type] !== undefined);
      expect(gated.sort()).toEqual([...coolifyResourcesUsed(env).keys()].sort());
    }
    for (const env of loadConfig().environments) {
      expect(env.coolify.version).toBe(COOLIFY_VERSION);
      expect(problemsOf({ environments: [env] })).toEqual([]);
    }
  });
});
