/** Finding 9 of the security review: production runs images that cannot change under the same name. */
import { live } from "../fixtures/config";
import { problemsOf } from "../support/config";

const DIGEST = `@sha256:${"a".repeat(64)}`;

/** `live` with its first application's image, its first database's image and a compose app's images set. */
type Entry = Record<string, unknown>;

const liveWith = (image: string, production = true): unknown => {
  const env = JSON.parse(JSON.stringify(live)) as { apps: { projects: { applications: Entry[]; databases: Entry[] }[] } };
  const project = env.apps.projects[0];
  project.applications[0].image = image;
  project.databases[0].image = image;
  project.applications.push({ kind: "docker-compose", name: "stats", compose: `services:\n  app:\n    image: "${image}"\n` });
  return { ...env, production };
};

describe("image tags in production", () => {
  it.each([
    ["ghcr.io/fixture/front:latest", "uses the mutable tag :latest"],
    ["ghcr.io/fixture/front:edge", "uses the mutable tag :edge"],
    ["ghcr.io/fixture/front:preview", "uses the mutable tag :preview"],
    ["registry.corp.test:5000/front", "has no tag, so it means :latest"],
  ])("reject %s wherever an image is named", (image, why) => {
    const message = `"${image}" ${why}; production runs a version tag (e.g. :2.3.1) or a digest (@sha256:…)`;
    expect(problemsOf({ environments: [liveWith(image)] })).toEqual([
      `environment "live": apps.projects[0].applications[0].image: application "front" in project "store": ${message}`,
      `environment "live": apps.projects[0].applications[2].compose: application "stats" in project "store": ${message}`,
      `environment "live": apps.projects[0].databases[0].image: database "orders" in project "store": ${message}`,
    ]);
  });

  it("accept version tags and digests, and any tag outside production", () => {
    expect(problemsOf({ environments: [liveWith("registry.corp.test:5000/front:1.4.2")] })).toEqual([]);
    // A tag beside a digest is pinned, but Coolify keeps a repository and one tag or digest apart, so its own rule refuses it.
    expect(problemsOf({ environments: [liveWith(`ghcr.io/fixture/front:latest${DIGEST}`)] })).toEqual([
      'environment "live": apps.projects[0].applications[0].image: application "front" in project "store": "ghcr.io/fixture/front:latest@sha256" is refused by Coolify: an image repository of lowercase letters, digits and separators, optionally behind a registry host (e.g. ghcr.io/acme/web)',
    ]);
    expect(problemsOf({ environments: [liveWith(`ghcr.io/fixture/front${DIGEST}`)] })).toEqual([]);
    expect(problemsOf({ environments: [liveWith("ghcr.io/fixture/front:latest", false)] })).toEqual([]);
  });
});
