import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CDN_CURL_PATH } from "../../constructs/bootstrap/coolify-bootstrap";
import { describeWithTools, findTool } from "../support/tools";
import { FAKE_RELEASE, RELEASE_DIR } from "./harness";

const CDN = "https://cdn.coollabs.io/coolify";

describeWithTools("cdn-curl.sh, the installer's curl", { bash: findTool("bash"), curl: findTool("curl") }, () => {
  const dir = mkdtempSync(join(tmpdir(), "cdn-curl-"));
  const files = join(dir, "cdn");
  const out = join(dir, "source");
  mkdirSync(files);
  mkdirSync(out);
  // The verified files under their CDN names, as the bootstrap links them.
  for (const file of FAKE_RELEASE.files) writeFileSync(join(files, file.cdnName), readFileSync(join(RELEASE_DIR, file.path)));

  const curl = (...args: string[]) => {
    const result = spawnSync("bash", [CDN_CURL_PATH, ...args], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", CDN_CURL_FILES: files, CDN_CURL_REAL: findTool("curl") ?? "curl" },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
  };

  it("answers install.sh's versions.json request on stdout (coollabsio/coolify v4.3.9 scripts/install.sh line 321)", () => {
    const result = curl("-L", "--silent", `${CDN}/versions.json`);

    expect(result.code).toBe(0);
    expect(result.stdout).toEqual(readFileSync(join(RELEASE_DIR, "versions.json")));
  });

  it("writes each file install.sh and upgrade.sh download to their -o path, byte for byte (install.sh lines 777-785, upgrade.sh 60-66)", () => {
    for (const file of FAKE_RELEASE.files) {
      const target = join(out, file.cdnName);

      const result = curl("-fsSL", "-L", `${CDN}/${file.cdnName}`, "-o", target);

      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout.length).toBe(0);
      expect(readFileSync(target)).toEqual(readFileSync(join(RELEASE_DIR, file.path)));
    }
  });

  it("refuses any other file of the CDN the way curl -f fails, writing nothing", () => {
    for (const url of [`${CDN}/install-latest.sh`, `${CDN}/../coolify/upgrade.sh`, "https://cdn.coollabs.io/other/upgrade.sh", `${CDN}/`]) {
      const target = join(out, "refused");

      const result = curl("-fsSL", "-L", url, "-o", target);

      expect(result.code).toBe(22);
      expect(result.stderr).toBe(`curl: (22) ${url}: not a file of the verified Coolify release; refused\n`);
      expect(existsSync(target)).toBe(false);
    }
  });

  it("refuses options it does not implement for the CDN instead of ignoring them", () => {
    const result = curl("-fsSL", "-H", "Range: bytes=0-1", `${CDN}/versions.json`);

    expect(result.code).toBe(22);
    expect(result.stderr).toBe(
      `curl: (22) ${CDN}/versions.json: option '-H' is not supported for Coolify's CDN, which the bootstrap serves from the verified release\n`,
    );
  });

  it("passes every other URL, with its arguments, to the real curl", () => {
    const source = join(dir, "elsewhere.txt");
    writeFileSync(source, "from elsewhere\n");
    const target = join(out, "elsewhere.txt");

    expect(curl("-fsS", `file://${source}`).stdout.toString()).toBe("from elsewhere\n");
    expect(curl("-fsSL", "-o", target, `file://${source}`).code).toBe(0);
    expect(readFileSync(target, "utf8")).toBe("from elsewhere\n");
    const missing = curl("-fsS", `file://${join(dir, "missing")}`);
    expect(missing.code).toBe(37);
  });
});
