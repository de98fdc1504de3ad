/**
 * Published outputs are signed (tools/publish-outputs.ts) and application repositories check the
 * signature with the exact openssl commands of docs/outputs.md, run for real: the untouched file
 * passes, a file whose deploy URL was changed in the bucket does not.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveStateStore } from "../../stacks/state-backend";
import { publishCommands, signOutputs } from "../../tools/publish-outputs";
import { describeWithTools, findTool } from "../support/tools";

const ROOT = join(__dirname, "..", "..");
const doc = readFileSync(join(ROOT, "docs", "outputs.md"), "utf8");
const shBlocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
const block = (needle: string): string => {
  const found = shBlocks.filter((b) => b.includes(needle));
  if (found.length !== 1) throw new Error(`docs/outputs.md has ${found.length} sh blocks with ${needle}`);
  return found[0];
};
const bash = (script: string, cwd: string) => spawnSync("bash", ["-euo", "pipefail", "-c", script], { cwd, encoding: "utf8" });

const OUTPUTS = {
  "production-infra": { coolify_url: "https://coolify.example.com" },
  "production-apps": { app_shop__web_deploy_url: "https://coolify.example.com/api/v1/deploy?uuid=k0w8c4" },
};

describeWithTools("signed outputs", { openssl: findTool("openssl") }, () => {
  const dir = mkdtempSync(join(tmpdir(), "outputs-signature-"));
  const file = join(dir, "outputs", "production.json");

  beforeAll(() => {
    expect(bash(block("openssl genpkey"), dir).status).toBe(0);
    mkdirSync(join(dir, "outputs"));
    writeFileSync(file, `${JSON.stringify(OUTPUTS, null, 2)}\n`);
    signOutputs(file, readFileSync(join(dir, "platform-outputs.pem"), "utf8"));
  });

  it("verify with the documented command", () => {
    const verified = bash(block("openssl pkeyutl -verify"), dir);
    expect({ status: verified.status, out: verified.stdout.trim() }).toEqual({ status: 0, out: "Signature Verified Successfully" });
  });

  it("fail the documented check once the deploy URL is changed in the bucket", () => {
    writeFileSync(file, readFileSync(file, "utf8").replace("https://coolify.example.com/api", "https://attacker.example/api"));
    const verified = bash(block("openssl pkeyutl -verify"), dir);
    expect(verified.status).not.toBe(0);
    expect(verified.stdout).toContain("Signature Verification Failure");
  });

  it("are never published without a signature, nor with a key that is not Ed25519", () => {
    const rsa = spawnSync("openssl", ["genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:1024"], { encoding: "utf8" }).stdout;
    expect(() => signOutputs(file, undefined)).toThrow("OUTPUTS_SIGNING_KEY is not set");
    expect(() => signOutputs(file, rsa)).toThrow("OUTPUTS_SIGNING_KEY is a rsa key; it must be an Ed25519 key");
    expect(() => signOutputs(file, "not a key")).toThrow("OUTPUTS_SIGNING_KEY is not a PEM private key");
    const store = resolveStateStore({ STATE_BACKEND: "hetzner", STATE_BUCKET: "acme-tf-state", STATE_LOCATION: "fsn1" });
    if (store.kind === "local") throw new Error("expected an S3 store");
    const copies = publishCommands(store, "acme-outputs", "production", "outputs/production.json").map((c) => c.args.slice(2, 4));
    expect(copies).toEqual([
      ["outputs/production.json", "s3://acme-outputs/production/outputs.json"],
      ["outputs/production.json.sig", "s3://acme-outputs/production/outputs.json.sig"],
    ]);
  });

  it("are signed by the deploy's apply job before they are uploaded or published", () => {
    const workflow = readFileSync(join(ROOT, ".github", "workflows", "deploy-stack.yml"), "utf8");
    const at = (needle: string): number => workflow.indexOf(needle);
    expect(at("publish-outputs.ts sign")).toBeGreaterThan(at('npm run outputs -- "$ENVIRONMENT"'));
    expect(at("outputs/${{ inputs.environment }}.json.sig")).toBeGreaterThan(at("publish-outputs.ts sign"));
    expect(at('publish-outputs.ts "$ENVIRONMENT"')).toBeGreaterThan(at("publish-outputs.ts sign"));
    expect(workflow).toContain("OUTPUTS_SIGNING_KEY: ${{ secrets.OUTPUTS_SIGNING_KEY }}");
  });
});
