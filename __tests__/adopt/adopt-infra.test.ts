/**
 * `npm run adopt-infra` against the Hetzner and Cloudflare stand-in (cloud-stand-in.ts) holding a
 * production host built by hand (infra-fixture.ts): the import id each provider's importer takes,
 * the configuration values the host fixes, what the first apply adds and changes in place, the
 * synthesized import blocks; and each bad answer in one line with the file unchanged.
 */
import { readFileSync } from "node:fs";
import { TerraformResource, Testing } from "cdktf";
import { parseConfig } from "../../config/parse";
import { environmentModel } from "../../model/environment";
import { InfraStack } from "../../stacks/infra-stack";
import { adoptInfra } from "../../tools/adopt-infra";
import { fileWith } from "../support/app";
import type { CloudStandIn } from "./cloud-stand-in";
import { CLOUDFLARE_TOKEN, HCLOUD_TOKEN, handBuiltWorld, IDS, productionEnvironment, ZONE_ID } from "./infra-fixture";

describe("npm run adopt-infra (Hetzner and Cloudflare stand-in)", () => {
  let world: CloudStandIn;
  const configFile = () => fileWith(`${JSON.stringify({ environments: [productionEnvironment()] }, null, 2)}\n`);
  const run = (file: string, tokens: { hetzner?: string; cloudflare?: string } = {}) =>
    adoptInfra({
      config: file,
      environment: "production",
      hetznerToken: tokens.hetzner ?? HCLOUD_TOKEN,
      cloudflareToken: tokens.cloudflare ?? CLOUDFLARE_TOKEN,
      hetznerUrl: world.hetznerUrl,
      cloudflareUrl: world.cloudflareUrl,
    });

  beforeEach(async () => {
    world = await handBuiltWorld();
    await world.start();
  });
  afterEach(() => world.stop());

  it("writes each existing resource's import id, the host's type, location and volume size, and says what the first apply adds and changes", async () => {
    const file = configFile();
    const keys = productionEnvironment().sshPublicKeys;
    const adminKey = keys.find((key) => key.purpose === "admin")?.name;
    const adopted = await run(file);
    const written = JSON.parse(readFileSync(file, "utf8")).environments[0];
    expect(written.adoptedInfra).toEqual({
      "coolify/server": String(IDS.server),
      "coolify/ipv4": String(IDS.ipv4),
      "coolify/ipv6": String(IDS.ipv6),
      "coolify/volume": String(IDS.volume),
      "firewall/firewall": String(IDS.firewall),
      [`ssh-keys/${adminKey}`]: String(IDS.adminKey),
      "dns/dashboard-a": `${ZONE_ID}/rec-dash-a`,
      "dns/dashboard-aaaa": `${ZONE_ID}/rec-dash-aaaa`,
      "dns/wildcard-a": `${ZONE_ID}/rec-wild-a`,
      "dns/wildcard-aaaa": `${ZONE_ID}/rec-wild-aaaa`,
      "dns/spf": `${ZONE_ID}/rec-spf`,
    });
    expect([written.hetzner, written.servers]).toEqual([
      { location: "nbg1", serverType: "ccx23", image: "ubuntu-24.04" },
      [{ name: "coolify", role: "coolify-host", volumeSizeGb: 80 }],
    ]);
    expect(adopted.configChanges).toEqual([
      'hetzner.location: "fsn1" → "nbg1" (as production-coolify is)',
      'hetzner.serverType: "ccx13" → "ccx23" (as production-coolify is)',
      "servers.coolify.volumeSizeGb: 50 → 80 (as production-coolify is)",
    ]);
    const byPath = Object.fromEntries(adopted.resources.map((resource) => [resource.path, resource]));
    // Production's protections go on in place, from the first apply.
    expect(byPath["coolify/server"].inPlace).toEqual(
      expect.arrayContaining(["delete_protection false → true", "rebuild_protection false → true", expect.stringMatching(/^labels \{\} → /)]),
    );
    expect(byPath["coolify/ipv4"].inPlace).toEqual(
      expect.arrayContaining(['name "primary_ip-91001" → "production-coolify-ipv4"', "delete_protection false → true", "auto_delete true → false"]),
    );
    expect(byPath["coolify/volume"].inPlace).toEqual(expect.arrayContaining(["delete_protection false → true"]));
    expect(byPath["firewall/firewall"].inPlace).toEqual(
      expect.arrayContaining([expect.stringMatching(/^rules: the configuration's \d+ rules replace the 2 it has$/)]),
    );
    expect(byPath["dns/dashboard-a"].inPlace).toEqual(['comment null → "managed by cdktf (production)"']);
    expect(
      adopted.resources
        .filter((resource) => resource.added)
        .map((resource) => resource.path)
        .sort(),
    ).toEqual(
      [
        "coolify-bootstrap/bootstrap",
        "dns/caa-issue",
        "dns/caa-issuewild",
        "dns/dmarc",
        "private-network/placement-group",
        ...keys.filter((key) => key.name !== adminKey).map((key) => `ssh-keys/${key.name}`),
      ].sort(),
    );

    // The synth turns each into an import block with that id.
    const env = parseConfig(JSON.parse(readFileSync(file, "utf8"))).environments[0];
    const stack = new InfraStack(Testing.app(), "production-infra", { environment: environmentModel(env) });
    const tf = JSON.parse(Testing.synth(stack)) as {
      import?: { to: string; id: string }[];
      resource: Record<string, Record<string, { delete_protection?: boolean; lifecycle?: { prevent_destroy?: boolean } }>>;
    };
    // Production's protections hold on imported resources from the first apply.
    for (const type of ["hcloud_server", "hcloud_primary_ip", "hcloud_volume"]) {
      for (const resource of Object.values(tf.resource[type])) expect(resource.delete_protection).toBe(true);
    }
    for (const type of ["hcloud_primary_ip", "hcloud_volume"]) {
      for (const resource of Object.values(tf.resource[type])) expect(resource.lifecycle?.prevent_destroy).toBe(true);
    }
    const paths = new Map(
      stack.node
        .findAll()
        .filter((node): node is TerraformResource => node instanceof TerraformResource)
        .map((node) => [`${node.terraformResourceType}.${stack.getLogicalId(node)}`, node.node.path.replace("production-infra/", "")]),
    );
    const imports = (tf.import ?? []).map(({ to, id }) => [paths.get(to), id]);
    expect(Object.fromEntries(imports)).toEqual(written.adoptedInfra);
  });

  it("keeps an adopted server's addresses and networks out of the plan (hcloud's updatePublicNet would power it off and delete its primary IP); a created server keeps them", async () => {
    const file = configFile();
    await run(file);
    const synthServer = (adopted: boolean) => {
      const raw = JSON.parse(readFileSync(file, "utf8"));
      const env = parseConfig(adopted ? raw : { environments: [productionEnvironment()] }).environments[0];
      const tf = JSON.parse(Testing.synth(new InfraStack(Testing.app(), "production-infra", { environment: environmentModel(env) }))) as {
        resource: Record<string, Record<string, { lifecycle?: { ignore_changes?: string[] } }>>;
      };
      return Object.values(tf.resource.hcloud_server)[0].lifecycle?.ignore_changes ?? [];
    };
    expect(synthServer(true)).toEqual(expect.arrayContaining(["public_net", "network"]));
    expect(synthServer(false)).not.toEqual(expect.arrayContaining(["public_net"]));
  });

  describe("a bad answer stops it with one line naming the call and what to do, and writes nothing", () => {
    const cases: [string, (w: CloudStandIn) => { hetzner?: string; cloudflare?: string } | undefined, RegExp][] = [
      ["401 from Hetzner", () => ({ hetzner: "wrong" }), /^GET \/v1\/servers\?name=production-coolify: HTTP 401: the token was refused: .* set HCLOUD_TOKEN$/],
      [
        "403 from Cloudflare",
        () => ({ cloudflare: "wrong" }),
        /^GET \/client\/v4\/zones\?name=example\.com: HTTP 403: the token lacks Zone:Read or DNS:Read on this zone: add them to it$/,
      ],
      [
        "404 from Hetzner",
        (w) => {
          w.faults.set(`/v1/volumes/${IDS.volume}`, { status: 404, body: '{"error":{"code":"not_found"}}' });
          return undefined;
        },
        /^GET \/v1\/volumes\/5150: HTTP 404: not found: check the Hetzner Cloud API address$/,
      ],
      [
        "500 from Hetzner",
        (w) => {
          w.faults.set("/v1/firewalls", { status: 503, body: "{}" });
          return undefined;
        },
        /^GET \/v1\/firewalls\?name=production-coolify: HTTP 503: Hetzner Cloud failed: run the command again later$/,
      ],
      [
        "malformed JSON",
        (w) => {
          w.faults.set("/v1/servers", { status: 200, body: "<html>login</html>" });
          return undefined;
        },
        /^GET \/v1\/servers\?name=production-coolify: the answer is not JSON \("<html>login<\/html>"\): check that the address is Hetzner Cloud's API, not a proxy's page$/,
      ],
      [
        "a field missing",
        (w) => {
          w.faults.set("/v1/servers", { status: 200, body: '{"servers":[{"id":1,"name":"production-coolify"}]}' });
          return undefined;
        },
        /^GET \/v1\/servers\?name=production-coolify: the answer lacks what the adoption needs \(\.servers\[0\]\.status: .*\): report it with the answer's fields$/,
      ],
      [
        "no server by the configured name",
        (w) => {
          w.hetzner.servers[0].name = "coolify-by-hand";
          return undefined;
        },
        /^GET \/v1\/servers\?name=production-coolify: no server named "production-coolify": rename the hand-built server/,
      ],
      [
        "a primary IP by the configured name that the server does not use",
        (w) => {
          w.hetzner.primary_ips.push({ ...w.hetzner.primary_ips[0], id: 99, name: "production-coolify-ipv4", assignee_id: null });
          return undefined;
        },
        /^GET \/v1\/primary_ips\?name=production-coolify-ipv4: production-coolify-ipv4 is not the ipv4 address production-coolify uses/,
      ],
    ];
    it.each(cases)("%s", async (_name, arrange, line) => {
      const file = configFile();
      const before = readFileSync(file, "utf8");
      const tokens = arrange(world);
      const error = await run(file, tokens).then(
        () => undefined,
        (thrown: Error) => thrown,
      );
      expect(error?.message.split("\n")).toEqual([expect.stringMatching(line)]);
      expect(readFileSync(file, "utf8")).toBe(before);
    });

    it("cannot reach the API", async () => {
      const file = configFile();
      const before = readFileSync(file, "utf8");
      world.stop();
      await expect(run(file)).rejects.toThrow(/^GET \/v1\/servers\?name=production-coolify: cannot reach Hetzner Cloud \(.*\): check this machine's network$/);
      expect(readFileSync(file, "utf8")).toBe(before);
    });
  });
});
