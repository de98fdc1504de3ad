/**
 * The local Coolify provider checks a placed import (`project_uuid:server_uuid:environment_name:uuid`)
 * against the server's resources only for an instance the twin holds, as the real provider does for
 * the resources it manages (coolify-terraform/terraform-provider-coolify v0.1.17,
 * internal/client/servers.go ValidateResourceOnServer); one the twin leaves to the mock is imported
 * as the mock imports it. Against a small stand-in API that records its calls.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CoolifyTwin } from "../../local-provider/src/coolify-twin";

describe("CoolifyTwin.checkImport", () => {
  const calls: string[] = [];
  const listed = { uuid: "host0000000000000000000a" };
  let api: Server;
  let twin: CoolifyTwin;

  beforeAll(async () => {
    api = createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      const answer =
        req.url === "/api/v1/servers"
          ? [listed]
          : req.url === `/api/v1/servers/${listed.uuid}/resources`
            ? [{ uuid: "onhost00000000000000000a", type: "application" }]
            : undefined;
      res.writeHead(answer ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(answer ?? { message: "Not found." }));
    });
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    twin = new CoolifyTwin(`http://127.0.0.1:${(api.address() as AddressInfo).port}`, "token");
  });
  afterAll(() => {
    api.closeAllConnections();
    api.close();
  });
  beforeEach(() => {
    calls.length = 0;
  });

  const placed = (server: string, uuid: string) => ({ project_uuid: "proj000000000000000000000", server_uuid: server, environment_name: "production", uuid });

  it("leaves an application on a server Coolify does not list to the mock: no check of that server's resources", async () => {
    await expect(twin.checkImport("coolify_application", placed("gone00000000000000000000", "app00000000000000000000a"))).resolves.toBeUndefined();
    expect(calls).toEqual(["GET /api/v1/servers"]);
  });

  it("refuses a twinned application that its server does not run, with the provider's message", async () => {
    await expect(twin.checkImport("coolify_application", placed(listed.uuid, "elsewhere000000000000000"))).rejects.toThrow(
      `Invalid compound import ID: elsewhere000000000000000 is not deployed on server ${listed.uuid}.`,
    );
    await expect(twin.checkImport("coolify_application", placed(listed.uuid, "onhost00000000000000000a"))).resolves.toBeUndefined();
  });
});
