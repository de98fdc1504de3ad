/**
 * Every configuration value that reaches a Coolify field is checked at synth with Coolify's own
 * rule, and the example's synthesized fields pass the patterns of Coolify's contract
 * (../shared/coolify-api/contract-v4.3.9.json), read here independently of our copies.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { splitImage } from "../../catalog/coolify-validation";
import { loadConfig } from "../../config";
import type { EnvironmentConfig } from "../../config/schema";
import { environmentModel } from "../../model/environment";
import { AppsStack } from "../../stacks/apps-stack";
import { InfraStack } from "../../stacks/infra-stack";
import { copyOf, trial } from "../fixtures/config";
import { problemsOf } from "../support/config";
import { synthStack } from "../support/synth";

const CONTRACT = join(__dirname, "..", "..", "..", "shared", "coolify-api", "contract-v4.3.9.json");

/** A PHP (PCRE) pattern of the contract as a JavaScript RegExp: delimiters and `\A`/`\z` translated. */
const contractPattern = (name: string): RegExp => {
  const patterns = (JSON.parse(readFileSync(CONTRACT, "utf8")) as { validation_patterns: Record<string, string> }).validation_patterns;
  const php = patterns[name];
  const [, body, flags] = /^\/(.*)\/([a-z]*)$/s.exec(php) ?? [];
  return new RegExp(body.replace(/\\A/g, "^").replace(/\\z/g, "$"), flags);
};

/** Problems of `trial` running one application (or project) built by `app`. */
const appProblems = (app: Record<string, unknown>, project: Record<string, unknown> = {}): readonly string[] =>
  problemsOf({
    environments: [
      {
        ...copyOf(trial),
        apps: {
          projects: [
            {
              name: "shop",
              applications: [{ name: "web", ports: [3000], ...(app.kind ? {} : { kind: "docker-image", image: "nginx:1.27" }), ...app }],
              ...project,
            },
          ],
        },
      },
    ],
  }).map((problem) => problem.replace(/^environment "trial": apps\.projects\[0\]\./, ""));

describe("Coolify's rules, checked at synth", () => {
  it("health check command: sharedDataApplications() refuses |, ;, & and quotes (the example's `|| exit 1`)", () => {
    expect(appProblems({ healthCheck: { command: "wget -q --spider http://localhost/ || exit 1" } })).toEqual([
      'applications[0].healthCheck.command: application "web" in project "shop": "wget -q --spider http://localhost/ || exit 1" is refused by Coolify: a health check command may hold only letters, digits, spaces and - _ . / : = @ , + (no |, ;, &, quotes or redirections; e.g. curl -fsS http://localhost/health)',
    ]);
    expect(appProblems({ healthCheck: { command: "curl -fsS http://localhost:3000/health" } })).toEqual([]);
  });

  it("health check path: letters, digits and / - _ . ~ % , ;", () => {
    expect(appProblems({ healthCheck: { path: "/health?full=1" } })).toEqual([
      'applications[0].healthCheck.path: application "web" in project "shop": "/health?full=1" is refused by Coolify: a health check path may hold only letters, digits and / - _ . ~ % , ;',
    ]);
  });

  it("image repository: ValidationPatterns::DOCKER_IMAGE_NAME_PATTERN (lowercase)", () => {
    expect(appProblems({ image: "ghcr.io/Acme/Web:1.0" })).toEqual([
      'applications[0].image: application "web" in project "shop": "ghcr.io/Acme/Web" is refused by Coolify: an image repository of lowercase letters, digits and separators, optionally behind a registry host (e.g. ghcr.io/acme/web)',
    ]);
  });

  it("image tag: ValidationPatterns::DOCKER_IMAGE_TAG_PATTERN (no leading dot or dash)", () => {
    expect(appProblems({ image: "nginx:-rc" })).toEqual([
      'applications[0].image: application "web" in project "shop": tag "-rc" is refused by Coolify: a tag of at most 128 letters, digits, _ . - that does not start with . or - (e.g. 1.4.2)',
    ]);
  });

  it("environment variable key: ValidationPatterns::ENVIRONMENT_VARIABLE_KEY_PATTERN (dots allowed, dashes not)", () => {
    expect(appProblems({ env: { "spring.profile": "live" } })).toEqual([]);
    expect(appProblems({ env: { "MY-KEY": "x" } })).toEqual([
      'applications[0].env.MY-KEY: application "web" in project "shop": "MY-KEY" is refused by Coolify: a variable name starts with a letter or underscore and holds only letters, digits, underscores and dots',
    ]);
  });

  it("git branch: app/Rules/ValidGitBranch.php (no .., //, shell characters; not ending in / or .)", () => {
    const git = { kind: "public-git", repository: "https://github.com/acme/web.git" };
    expect(appProblems({ ...git, branch: "release/2.0" })).toEqual([]);
    expect(appProblems({ ...git, branch: "feature..x" })).toEqual([
      'applications[0].branch: application "web" in project "shop": "feature..x" is refused by Coolify: a branch may not contain .. or // nor start or end with / or .',
    ]);
    expect(appProblems({ ...git, branch: "fix#1" })).toEqual([
      'applications[0].branch: application "web" in project "shop": "fix#1" is refused by Coolify: a branch may hold only letters, digits and - _ / .',
    ]);
  });

  it("base directory: ValidationPatterns::DIRECTORY_PATH_PATTERN", () => {
    const git = { kind: "public-git", repository: "https://github.com/acme/web.git" };
    expect(appProblems({ ...git, baseDirectory: "/apps/my web" })).toEqual([
      'applications[0].baseDirectory: application "web" in project "shop": "/apps/my web" is refused by Coolify: a directory starting with / holding only letters, digits and . _ - / ~ @ +',
    ]);
  });

  it("build pack: App\\Enums\\BuildPackTypes", () => {
    const git = { kind: "public-git", repository: "https://github.com/acme/web.git" };
    expect(appProblems({ ...git, buildPack: "heroku" })).toEqual([
      'applications[0].buildPack: application "web" in project "shop": "heroku" is not a known build pack (allowed: nixpacks, dockerfile, static, railpack)',
    ]);
  });

  it("S3 bucket names: ValidationPatterns::isValidS3BucketName (no .-, not an IPv4 address)", () => {
    const withBucket = (bucket: string) =>
      problemsOf({
        environments: [{ ...copyOf(trial), apps: { projects: [], s3Storages: [{ name: "dumps", provider: "hetzner", location: "hel1", bucket }] } }],
      });
    expect(withBucket("acme-dumps")).toEqual([]);
    expect(withBucket("acme.-dumps")).toEqual([
      'environment "trial": apps.s3Storages[0].bucket: "acme.-dumps" is refused by Coolify: 3-63 lowercase letters, digits, dots and dashes, starting and ending with a letter or digit, no .. .- -. and not an IPv4 address',
    ]);
    expect(withBucket("192.168.1.10")).toHaveLength(1);
  });

  it("project name and description: ProjectController's nameRules (3 characters at least) and descriptionRules", () => {
    expect(appProblems({}, { name: "ab" })).toEqual(['name: "ab" is shorter than the 3 characters Coolify requires of a project name']);
    expect(appProblems({}, { description: "Shop <main>" })).toEqual([
      `description: "Shop <main>" is refused by Coolify: a description may hold letters, digits, spaces and - _ . , ! ? ( ) ' " + = * @ / &`,
    ]);
  });

  it("splits image references the way Coolify stores them", () => {
    expect(splitImage("nginx:1.27")).toEqual({ name: "nginx", tag: "1.27" });
    expect(splitImage("registry.local:5000/acme/web")).toEqual({ name: "registry.local:5000/acme/web" });
    expect(splitImage("registry.local:5000/acme/web:v1")).toEqual({ name: "registry.local:5000/acme/web", tag: "v1" });
    const digest = "a".repeat(64);
    expect(splitImage(`nginx@sha256:${digest}`)).toEqual({ name: "nginx@sha256", tag: digest });
  });
});

describe("the example's synthesized apps stacks", () => {
  const resources = (env: EnvironmentConfig) => {
    const app = Testing.app();
    const model = environmentModel(env);
    const infra = new InfraStack(app, `${env.name}-infra`, { environment: model });
    return synthStack(new AppsStack(app, `${env.name}-apps`, { environment: model, infra })).tf.resource;
  };

  it("send only values that pass the patterns of Coolify's contract", () => {
    const imageName = contractPattern("DOCKER_IMAGE_NAME_PATTERN");
    const imageTag = contractPattern("DOCKER_IMAGE_TAG_PATTERN");
    const envKey = contractPattern("ENVIRONMENT_VARIABLE_KEY_PATTERN");
    const bucket = contractPattern("S3_BUCKET_NAME_PATTERN");
    const directory = contractPattern("DIRECTORY_PATH_PATTERN");
    let checked = 0;
    for (const env of loadConfig().environments) {
      const tf = resources(env);
      for (const application of Object.values(tf.coolify_application_docker_image ?? {})) {
        const { name, tag } = splitImage(String(application.docker_image));
        expect(name).toMatch(imageName);
        if (tag !== undefined) expect(tag).toMatch(imageTag);
        checked++;
      }
      for (const variable of Object.values(tf.coolify_environment_variable ?? {})) {
        expect(String(variable.key)).toMatch(envKey);
        checked++;
      }
      for (const storage of Object.values(tf.coolify_s3_storage ?? {})) {
        expect(String(storage.bucket)).toMatch(bucket);
        checked++;
      }
      for (const type of ["coolify_application", "coolify_application_private_git", "coolify_application_dockerfile", "coolify_application_docker_image"]) {
        for (const application of Object.values(tf[type] ?? {})) {
          if (application.base_directory !== undefined) expect(String(application.base_directory)).toMatch(directory);
          if (application.ports_exposes !== undefined) expect(String(application.ports_exposes)).toMatch(/^(\d+)(,\d+)*$/);
          if (application.health_check_command !== undefined) expect(String(application.health_check_command)).toMatch(/^[a-zA-Z0-9 \-_./:=@,+]+$/);
          if (application.health_check_path !== undefined) expect(String(application.health_check_path)).toMatch(/^[a-zA-Z0-9/\-_.~%,;]+$/);
          if (application.health_check_type !== undefined) expect(["http", "cmd"]).toContain(application.health_check_type);
          if (application.build_pack !== undefined) expect(["nixpacks", "static", "dockerfile", "dockercompose", "railpack"]).toContain(application.build_pack);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
