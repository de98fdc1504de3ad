/**
 * What the fake Coolify API does to a compose service's storages, as coollabsio/coolify v4.3.9 does
 * (bootstrap/helpers/parsers.php serviceParser, app/Models/LocalFileVolume.php,
 * app/Actions/Service/DeleteService.php, app/Models/Service.php deleteConfigurations): the parser
 * records named volumes and binds, a start creates what is missing, and a delete removes the named
 * volumes (unless `delete_volumes=false`) and the service's own directory, keeping absolute binds.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { filesAt, service, writeAt } from "../fixtures/twin/applications";
import { changeTwin, readTwin, type TwinAnswer, twinAnswer } from "../fixtures/twin/coolify-twin";

const COMPOSE = [
  "services:",
  "  db:",
  "    image: postgres:17",
  "    volumes: ['pg_Data:/var/lib/postgresql/data', './init:/docker-entrypoint-initdb.d', '/srv/exports/:/exports', '/var/run/docker.sock:/var/run/docker.sock']",
  "volumes:",
  "  pg_Data: {}",
].join("\n");

describe("the twin's service storages, created, started and deleted as Coolify does", () => {
  const state = mkdtempSync(join(tmpdir(), "service-twin-"));
  const call = (action: string, body: Record<string, unknown> = {}, params: Record<string, string> = {}, query = ""): TwinAnswer => {
    const answer = twinAnswer(state, { action, params, query: new URLSearchParams(query), body, canReadSensitive: true });
    if (!answer) throw new Error(`no behaviour for ${action}`);
    return answer;
  };
  let services = 0;
  const created = (): string => {
    services += 1;
    const project = (call("ProjectController::create_project", { name: `shop-${services}` }).body as { uuid: string }).uuid;
    const body = {
      project_uuid: project,
      server_uuid: readTwin(state).servers[0].uuid,
      environment_name: "production",
      docker_compose_raw: Buffer.from(COMPOSE).toString("base64"),
      instant_deploy: true,
    };
    return (call("ServicesController::create_service", body).body as { uuid: string }).uuid;
  };
  /** Each of the container's mounts with what it holds, after the container wrote one file into each. */
  const written = (uuid: string): Record<string, Record<string, string> | undefined> => {
    changeTwin(state, (twin) => {
      const found = service(twin, uuid);
      if (!found) throw new Error("no service");
      for (const mount of ["/var/lib/postgresql/data", "/docker-entrypoint-initdb.d", "/exports"]) writeAt(twin, found, "db", mount, "f", mount);
    });
    return disk();
  };
  const disk = () => {
    const twin = readTwin(state);
    return { ...twin.disks?.[twin.servers[0].uuid].volumes, ...twin.disks?.[twin.servers[0].uuid].directories };
  };

  it("records a named volume as `<uuid>_<slug>`, a relative bind in the service's directory, an absolute one as it is, and not the Docker socket", () => {
    const uuid = created();
    const found = service(readTwin(state), uuid);
    expect(found?.storages).toEqual([
      { container: "db", kind: "volume", name: `${uuid}_pg-data`, mount_path: "/var/lib/postgresql/data" },
      { container: "db", kind: "bind", fs_path: `/data/coolify/services/${uuid}/init`, mount_path: "/docker-entrypoint-initdb.d" },
      { container: "db", kind: "bind", fs_path: "/srv/exports", mount_path: "/exports" },
    ]);
    expect(found && filesAt(readTwin(state), found, "db", "/var/lib/postgresql/data")).toEqual({});
    // GET /services/{uuid} answers as before: the storages are not a column of the service.
    expect(call("ServicesController::service_by_uuid", {}, { uuid }).body).not.toHaveProperty("storages");
  });

  it("on delete removes the named volume and the service's directory, and keeps the absolute bind's files", () => {
    const uuid = created();
    expect(written(uuid)).toMatchObject({
      [`${uuid}_pg-data`]: { f: "/var/lib/postgresql/data" },
      [`/data/coolify/services/${uuid}/init`]: { f: "/docker-entrypoint-initdb.d" },
      "/srv/exports": { f: "/exports" },
    });
    expect(call("ServicesController::delete_by_uuid", {}, { uuid }).status).toBe(200);
    const left = disk();
    expect(left).not.toHaveProperty(`${uuid}_pg-data`);
    expect(left).not.toHaveProperty(`/data/coolify/services/${uuid}/init`);
    expect(left["/srv/exports"]).toMatchObject({ f: "/exports" });
  });

  it("keeps the named volume and the directory when the request says delete_volumes=false and delete_configurations=false", () => {
    const uuid = created();
    written(uuid);
    call("ServicesController::delete_by_uuid", {}, { uuid }, "delete_volumes=false&delete_configurations=false");
    expect(disk()).toMatchObject({
      [`${uuid}_pg-data`]: { f: "/var/lib/postgresql/data" },
      [`/data/coolify/services/${uuid}/init`]: { f: "/docker-entrypoint-initdb.d" },
    });
  });
});
