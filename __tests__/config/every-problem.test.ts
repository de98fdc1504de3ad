import { copyOf, live } from "../fixtures/config";
import { problemsOf } from "../support/config";

const problemsWith = (changes: object): readonly string[] => problemsOf({ environments: [{ ...copyOf(live), ...changes }] });

describe("one wrong type hides no other problem (issue 20 §1)", () => {
  it("reports a wrong-typed server field and the duplicate server name and oversize limit beside it", () => {
    const problems = problemsWith({
      servers: [
        { name: "main", role: "coolify-host", volumeSizeGb: "big" },
        { name: "batch", role: "worker" },
        { name: "batch", role: "worker" },
      ],
      apps: {
        projects: [
          {
            name: "store",
            applications: [
              { kind: "docker-image", name: "front", image: "nginx:1.27", ports: ["80"] },
              { kind: "docker-image", name: "back", image: "nginx:1.27", ports: [80], limits: { cpus: 64 } },
            ],
          },
        ],
      },
    });
    expect(problems).toEqual([
      'environment "live": servers[0].volumeSizeGb: "big" must be a whole number from 10 to 10240',
      'environment "live": apps.projects[0].applications[0].ports[0]: application "front" in project "store": "80" must be a whole number from 1 to 65535',
      'environment "live": servers[2].name: duplicate server name "batch"',
      expect.stringContaining('environment "live": apps.projects[0].applications[1].limits.cpus: application "back" in project "store": 64 CPUs is more than'),
    ]);
  });

  it("reports a wrong-typed label value and every other label problem", () => {
    expect(problemsWith({ labels: { team: 7, role: "x", "bad key!": "ok" } })).toEqual([
      'environment "live": labels.team: must be a non-empty string, got 7',
      'environment "live": labels.role: is set automatically and cannot be overridden (reserved: environment, role, managed-by)',
      'environment "live": labels.bad key!: is not a valid Hetzner label key (alphanumeric at both ends, -_. inside, at most 63 characters)',
    ]);
  });

  it("never crashes on a half-valid part: a server list of the wrong type leaves the other parts checked", () => {
    expect(problemsWith({ servers: "main", adminCidrs: ["0.0.0.0/1"] })).toEqual([
      'environment "live": servers: must be a list, got "main"',
      expect.stringContaining('environment "live": adminCidrs[0]: "0.0.0.0/1" is broader than /16'),
    ]);
  });
});
