import type { EnvironmentConfig, SshPublicKey } from "../../config/schema";
import { copyOf, DEPLOY_KEYS, FIXTURE_KEYS, fixtureConfig, live, sandbox, showcase, trial } from "../fixtures/config";
import { problemsOf } from "../support/config";

const ECDSA_KEY =
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBPyiYE/+NL1oqdUxjOiuAMHLvm8OlGbt5OvyPoUrJEGzxklZJ/CvbzDSwQVcsfgQPWh6N/aA61YjaONyDHDCFHY= host@trial";

/** Problems of a configuration holding one changed copy of `trial`. */
const problemsWith = (change: (env: EnvironmentConfig) => unknown): readonly string[] => problemsOf({ environments: [change(copyOf(trial))] });

describe("an environment's configuration", () => {
  it("accepts the fixture configuration", () => {
    expect(problemsOf(fixtureConfig)).toEqual([]);
  });

  it.each<[string, (env: EnvironmentConfig) => unknown, string]>([
    [
      "unknown location",
      (e) => ({ ...e, hetzner: { ...e.hetzner, location: "fra1" } }),
      'hetzner.location: "fra1" is not a known Hetzner location (allowed: fsn1, nbg1, hel1, ash, hil, sin)',
    ],
    [
      "unknown image",
      (e) => ({ ...e, hetzner: { ...e.hetzner, image: "windows-2022" } }),
      'hetzner.image: "windows-2022" is not a known Hetzner image (allowed: ubuntu-22.04, ubuntu-24.04, debian-12, debian-13)',
    ],
    [
      "server type not sold at the location",
      (e) => ({ ...e, hetzner: { ...e.hetzner, serverType: "cx33" } }),
      'hetzner.serverType: "cx33" is not sold in ash (available in: fsn1, nbg1, hel1)',
    ],
    [
      "server type override not sold at the location",
      (e) => ({ ...e, servers: [{ name: "main", role: "coolify-host", serverType: "cax11" }] }),
      'servers[0].serverType: "cax11" is not sold in ash (available in: fsn1, nbg1, hel1)',
    ],
    ["malformed domain", (e) => ({ ...e, domain: "Trial.Corp.test" }), 'domain: "Trial.Corp.test" is not a lowercase domain name like staging.example.com'],
    ["domain outside the zone", (e) => ({ ...e, domain: "trial.corp.example" }), 'domain: "trial.corp.example" is not inside the Cloudflare zone "corp.test"'],
    ["non-boolean proxied", (e) => ({ ...e, dns: { ...e.dns, proxied: "yes" } }), 'dns.proxied: must be true or false, got "yes"'],
    ["CIDR with host bits", (e) => ({ ...e, adminCidrs: ["192.0.2.7/28"] }), 'adminCidrs[0]: "192.0.2.7/28" has host bits set; the network is 192.0.2.0/28'],
    ["no admin CIDRs", (e) => ({ ...e, adminCidrs: [] }), "adminCidrs: must have at least 1 item"],
    [
      "private key instead of public",
      (e) => ({ ...e, sshPublicKeys: [{ ...DEPLOY_KEYS.trial, publicKey: "-----BEGIN OPENSSH PRIVATE KEY-----" }] }),
      "sshPublicKeys[0].publicKey: is a private key; put the public key (the .pub file) here",
    ],
    [
      "two keys in one entry",
      (e) => ({ ...e, sshPublicKeys: [{ ...DEPLOY_KEYS.trial, publicKey: `${FIXTURE_KEYS[0].publicKey}\n${FIXTURE_KEYS[1].publicKey}` }] }),
      "sshPublicKeys[0].publicKey: holds more than one key; give each key an entry of its own",
    ],
    ["no SSH host key", (e) => ({ ...e, sshHostKey: undefined }), "sshHostKey: must be a non-empty string, got undefined"],
    [
      "SSH host key given as its private half",
      (e) => ({ ...e, sshHostKey: "-----BEGIN OPENSSH PRIVATE KEY-----" }),
      "sshHostKey: is a private key; put the public key (the .pub file) here",
    ],
    [
      "SSH host key of a type cloud-init does not get as the ed25519 key",
      (e) => ({ ...e, sshHostKey: ECDSA_KEY }),
      "sshHostKey: must be an ssh-ed25519 public key (ssh-keygen -t ed25519): cloud-init installs it as the ed25519 host key",
    ],
    [
      "duplicate SSH key names",
      (e) => ({ ...e, sshPublicKeys: [DEPLOY_KEYS.trial, FIXTURE_KEYS[0], { ...FIXTURE_KEYS[1], name: "alice" }] }),
      'sshPublicKeys[2].name: duplicate SSH key name "alice"',
    ],
    [
      "one key under two names",
      (e) => ({ ...e, sshPublicKeys: [DEPLOY_KEYS.trial, FIXTURE_KEYS[0], { ...FIXTURE_KEYS[0], name: "alice-laptop" }] }),
      expect.stringMatching(
        /^sshPublicKeys\[2\]\.publicKey: is the same key \(SHA256:[A-Za-z0-9+/]{43}\) as "alice"; Hetzner accepts each key once$/,
      ) as unknown as string,
    ],
    [
      "an SSH key without its purpose",
      (e) => ({ ...e, sshPublicKeys: [{ name: "ci", publicKey: DEPLOY_KEYS.trial.publicKey }] }),
      "sshPublicKeys[0].purpose: is missing: set a key purpose (allowed: deploy, coolify-workers, admin)",
    ],
    [
      "no deploy key, only a person's",
      (e) => ({ ...e, sshPublicKeys: [FIXTURE_KEYS[0]] }),
      'sshPublicKeys: has no key with purpose "deploy": add the key the bootstrap and CI log in with (its private half is TF_VAR_COOLIFY_SSH_PRIVATE_KEY), generated for this environment',
    ],
    [
      "three deploy keys",
      (e) => ({ ...e, sshPublicKeys: [DEPLOY_KEYS.trial, { ...DEPLOY_KEYS.live, name: "ci-next" }, { ...DEPLOY_KEYS.spare, name: "ci-old" }] }),
      'sshPublicKeys: has 3 keys with purpose "deploy"; one is allowed, two while rotating it (the one in use and its successor)',
    ],
    [
      "three coolify-workers keys",
      (e) => ({
        ...e,
        sshPublicKeys: [
          DEPLOY_KEYS.trial,
          ...[DEPLOY_KEYS.live, DEPLOY_KEYS.spare, FIXTURE_KEYS[1]].map((key, i) => ({ ...key, name: `workers-${i}`, purpose: "coolify-workers" })),
        ],
      }),
      'sshPublicKeys: has 3 keys with purpose "coolify-workers"; one is allowed, two while rotating it (the one in use and its successor)',
    ],
    ["Coolify version not pinned", (e) => ({ ...e, coolify: { version: "latest" } }), 'coolify.version: "latest" is not a Coolify v4 version like 4.3.9'],
    ["duplicate server names", (e) => ({ ...e, servers: [...e.servers, { name: "main", role: "worker" }] }), 'servers[1].name: duplicate server name "main"'],
    [
      "no Coolify host",
      (e) => ({ ...e, servers: [{ name: "w1", role: "worker" }] }),
      'servers: must contain exactly one server with role "coolify-host", found 0',
    ],
    [
      "more servers than a spread placement group holds",
      (e) => ({
        ...e,
        servers: [...e.servers, ...["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].map((suffix) => ({ name: `worker-${suffix}`, role: "worker" }))],
      }),
      "servers: has 11 servers; at most 10 are allowed: with workers, every server joins the environment's spread placement group, which holds 10 (Hetzner's limit)",
    ],
    [
      "two Coolify hosts",
      (e) => ({ ...e, servers: [...e.servers, { name: "second", role: "coolify-host" }] }),
      'servers: must contain exactly one server with role "coolify-host", found 2',
    ],
    [
      "unknown server role",
      (e) => ({ ...e, servers: [...e.servers, { name: "db", role: "database" }] }),
      'servers[1].role: "database" is not a known server role (allowed: coolify-host, worker)',
    ],
    [
      "server name ending in a dash",
      (e) => ({ ...e, servers: [{ name: "main-", role: "coolify-host" }] }),
      'servers[0].name: "main-" is not a server name (lowercase letters, digits, dashes; starts with a letter, no dash at the end; at most 30)',
    ],
    [
      "volume on a worker",
      (e) => ({ ...e, servers: [...e.servers, { name: "w1", role: "worker", volumeSizeGb: 20 }] }),
      "servers[1].volumeSizeGb: only the Coolify host takes a data volume (it holds /data/coolify and Docker's data); on a worker nothing would use it",
    ],
    [
      "volume too small",
      (e) => ({ ...e, servers: [{ name: "main", role: "coolify-host", volumeSizeGb: 5 }] }),
      "servers[0].volumeSizeGb: 5 must be a whole number from 10 to 10240",
    ],
    [
      "standard label overridden",
      (e) => ({ ...e, labels: { environment: "prod" } }),
      "labels.environment: is set automatically and cannot be overridden (reserved: environment, role, managed-by)",
    ],
    [
      "invalid label value",
      (e) => ({ ...e, labels: { team: "platform team" } }),
      'labels.team: value "platform team" is not a valid Hetzner label value (alphanumeric at both ends, -_. inside, at most 63 characters)',
    ],
    ["production flag not a boolean", (e) => ({ ...e, production: "yes" }), 'production: must be true or false, got "yes"'],
    ["missing hetzner block", (e) => ({ ...e, hetzner: undefined }), "hetzner: must be an object, got undefined"],
    [
      "mistyped key",
      (e) => ({ ...e, dns: { zone: "corp.test", proxy: true } }),
      'dns: unknown key "proxy" (did you mean "proxied"? allowed: zone, proxied, mail)',
    ],
  ])("rejects %s", (_case, change, message) => {
    expect(problemsWith(change)).toEqual([expect.stringMatching(/^environment "trial": /)]);
    expect(problemsWith(change)[0].replace('environment "trial": ', "")).toEqual(message);
  });

  it("rejects a bad environment name and duplicate environments", () => {
    expect(problemsOf({ environments: [{ ...trial, name: "trial-" }] })).toEqual([
      'environments[0].name: "trial-" is not an environment name (lowercase letters, digits, dashes; starts with a letter, no dash at the end; at most 20)',
    ]);
    expect(problemsOf({ environments: [trial, { ...live, name: "trial", domain: "other.corp.test" }] })).toContain(
      'environments[1].name: duplicate environment name "trial"',
    );
  });

  it("rejects a configuration without environments, and unknown top-level keys", () => {
    expect(problemsOf({ environments: [] })).toEqual(["environments: must have at least 1 item"]);
    expect(problemsOf({ enviroments: [] })).toEqual([
      "environments: must be a list, got undefined",
      'configuration: unknown key "enviroments" (did you mean "environments"? allowed: $schema, environments)',
    ]);
  });

  it("reports every problem of every environment at once, grouped by environment", () => {
    const broken = { ...trial, domain: "nope", adminCidrs: ["1.2.3.4"], production: 1 };
    const alsoBroken = { ...live, hetzner: { ...live.hetzner, location: "mars" } };
    const problems = problemsOf({ environments: [alsoBroken, broken] });
    expect(problems.map((p) => p.split(":")[0])).toEqual(['environment "live"', 'environment "trial"', 'environment "trial"', 'environment "trial"']);
  });

  it("checks the parts of an environment the schema accepted when another part has a mistake", () => {
    const env = {
      ...copyOf(trial),
      adminCidrs: ["192.0.2.7/28"],
      servers: [
        { name: "main", role: "coolify-host" },
        { name: "main", role: "worker" },
      ],
    };
    expect(problemsOf({ environments: [env] })).toEqual([
      'environment "trial": adminCidrs[0]: "192.0.2.7/28" has host bits set; the network is 192.0.2.0/28',
      'environment "trial": servers[1].name: duplicate server name "main"',
    ]);
  });

  it("still checks the rest of an environment whose only mistake is a mistyped key", () => {
    const env = {
      ...copyOf(trial),
      servers: [
        { name: "main", role: "coolify-host", volumeSize: 20 },
        { name: "main", role: "worker" },
      ],
    };
    expect(problemsOf({ environments: [env] })).toEqual([
      'environment "trial": servers[0]: unknown key "volumeSize" (did you mean "volumeSizeGb"? allowed: name, role, serverType, volumeSizeGb)',
      'environment "trial": servers[1].name: duplicate server name "main"',
    ]);
  });
});

describe("names two environments must not share", () => {
  it("rejects environments whose Hetzner names coincide", () => {
    const a = { ...copyOf(trial), name: "a", domain: "a.corp.test", servers: [{ name: "b-main", role: "coolify-host" }] };
    const ab = { ...copyOf(trial), name: "a-b", domain: "ab.corp.test", sshPublicKeys: [DEPLOY_KEYS.spare] };
    expect(problemsOf({ environments: [a, ab] })).toEqual(['environment "a-b": servers[0].name: Hetzner server "a-b-main" is also created by environment "a"']);
  });

  it("rejects a DNS record another environment creates", () => {
    const other = { ...copyOf(trial), name: "other", apps: { projects: [], customDomains: ["coolify.live.corp.test"] } };
    expect(problemsOf({ environments: [live, other] })).toEqual([
      'environment "other": apps.customDomains[0]: DNS record "coolify.live.corp.test" in zone "corp.test" is also created by environment "live"',
    ]);
    expect(problemsOf({ environments: [live, { ...copyOf(live), name: "copy", sshPublicKeys: [DEPLOY_KEYS.spare, FIXTURE_KEYS[0]] }] })).toEqual(
      expect.arrayContaining(['environment "copy": domain: DNS record "*.live.corp.test" in zone "corp.test" is also created by environment "live"']),
    );
  });
});

describe("SSH keys across environments", () => {
  /** `trial` again as environment `other`, with other keys. */
  const other = (...sshPublicKeys: readonly SshPublicKey[]): EnvironmentConfig => ({
    ...copyOf(trial),
    name: "other",
    domain: "other.corp.test",
    sshPublicKeys: [...sshPublicKeys],
  });
  const sameKey = (path: string, owner: string, env = "other"): string =>
    `^environment "${env}": ${path}: is the same key \\(SHA256:[A-Za-z0-9+/]{43}\\) as ${owner}; a deploy or coolify-workers key belongs to one environment: generate one for each \\(only admin keys, a person's own, may be in several environments\\)$`;

  it("accepts a person's admin key in several environments", () => {
    expect(problemsOf({ environments: [trial, other(DEPLOY_KEYS.spare, FIXTURE_KEYS[0], FIXTURE_KEYS[1])] })).toEqual([]);
  });

  it("accepts two deploy keys in one environment while one is rotated", () => {
    expect(problemsOf({ environments: [{ ...copyOf(trial), sshPublicKeys: [DEPLOY_KEYS.trial, { ...DEPLOY_KEYS.spare, name: "ci-next" }] }] })).toEqual([]);
  });

  it("refuses a deploy key another environment holds, also under another name and comment", () => {
    const elsewhere = { name: "deploy", purpose: "deploy", publicKey: DEPLOY_KEYS.trial.publicKey.replace("fixture-deploy-trial", "ci@elsewhere") } as const;
    expect(problemsOf({ environments: [trial, other(elsewhere)] })).toEqual([
      expect.stringMatching(sameKey("sshPublicKeys\\[0\\]\\.publicKey", 'deploy key "ci" of environment "trial"')),
    ]);
  });

  it("refuses one environment's deploy key as another's admin key, and a person's key as a deploy key", () => {
    expect(problemsOf({ environments: [trial, other(DEPLOY_KEYS.spare, { ...DEPLOY_KEYS.trial, name: "ops", purpose: "admin" })] })).toEqual([
      expect.stringMatching(sameKey("sshPublicKeys\\[1\\]\\.publicKey", 'deploy key "ci" of environment "trial"')),
    ]);
    expect(problemsOf({ environments: [trial, other({ ...FIXTURE_KEYS[0], name: "ci", purpose: "deploy" })] })).toEqual([
      expect.stringMatching(sameKey("sshPublicKeys\\[0\\]\\.publicKey", 'admin key "alice" of environment "trial"')),
    ]);
  });

  it("refuses a person's key as another environment's workers' key, naming every environment that holds it", () => {
    const third = { ...other(DEPLOY_KEYS.live, { ...FIXTURE_KEYS[0], name: "workers", purpose: "coolify-workers" }), name: "third", domain: "third.corp.test" };
    expect(problemsOf({ environments: [trial, other(DEPLOY_KEYS.spare, FIXTURE_KEYS[0]), third] })).toEqual([
      expect.stringMatching(
        sameKey("sshPublicKeys\\[1\\]\\.publicKey", 'admin key "alice" of environment "trial", admin key "alice" of environment "other"', "third"),
      ),
    ]);
  });
});

describe("the richer fixtures", () => {
  it("are valid configurations", () => {
    expect(problemsOf({ environments: [showcase, sandbox] })).toEqual([]);
  });
});
