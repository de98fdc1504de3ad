/** Server types Hetzner no longer sells are refused with their successor named (issue 11, item 8). */
import { HETZNER_SERVER_TYPES, ORDERABLE_SERVER_TYPE_NAMES, RETIRED_SERVER_TYPES } from "../../catalog/hetzner";
import { copyOf, live, trial } from "../fixtures/config";
import { problemsOf } from "../support/config";

const orderable = ORDERABLE_SERVER_TYPE_NAMES.join(", ");

describe("retired Hetzner server types", () => {
  it("are cx22-cx52 and cpx11-cpx51, each with a successor that can be ordered", () => {
    expect(Object.keys(RETIRED_SERVER_TYPES).sort()).toEqual(["cpx11", "cpx21", "cpx31", "cpx41", "cpx51", "cx22", "cx32", "cx42", "cx52"]);
    for (const { successor, orderableUntil } of Object.values(RETIRED_SERVER_TYPES)) {
      expect(ORDERABLE_SERVER_TYPE_NAMES).toContain(successor);
      expect(HETZNER_SERVER_TYPES[successor]).toBeDefined();
      expect(orderableUntil).toBe("2025-12-31");
    }
  });

  it("are refused as the environment's type and as a server's, with environment, field, successor and what is allowed", () => {
    const retiredLive = {
      ...copyOf(live),
      hetzner: { ...live.hetzner, serverType: "cx22" },
      servers: live.servers.map((server) => (server.serverType ? { ...server, serverType: "cpx31" } : server)),
    };
    expect(problemsOf({ environments: [trial, retiredLive] })).toEqual([
      `environment "live": hetzner.serverType: "cx22" can no longer be ordered (Hetzner stopped selling it after 2025-12-31); use its successor "cx23" (allowed: ${orderable})`,
      `environment "live": servers[1].serverType: "cpx31" can no longer be ordered (Hetzner stopped selling it after 2025-12-31); use its successor "cpx32" (allowed: ${orderable})`,
    ]);
  });

  it("leave the current generation alone", () => {
    expect(problemsOf({ environments: [trial, live] })).toEqual([]);
  });
});
