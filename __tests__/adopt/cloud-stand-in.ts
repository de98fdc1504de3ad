/**
 * A stand-in for the Hetzner Cloud API (`/v1`) and Cloudflare's v4 API (`/client/v4`) on loopback,
 * holding resources in the shapes hcloud-go v2.35.0 decodes (hcloud/schema/*.go, the version
 * terraform-provider-hcloud v1.59.0 pins) and Cloudflare's DNS record fields as
 * terraform-provider-cloudflare v5.14.0 reads them (internal/services/dns_record/model.go). It
 * answers the list filters the adoption uses (`name`, `fingerprint`; `type` and `name` for records),
 * the single-resource reads, the updates the providers make to imported resources (PUT of name and
 * labels, `change_protection`, `set_rules`, a record's PUT) and the creates of what a hand-built
 * environment lacks (placement group, SSH key, record), and refuses any other token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sshKeyFingerprint } from "../../tools/adopt/infra-match";

/** An answer was sent. */
type Sent = true;

export type Row = Record<string, unknown> & { id: number | string };

/** Hetzner's collections by their path segment; each list answer is `{"<collection>": [...]}`. */
export const HETZNER_COLLECTIONS = {
  servers: "server",
  primary_ips: "primary_ip",
  volumes: "volume",
  firewalls: "firewall",
  placement_groups: "placement_group",
  ssh_keys: "ssh_key",
  networks: "network",
} as const;
export type HetznerCollection = keyof typeof HETZNER_COLLECTIONS;

export class CloudStandIn {
  readonly hetzner: Record<HetznerCollection, Row[]> = {
    servers: [],
    primary_ips: [],
    volumes: [],
    firewalls: [],
    placement_groups: [],
    ssh_keys: [],
    networks: [],
  };
  readonly zones: Row[] = [];
  readonly records: (Row & { zone_id: string })[] = [];
  /** Every request as `<method> <path>`, in order. */
  readonly requests: string[] = [];
  /** A status (and body) to answer the next request matching the path with, once. */
  readonly faults = new Map<string, { status: number; body: string }>();
  private server?: Server;
  private nextId = 1_000_000;
  private port = 0;

  constructor(
    readonly hetznerToken: string,
    readonly cloudflareToken: string,
  ) {}

  get hetznerUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get cloudflareUrl(): string {
    return `http://127.0.0.1:${this.port}/client/v4`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk;
      });
      request.on("end", () => this.answer(request, body, response));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): void {
    this.server?.close();
  }

  private answer(request: IncomingMessage, body: string, response: ServerResponse): Sent {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const method = request.method ?? "GET";
    this.requests.push(`${method} ${url.pathname}${url.search}`);
    const send = (status: number, value: unknown): Sent => {
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(typeof value === "string" ? value : JSON.stringify(value));
      return true;
    };
    const fault = this.faults.get(`${url.pathname}${url.search}`) ?? this.faults.get(url.pathname);
    if (fault) {
      this.faults.delete(`${url.pathname}${url.search}`);
      this.faults.delete(url.pathname);
      return send(fault.status, fault.body);
    }
    const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    if (url.pathname.startsWith("/v1/")) {
      if (request.headers.authorization !== `Bearer ${this.hetznerToken}`)
        return send(401, { error: { code: "unauthorized", message: "unable to authenticate" } });
      return this.hetznerAnswer(method, url, parsed, send);
    }
    if (url.pathname.startsWith("/client/v4/")) {
      if (request.headers.authorization !== `Bearer ${this.cloudflareToken}`) {
        return send(403, { success: false, errors: [{ code: 9109, message: "Unauthorized to access requested resource" }], result: null });
      }
      return this.cloudflareAnswer(method, url, parsed, send);
    }
    return send(404, { error: { code: "not_found", message: "not found" } });
  }

  private hetznerAnswer(method: string, url: URL, body: Record<string, unknown>, send: (status: number, value: unknown) => Sent): Sent {
    const [, , collection, id, actions, action] = url.pathname.split("/");
    const kind = HETZNER_COLLECTIONS[collection as HetznerCollection];
    if (!kind) return send(404, { error: { code: "not_found", message: "not found" } });
    const rows = this.hetzner[collection as HetznerCollection];
    if (id === undefined && method === "POST") {
      // hcloud-go <Kind>CreateRequest: what the stack creates here is a placement group or an SSH key.
      const row: Row = { labels: {}, created: new Date(0).toISOString(), ...body, id: this.nextId++ };
      if (collection === "placement_groups") row.servers = [];
      if (collection === "ssh_keys") row.fingerprint = sshKeyFingerprint(String(body.public_key));
      rows.push(row);
      return send(201, { [kind]: row, action: null });
    }
    if (id === undefined) {
      const filters = [...url.searchParams].filter(([key]) => key === "name" || key === "fingerprint");
      const found = rows.filter((row) => filters.every(([key, value]) => row[key] === value));
      return send(200, { [collection]: found, meta: { pagination: { page: 1, per_page: 25, total_entries: found.length } } });
    }
    const row = rows.find((candidate) => String(candidate.id) === id);
    if (!row) return send(404, { error: { code: "not_found", message: `${kind} with ID ${id} not found` } });
    if (method === "GET" && actions === undefined) return send(200, { [kind]: row });
    if (method === "PUT" && actions === undefined) {
      // hcloud-go <Kind>UpdateRequest: name, labels and, for a primary IP, auto_delete.
      for (const key of ["name", "labels", "auto_delete"]) if (body[key] !== undefined) row[key] = body[key];
      return send(200, { [kind]: row });
    }
    if (method === "POST" && actions === "actions" && action === "change_protection") {
      const protection = { ...(row.protection as Record<string, boolean>) };
      for (const key of ["delete", "rebuild"]) if (typeof body[key] === "boolean") protection[key] = body[key] as boolean;
      row.protection = protection;
      return send(201, { action: { id: this.requests.length, command: "change_protection", status: "success" } });
    }
    if (method === "POST" && actions === "actions" && action === "set_rules" && collection === "firewalls") {
      row.rules = body.rules;
      return send(201, { actions: [{ id: this.requests.length, command: "set_firewall_rules", status: "success" }] });
    }
    return send(404, { error: { code: "not_found", message: "not found" } });
  }

  private cloudflareAnswer(method: string, url: URL, body: Record<string, unknown>, send: (status: number, value: unknown) => Sent): Sent {
    const ok = (result: unknown) => send(200, { success: true, errors: [], messages: [], result });
    const parts = url.pathname.split("/");
    if (parts.length === 4 && parts[3] === "zones") return ok(this.zones.filter((zone) => zone.name === url.searchParams.get("name")));
    const [, , , zones, zoneId, records, recordId] = parts;
    if (zones !== "zones" || records !== "dns_records" || !this.zones.some((zone) => zone.id === zoneId)) {
      return send(404, { success: false, errors: [{ code: 7003, message: "Could not route to the zone" }], result: null });
    }
    const inZone = this.records.filter((record) => record.zone_id === zoneId);
    const now = new Date(Date.UTC(2026, 11, 3, this.requests.length)).toISOString();
    if (recordId === undefined && method === "POST") {
      const record = {
        proxied: false,
        tags: [],
        settings: {},
        meta: {},
        ...body,
        id: `rec-${this.nextId++}`,
        zone_id: zoneId,
        proxiable: true,
        created_on: now,
        modified_on: now,
      };
      this.records.push(record);
      return ok(record);
    }
    if (recordId === undefined) {
      const [type, name] = [url.searchParams.get("type"), url.searchParams.get("name")];
      return ok(inZone.filter((record) => (type === null || record.type === type) && (name === null || record.name === name)));
    }
    const record = inZone.find((candidate) => candidate.id === recordId);
    if (!record) return send(404, { success: false, errors: [{ code: 81044, message: "Record does not exist." }], result: null });
    if (method === "PUT") {
      // Cloudflare stamps a record it changes, and its comment when that changes.
      const stamps = body.comment !== record.comment ? { modified_on: now, comment_modified_on: now } : { modified_on: now };
      Object.assign(record, body, stamps, { id: record.id, zone_id: record.zone_id });
    }
    return ok(record);
  }
}
