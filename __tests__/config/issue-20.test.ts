import { parseConfig } from "../../config/parse";
import { SECRET_NAME_WORDS, secretLiteralProblem } from "../../config/secrets";
import { copyOf, live, trial } from "../fixtures/config";
import { problemsOf } from "../support/config";

const withApp = (app: object, base = trial) => ({ environments: [{ ...copyOf(base), apps: { projects: [{ name: "shop", applications: [app] }] } }] });
const git = { kind: "public-git", name: "docs", ports: [80] };
const refused = (url: string, why: string) =>
  `environment "trial": apps.projects[0].applications[0].repository: application "docs" in project "shop": ${JSON.stringify(url)} is refused by Coolify's git URL rule: ${why}`;

describe("Coolify's git URL rule (ValidGitRepositoryUrl, v4.3.9)", () => {
  const shell = "no shell or URL special characters (; | & $ ` ( ) { } [ ] < > \" ' \\ ! ? * ^ % = + #), line breaks or ../";
  it.each([
    ["https://github.com/acme/$(id).git", shell],
    ["https://github.com/acme/`id`.git", shell],
    ["https://github.com/acme/../x.git", shell],
    ["https://127.0.0.1/acme/docs.git", "an http(s) URL needs a public host name (no IP address, localhost or .local)"],
    ["https://git.local/acme/docs.git", "an http(s) URL needs a public host name (no IP address, localhost or .local)"],
  ])("refuses %s", (url, why) => {
    expect(problemsOf(withApp({ ...git, repository: url }))).toEqual([refused(url, why)]);
  });

  it("accepts a plain https URL and a git@ URL, and refuses ssh:// for a private repository", () => {
    expect(problemsOf(withApp({ ...git, repository: "https://github.com/acme/docs.git" }))).toEqual([]);
    const priv = { kind: "private-git", name: "docs", ports: [80], deployKey: { secret: "docs_key" } };
    expect(problemsOf(withApp({ ...priv, repository: "git@github.com:acme/docs.git" }))).toEqual([]);
    expect(problemsOf(withApp({ ...priv, repository: "ssh://git@github.com/acme/docs.git" }))).toEqual([
      'environment "trial": apps.projects[0].applications[0].repository: application "docs" in project "shop": "ssh://git@github.com/acme/docs.git" is not an SSH URL like git@github.com:acme/api.git',
    ]);
  });
});

describe("secret names (one list)", () => {
  it.each(["DB_PASS", "APIKEY", "SMTP_PWD", "API_KEY", "SENTRY_DSN", "MYSQL_ROOT_PASSWORD", "GPG_PASSPHRASE", "stripe.apikey"])("marks %s", (name) => {
    expect(secretLiteralProblem(name, "x")).toBe("its name marks it as a secret");
  });
  it.each(["BYPASS_CACHE", "AWS_ACCESS_KEY_ID", "KEYBOARD_LAYOUT", "PORT", "COMPASS"])("leaves %s", (name) => {
    expect(secretLiteralProblem(name, "x")).toBeUndefined();
  });
  it("catches a URL with a password and no user", () => {
    expect(secretLiteralProblem("CACHE", "redis://:hunter2@cache:6379")).toBe("its value looks like a URL with a password");
  });
  it("is one list", () => {
    expect(SECRET_NAME_WORDS.map(([word]) => word)).toEqual(expect.arrayContaining(["PASS", "PWD", "KEY", "APIKEY", "DSN"]));
  });
});

describe("the field that must change is blamed", () => {
  it("reports a custom domain another environment already has at apps.customDomains[i]", () => {
    const other = { ...copyOf(trial), apps: { customDomains: ["www.corp.test"], projects: [] } };
    expect(problemsOf({ environments: [copyOf(live), other] })).toEqual([
      'environment "trial": apps.customDomains[0]: DNS record "www.corp.test" in zone "corp.test" is also created by environment "live"',
    ]);
  });
});

describe("the value sent is the value checked", () => {
  it("trims schedules, SSH keys and exception reasons", () => {
    const env = copyOf(live);
    const parsed = parseConfig({
      environments: [
        {
          ...env,
          sshPublicKeys: env.sshPublicKeys.map((key) => ({ ...key, publicKey: ` ${key.publicKey}\n` })),
          apps: {
            ...env.apps,
            projects: [
              { name: "store", databases: [{ kind: "postgresql", name: "orders", backup: { schedule: "daily ", storage: "dumps", retention: { count: 7 } } }] },
            ],
          },
          guardrailExceptions: [{ rule: "budget", path: "live-apps/x", reason: "  a reviewed reason that is long enough  ", approvedBy: "ops" }],
        },
      ],
    });
    const [out] = parsed.environments;
    expect(out.apps?.projects[0].databases?.[0].backup?.schedule).toBe("daily");
    expect(out.sshPublicKeys.map((key) => key.publicKey)).toEqual(env.sshPublicKeys.map((key) => key.publicKey));
    expect(out.guardrailExceptions?.[0].reason).toBe("a reviewed reason that is long enough");
  });
});

describe("compose domains and scheduled tasks name services of the compose file", () => {
  it("reports a domain's service and a task's container the compose file lacks", () => {
    const app = {
      kind: "docker-compose",
      name: "docs",
      compose: "services:\n  web:\n    image: nginx:1.27\n  worker:\n    image: busybox:1.37\n",
      domains: [
        { service: "web", domain: "docs.trial.corp.test" },
        { service: "api", domain: "api.trial.corp.test" },
      ],
      scheduledTasks: [
        { name: "ok", command: "true", schedule: "daily", container: "worker" },
        { name: "gone", command: "true", schedule: "daily", container: "cron" },
      ],
    };
    const at = 'environment "trial": apps.projects[0].applications[0]';
    expect(problemsOf(withApp(app))).toEqual([
      `${at}.domains[1].service: application "docs" in project "shop": "api" is not a service of the compose file (allowed: web, worker)`,
      `${at}.scheduledTasks[1].container: application "docs" in project "shop": "cron" is not a service of the compose file (allowed: web, worker)`,
    ]);
  });
});
