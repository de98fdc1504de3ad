/**
 * `npm run prices` against a local HTTP server that answers `GET /v1/pricing` in the shape Hetzner
 * documents (hetznercloud/hcloud-go hcloud/schema/pricing.go, `PricingGetResponse`), and with the
 * errors it can give: the catalog is rewritten on success and left byte for byte as it was otherwise.
 */
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HETZNER_PRICES_FILE, readPriceCatalog } from "../../catalog/prices";
import { costOf } from "../../cost/cost";
import { ROOT, run } from "../support/terraform";
import { TS_NODE_ARGS } from "../support/tools";

const TOKEN = "test-token-0123456789";

const money = (net: string) => ({ net, gross: (Number(net) * 1.19).toFixed(10) });
const perLocation = (net: Record<string, string>) =>
  Object.entries(net).map(([location, monthly]) => ({
    location,
    price_hourly: money((Number(monthly) / 600).toFixed(10)),
    price_monthly: money(monthly),
    included_traffic: 21990232555520,
    price_per_tb_traffic: money("1.0000000000"),
  }));

/** A pricing document as the API sends it: every field of the documented shape, amounts as decimal strings. */
const PRICING = {
  pricing: {
    currency: "EUR",
    vat_rate: "19.00",
    image: { price_per_gb_month: money("0.0143000000") },
    floating_ip: { price_monthly: money("3.0000000000") },
    floating_ips: [{ type: "ipv4", prices: [{ location: "fsn1", price_monthly: money("3.0000000000") }] }],
    primary_ips: [
      {
        type: "ipv4",
        prices: ["fsn1", "nbg1", "hel1", "ash"].map((location) => ({ location, price_hourly: money("0.0010000000"), price_monthly: money("0.7000000000") })),
      },
      { type: "ipv6", prices: ["fsn1", "nbg1"].map((location) => ({ location, price_hourly: money("0"), price_monthly: money("0") })) },
    ],
    traffic: { price_per_tb: money("0") },
    server_backup: { percentage: "20.0000000000" },
    server_types: [
      { id: 108, name: "cx33", prices: perLocation({ fsn1: "7.4900000000", nbg1: "7.4900000000", hel1: "7.4900000000" }) },
      { id: 109, name: "cx43", prices: perLocation({ fsn1: "13.9900000000", nbg1: "13.9900000000" }) },
      { id: 112, name: "cpx32", prices: perLocation({ fsn1: "14.4900000000", ash: "15.9900000000" }) },
      { id: 96, name: "ccx13", prices: perLocation({ ash: "18.9900000000" }) },
    ],
    load_balancer_types: [{ id: 1, name: "lb11", prices: perLocation({ fsn1: "7.4900000000" }) }],
    volume: { price_per_gb_month: money("0.0600000000") },
  },
};

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

describe("npm run prices against a local pricing API", () => {
  let server: Server;
  let endpoint: string;
  let answer: Answer;
  const requests: { method?: string; url?: string; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push({ method: request.method, url: request.url, headers: request.headers });
      const authorized = request.headers.authorization === `Bearer ${TOKEN}`;
      const { status, body, headers } =
        request.method !== "GET" || request.url !== "/v1/pricing"
          ? { status: 404, body: JSON.stringify({ error: { code: "not_found", message: "not found" } }), headers: {} }
          : authorized
            ? answer
            : { status: 401, body: JSON.stringify({ error: { code: "unauthorized", message: "unable to authenticate" } }), headers: {} };
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests.length = 0;
    answer = { status: 200, body: JSON.stringify(PRICING) };
  });

  const prices = async (env: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), "prices-"));
    const catalog = join(dir, "hetzner-prices.json");
    copyFileSync(HETZNER_PRICES_FILE, catalog);
    const result = await run(process.execPath, [...TS_NODE_ARGS, join(ROOT, "tools", "prices.ts"), "--catalog", catalog], {
      cwd: ROOT,
      env: { ...process.env, HCLOUD_ENDPOINT: endpoint, HCLOUD_TOKEN: TOKEN, ...env },
    });
    return { ...result, catalog };
  };
  const unchanged = (catalog: string) => expect(readFileSync(catalog, "utf8")).toBe(readFileSync(HETZNER_PRICES_FILE, "utf8"));

  it("rewrites the list for new orders and rescales from the API, every location, every row citing the API; the older list stays", async () => {
    const result = await prices({});
    expect(result.code).toBe(0);
    expect(requests).toEqual([expect.objectContaining({ method: "GET", url: "/v1/pricing" })]);
    expect(requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    const committed = readPriceCatalog();
    const catalog = readPriceCatalog(result.catalog);
    expect(catalog.lists.newOrder).toMatchObject({ origin: "hetzner-api" });
    expect(catalog.lists.running).toEqual(committed.lists.running);
    expect(catalog.serverTypes.cx33.fsn1.newOrder).toMatchObject({
      monthlyNet: 7.49,
      source: expect.stringMatching(/^Hetzner Cloud API GET \/v1\/pricing \(price_monthly, net\), fetched \d{4}-\d{2}-\d{2}$/),
    });
    expect(catalog.serverTypes.cx33.hel1.newOrder.monthlyNet).toBe(7.49);
    expect(catalog.serverTypes.cpx32.ash.newOrder.monthlyNet).toBe(15.99);
    expect(catalog.serverTypes.ccx13.ash.newOrder.monthlyNet).toBe(18.99);
    // What the API does not price keeps its hand-sourced rows; servers ordered before 2026-06-15 keep the older list.
    expect(catalog.serverTypes.cx33.fsn1.running).toEqual(committed.serverTypes.cx33.fsn1.running);
    expect(catalog.serverTypes.cpx22).toEqual(committed.serverTypes.cpx22);
    expect(Object.keys(catalog.primaryIps.ipv4)).toEqual(["fsn1", "nbg1", "hel1", "ash"]);
    expect(catalog.primaryIps.ipv4.ash.monthlyNet).toBe(0.7);
    expect(catalog.volumePerGbMonth.monthlyNet).toBe(0.06);
    expect(catalog.serverBackupPercentage.percentage).toBe(20);
    expect(catalog.loadBalancerTypes).toEqual({ lb11: { fsn1: expect.objectContaining({ monthlyNet: 7.49 }) } });
    // Object Storage is not part of /v1/pricing: its hand-sourced row stays.
    expect(catalog.objectStorageBaseMonthly).toEqual(committed.objectStorageBaseMonthly);
    // The refreshed catalog prices a server the committed one could not.
    expect(costOf([{ address: "hcloud_server.a", type: "hcloud_server", attributes: { server_type: "cpx32", location: "ash" } }], catalog).monthly).toBe(15.99);
    expect(
      costOf([{ address: "hcloud_server.a", type: "hcloud_server", attributes: { server_type: "cpx32", location: "ash" } }], committed).unpriced,
    ).toHaveLength(1);
  });

  it("without a token changes nothing and says the committed catalog is used", async () => {
    const result = await prices({ HCLOUD_TOKEN: "" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("HCLOUD_TOKEN is not set: nothing fetched; the committed catalog stays in use");
    expect(requests).toHaveLength(0);
    unchanged(result.catalog);
  });

  it("on 401 says the token was rejected and leaves the catalog", async () => {
    const result = await prices({ HCLOUD_TOKEN: "wrong" });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "npm run prices: the Hetzner pricing API rejected HCLOUD_TOKEN: 401 Unauthorized (unauthorized: unable to authenticate); use a valid API token of the project; the catalog is unchanged.",
    );
    unchanged(result.catalog);
  });

  it("on 429 says it is rate-limited and until when, and leaves the catalog", async () => {
    answer = {
      status: 429,
      body: JSON.stringify({ error: { code: "rate_limit_exceeded", message: "limit of 3600 requests per hour reached" } }),
      headers: { "RateLimit-Limit": "3600", "RateLimit-Remaining": "0", "RateLimit-Reset": "1795000000" },
    };
    const result = await prices({});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("429 Too Many Requests (rate_limit_exceeded: limit of 3600 requests per hour reached); try again later until 2026-11-18T");
    expect(result.stderr).not.toContain("    at ");
    unchanged(result.catalog);
  });

  it("on malformed JSON says so and leaves the catalog", async () => {
    answer = { status: 200, body: '{"pricing": {"currency": "EUR", "server_types": [' };
    const result = await prices({});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the Hetzner pricing API answered with something that is not its pricing document ((body):");
    unchanged(result.catalog);
  });

  it("when the API cannot be reached says where it tried and leaves the catalog", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await prices({ HCLOUD_ENDPOINT: `http://127.0.0.1:${port}/v1` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `npm run prices: could not reach the Hetzner pricing API at http://127.0.0.1:${port}/v1/pricing: Error: connect ECONNREFUSED`,
    );
    unchanged(result.catalog);
  });

  it("on a document with an amount that is not a number says which and leaves the catalog", async () => {
    const broken = structuredClone(PRICING);
    broken.pricing.server_types[0].prices[0].price_monthly.net = "n/a";
    answer = { status: 200, body: JSON.stringify(broken) };
    const result = await prices({});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the pricing API gave server type cx33 in fsn1 as "n/a", not an amount');
    unchanged(result.catalog);
  });
});
