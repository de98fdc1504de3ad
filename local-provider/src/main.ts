/**
 * Entry point: Terraform starts this program as a provider plugin. It serves one provider's
 * schema (protocol 6 over go-plugin's gRPC transport) and behaves like Terraform's `mock_provider`.
 *
 *   node main.js --schema <file> [--provider <registry address>]
 *
 * See ../README.md for the handshake, the behaviour and how tests pin values.
 */
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { makeServerCertificate } from "./certificate";
import { cloudTwin, type ProviderTwin } from "./cloud-twin";
import { CoolifyTwin, TWIN_VARIABLE } from "./coolify-twin";
import { decodeValue, encodeValue, isObject, type ObjectValue, type Value } from "./cty";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, PROTOCOL_VERSION } from "./handshake";
import {
  createdDisk,
  HCLOUD_POWER_LOG_VARIABLE,
  hcloudCreated,
  hcloudRefusal,
  hcloudServerUpdate,
  hcloudVolumeAttachRefusal,
  hcloudVolumeCreated,
  type ServerDisk,
} from "./hcloud-rules";
import { importedState } from "./import";
import { MockResources } from "./resources";
import { type ProviderSchema, pickProvider, protoProviderSchema, readSchemaFile, SchemaFileError, SERVER_CAPABILITIES } from "./schema";
import { PINS_VARIABLE, readPins } from "./values";

export interface Arguments {
  readonly schemaFile: string;
  readonly address?: string;
}

const parseArguments = (argv: readonly string[]): Arguments => {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const schemaFile = value("--schema");
  if (!schemaFile) throw new SchemaFileError("local provider: usage: main.js --schema <terraform providers schema -json file> [--provider <address>]");
  return { schemaFile, address: value("--provider") };
};

interface DynamicValue {
  readonly msgpack?: Buffer;
  readonly json?: Buffer;
}

const dynamic = (value: Value): DynamicValue => ({ msgpack: Buffer.from(encodeValue(value)) });
const read = (value: DynamicValue | null | undefined): Value => decodeValue(value?.msgpack);
const errorDiagnostic = (summary: string, detail = "") => ({ severity: 1, summary, detail });

type Handler<Request> = (request: Request) => object | Promise<object>;

/** A unary gRPC method from a plain or async function; a thrown error becomes an error diagnostic. */
const unary =
  <Request>(handler: Handler<Request>, field = "diagnostics") =>
  (call: grpc.ServerUnaryCall<Request, object>, callback: grpc.sendUnaryData<object>): void => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (response) => callback(null, response),
        (error: Error) => callback(null, { [field]: [errorDiagnostic("local provider failed", error.message)] }),
      );
  };

/**
 * A schema that cannot be served is reported where Terraform shows it: as the error diagnostic of
 * every call, naming the file or provider (Terraform does not show a plugin's stderr).
 */
const brokenProviderService = (problem: SchemaFileError, methods: readonly string[]): grpc.UntypedServiceImplementation =>
  Object.fromEntries(methods.map((method) => [method, unary(() => ({ diagnostics: [errorDiagnostic(problem.message)] }))]));

/**
 * GetProviderSchema's response as protocol buffer bytes, serialized once per schema file and kept
 * beside the compiled provider: Terraform starts a provider several times per command and asks for
 * the schema each time, and serializing Cloudflare's (1.4 MB) took about 0.2 s of each start.
 * Keyed by the file's content and the provider's address; written whole (a rename).
 */
const serializedSchema = (schemaFile: string, address: string, serialize: () => Buffer): Buffer => {
  const key = createHash("sha256").update(address).update("\0").update(readFileSync(schemaFile)).digest("hex");
  const file = join(__dirname, "..", "schema-cache", `${key}.bin`);
  try {
    return readFileSync(file);
  } catch {
    const bytes = serialize();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.${process.pid}`, bytes);
    renameSync(`${file}.${process.pid}`, file);
    return bytes;
  }
};

/**
 * What `compute` gives for a file, kept while the file keeps its size and modification time: the
 * daemon serves hundreds of instances from the same few schema files, and each would read, parse,
 * hash and serialize the Cloudflare schema (1.4 MB) again. A file that cannot be stat'ed is left to
 * `compute`, which names the problem.
 */
const keptWhileUnchanged = <T>() => {
  const memo = new Map<string, { readonly stamp: string; readonly value: T }>();
  return (file: string, key: string, compute: () => T): T => {
    let stamp: string;
    try {
      const { mtimeMs, size } = statSync(file);
      stamp = `${mtimeMs}:${size}`;
    } catch {
      return compute();
    }
    const kept = memo.get(key);
    if (kept?.stamp === stamp) return kept.value;
    const value = compute();
    memo.set(key, { stamp, value });
    return value;
  };
};

const parsedSchemas = keptWhileUnchanged<ReturnType<typeof readSchemaFile>>();
const serializedSchemas = keptWhileUnchanged<Buffer>();

/** The server's root disk from the resource's private state, or its type's disk for a server created before it was kept. */
const diskOf = (privateState: Buffer | undefined, server: ObjectValue): number | undefined => {
  if (privateState && privateState.length > 0) {
    const kept = JSON.parse(privateState.toString("utf8")) as Partial<ServerDisk>;
    if (typeof kept.disk_gb === "number") return kept.disk_gb;
  }
  return createdDisk(server.server_type ?? null);
};

const diskPrivate = (diskGb: number | undefined): Buffer | undefined =>
  diskGb === undefined ? undefined : Buffer.from(JSON.stringify({ disk_gb: diskGb } satisfies ServerDisk));

const providerService = (
  providerType: string,
  schema: ProviderSchema,
  mock: MockResources,
  schemaBytes: () => Buffer,
  twin?: ProviderTwin,
  powerLog?: string,
): grpc.UntypedServiceImplementation => {
  let schemaResponse: Buffer | undefined;
  // Each server's location by id, as this instance has seen it: a volume attaches only in its own location.
  const serverLocations = new Map<string, string>();
  const remember = (typeName: string, value: Value): void => {
    if (
      typeName === "hcloud_server" &&
      isObject(value) &&
      typeof value.location === "string" &&
      (typeof value.id === "string" || typeof value.id === "number")
    ) {
      serverLocations.set(String(value.id), value.location);
    }
  };
  const locationOf = (serverId: string): string | undefined => serverLocations.get(serverId);
  const none = () => ({ diagnostics: [] });
  const notSupported = (what: string) => () => ({ diagnostics: [errorDiagnostic(`${what} is not supported by the local provider`)] });
  return {
    GetMetadata: unary(() => ({
      server_capabilities: SERVER_CAPABILITIES,
      resources: Object.keys(schema.resource_schemas ?? {}).map((type_name) => ({ type_name })),
      data_sources: Object.keys(schema.data_source_schemas ?? {}).map((type_name) => ({ type_name })),
    })),
    GetProviderSchema: unary(() => {
      schemaResponse ??= schemaBytes();
      return schemaResponse;
    }),
    ValidateProviderConfig: unary(none),
    ValidateResourceConfig: unary(none),
    ValidateDataResourceConfig: unary(none),
    ValidateEphemeralResourceConfig: unary(none),
    ConfigureProvider: unary((request: { config?: DynamicValue }) => {
      twin?.configure(read(request.config));
      return none();
    }),
    // Same schema version as the state was written with: the stored JSON is already current.
    UpgradeResourceState: unary((request: { raw_state?: { json?: Buffer } }) => ({
      upgraded_state: { json: request.raw_state?.json ?? Buffer.from("null") },
      diagnostics: [],
    })),
    ReadResource: unary(async (request: { type_name: string; current_state?: DynamicValue; private?: Buffer }) => {
      remember(request.type_name, read(request.current_state));
      const refreshed = await twin?.read(request.type_name, read(request.current_state), schema.resource_schemas?.[request.type_name]?.block);
      return { new_state: refreshed === undefined ? request.current_state : dynamic(refreshed), private: request.private, diagnostics: [] };
    }),
    PlanResourceChange: unary(
      (request: { type_name: string; prior_state?: DynamicValue; proposed_new_state?: DynamicValue; config?: DynamicValue; prior_private?: Buffer }) => {
        const prior = read(request.prior_state);
        remember(request.type_name, prior);
        const plan = mock.plan(request.type_name, prior, read(request.proposed_new_state), read(request.config));
        const block = schema.resource_schemas?.[request.type_name]?.block;
        const { planned, requiresReplace } = twin?.plan && block ? twin.plan(request.type_name, prior, plan.planned, block, plan.requiresReplace) : plan;
        return {
          planned_state: dynamic(planned),
          requires_replace: requiresReplace.map((steps) => ({ steps: steps.map((attribute_name) => ({ attribute_name })) })),
          planned_private: request.prior_private,
          legacy_type_system: twin?.legacyTypeSystem?.(request.type_name) === true,
          diagnostics: [],
        };
      },
    ),
    ApplyResourceChange: unary(
      async (request: { type_name: string; prior_state?: DynamicValue; planned_state?: DynamicValue; config?: DynamicValue; planned_private?: Buffer }) => {
        const [prior, config] = [read(request.prior_state), read(request.config)];
        let planned = read(request.planned_state);
        let privateState = request.planned_private;
        if (providerType === "hcloud") {
          const refusal =
            hcloudRefusal(request.type_name, prior, planned) ??
            (request.type_name === "hcloud_volume" ? hcloudVolumeAttachRefusal(prior, planned, locationOf) : undefined);
          if (refusal) return { new_state: request.prior_state, private: request.planned_private, diagnostics: [errorDiagnostic(refusal)] };
          if (request.type_name === "hcloud_server" && isObject(planned)) {
            if (isObject(prior)) {
              const update = hcloudServerUpdate(prior, planned, diskOf(request.planned_private, prior));
              if (powerLog) for (const call of update.powerCalls) appendFileSync(powerLog, `${String(prior.name)}\t${call}\n`);
              privateState = diskPrivate(update.diskGb) ?? privateState;
              if (update.refusal)
                return { new_state: dynamic({ ...prior, status: update.status }), private: privateState, diagnostics: [errorDiagnostic(update.refusal)] };
              planned = { ...planned, status: update.status };
            } else {
              privateState = diskPrivate(createdDisk(planned.server_type ?? null)) ?? privateState;
            }
          }
        }
        // A twinned resource goes through the Coolify API first; what it leaves unknown is made up as for a mock.
        const applied =
          twin && (await twin.handles(request.type_name, prior, planned))
            ? await twin.apply(request.type_name, prior, planned, config, schema.resource_schemas?.[request.type_name]?.block)
            : planned;
        const ruled = providerType === "hcloud" ? hcloudVolumeCreated(prior, hcloudCreated(request.type_name, prior, applied), locationOf) : applied;
        const newState = mock.apply(request.type_name, ruled, config);
        remember(request.type_name, newState);
        return {
          new_state: dynamic(newState),
          private: privateState,
          legacy_type_system: twin?.legacyTypeSystem?.(request.type_name) === true,
          diagnostics: [],
        };
      },
    ),
    ReadDataSource: unary(async (request: { type_name: string; config?: DynamicValue }) => {
      const config = read(request.config);
      const block = schema.data_source_schemas?.[request.type_name]?.block;
      const answered = block ? await twin?.readDataSource(request.type_name, config, block) : undefined;
      return { state: dynamic(answered ?? mock.readDataSource(request.type_name, config)), diagnostics: [] };
    }),
    ImportResourceState: unary(async (request: { type_name: string; id: string }) => {
      const block = schema.resource_schemas?.[request.type_name]?.block;
      if (!block) throw new Error(`${request.type_name} is not a resource of this provider`);
      const imported = importedState(request.type_name, request.id, block);
      await twin?.checkImport(request.type_name, imported);
      return { imported_resources: [{ type_name: request.type_name, state: dynamic(imported) }], diagnostics: [] };
    }),
    MoveResourceState: unary(notSupported("moving state between resource types")),
    OpenEphemeralResource: unary(notSupported("ephemeral resources")),
    RenewEphemeralResource: unary(notSupported("ephemeral resources")),
    CloseEphemeralResource: unary(notSupported("ephemeral resources")),
    GetFunctions: unary(() => ({ functions: {}, diagnostics: [] })),
    CallFunction: unary(() => ({ error: { text: "functions are not supported by the local provider" } }), "error"),
    StopProvider: unary(() => ({ Error: "" })),
  };
};

type Environment = Readonly<Record<string, string | undefined>>;

interface ProtocolPackages {
  tfplugin6: { Provider: grpc.ServiceClientConstructor };
  plugin: Record<"GRPCController" | "GRPCStdio" | "GRPCBroker", grpc.ServiceClientConstructor>;
  grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
}

let protocol: ProtocolPackages | undefined;
const protocolPackages = (): ProtocolPackages => {
  protocol ??= grpc.loadPackageDefinition(
    loadSync(["tfplugin6.proto", "go-plugin.proto", "health.proto"], {
      includeDirs: [join(__dirname, "..", "proto")],
      keepCase: true,
      longs: Number,
      enums: Number,
      defaults: false,
      oneofs: true,
    }),
  ) as unknown as ProtocolPackages;
  return protocol;
};

/** One provider instance: what Terraform reads from the plugin's stdout, and how it ends. */
export interface RunningProvider {
  /** go-plugin's handshake line, without the newline. */
  readonly handshake: string;
  /** Resolves once Terraform asked the plugin to shut down, or stop() was called. */
  readonly stopped: Promise<void>;
  stop(): void;
}

/**
 * Serves one provider on a fresh Unix socket, configured by `env` as Terraform starts a plugin
 * (the handshake cookie, the offered protocols, the client certificate) plus our own variables
 * (pins, the Coolify twin). `main.js` runs one per process; `daemon.js` many in one process.
 */
export const startProvider = async ({ schemaFile, address }: Arguments, env: Environment): Promise<RunningProvider> => {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    throw new SchemaFileError("local provider: this program is a Terraform provider plugin; Terraform starts it (see local-provider/README.md)");
  }
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? PROTOCOL_VERSION).split(",");
  if (!offered.includes(PROTOCOL_VERSION)) {
    throw new SchemaFileError(`local provider: Terraform offers plugin protocol ${offered.join(", ")}; this provider speaks ${PROTOCOL_VERSION}`);
  }
  const packages = protocolPackages();

  // The schema is read on the first call, after the handshake: Terraform connects in the meantime.
  const methods = Object.keys(packages.tfplugin6.Provider.service);
  // GetProviderSchema answers with bytes already serialized (see serializedSchema); other values, such as a diagnostic, are serialized as usual.
  const getProviderSchema = packages.tfplugin6.Provider.service.GetProviderSchema;
  const providerDefinition: grpc.ServiceDefinition = {
    ...packages.tfplugin6.Provider.service,
    GetProviderSchema: {
      ...getProviderSchema,
      responseSerialize: (value: object) => (Buffer.isBuffer(value) ? value : getProviderSchema.responseSerialize(value)),
    },
  };
  let loaded: grpc.UntypedServiceImplementation | undefined;
  const load = (): grpc.UntypedServiceImplementation => {
    try {
      const { address: providerAddress, schema } = pickProvider(
        schemaFile,
        parsedSchemas(schemaFile, schemaFile, () => readSchemaFile(schemaFile)),
        address,
      );
      const providerType = providerAddress.split("/").pop() ?? providerAddress;
      const schemaBytes = () =>
        serializedSchemas(schemaFile, `${schemaFile}\0${providerAddress}`, () =>
          serializedSchema(schemaFile, providerAddress, () => getProviderSchema.responseSerialize(protoProviderSchema(schema))),
        );
      const twinUrl = env[TWIN_VARIABLE];
      const twin = providerType === "coolify" && twinUrl ? new CoolifyTwin(twinUrl, env.COOLIFY_TOKEN) : cloudTwin(providerType, env);
      return providerService(
        providerType,
        schema,
        new MockResources(providerType, schema, readPins(env[PINS_VARIABLE])),
        schemaBytes,
        twin,
        env[HCLOUD_POWER_LOG_VARIABLE],
      );
    } catch (error) {
      if (!(error instanceof SchemaFileError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return brokenProviderService(error, methods);
    }
  };
  const service = Object.fromEntries(
    methods.map((method) => [
      method,
      (call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
        loaded ??= load();
        (loaded[method] as grpc.handleUnaryCall<object, object>)(call, callback);
      },
    ]),
  );

  const server = new grpc.Server({ "grpc.max_send_message_length": -1, "grpc.max_receive_message_length": -1 });
  const socketDir = mkdtempSync(join(tmpdir(), "local-provider-"));
  const openStreams = new Set<grpc.ServerWritableStream<object, object> | grpc.ServerDuplexStream<object, object>>();
  let ended: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    ended = resolve;
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    for (const stream of openStreams) stream.end();
    server.forceShutdown();
    rmSync(socketDir, { recursive: true, force: true });
    ended();
  };

  server.addService(providerDefinition, service);
  server.addService(packages.plugin.GRPCController.service, {
    Shutdown: (_call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      setImmediate(stop);
    },
  });
  server.addService(packages.plugin.GRPCStdio.service, {
    StreamStdio: (stream: grpc.ServerWritableStream<object, object>) => openStreams.add(stream),
  });
  server.addService(packages.plugin.GRPCBroker.service, {
    StartStream: (stream: grpc.ServerDuplexStream<object, object>) => {
      openStreams.add(stream);
      stream.on("end", () => stream.end());
    },
  });
  server.addService(packages.grpc.health.v1.Health.service, {
    Check: (_call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => callback(null, { status: 1 }),
  });

  const clientCertificate = env.PLUGIN_CLIENT_CERT;
  const certificate = clientCertificate ? makeServerCertificate() : undefined;
  const credentials = certificate
    ? grpc.ServerCredentials.createSsl(
        Buffer.from(clientCertificate ?? ""),
        [{ private_key: Buffer.from(certificate.privateKeyPem), cert_chain: Buffer.from(certificate.certificatePem) }],
        true,
      )
    : grpc.ServerCredentials.createInsecure();
  const socket = join(socketDir, "plugin.sock");
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${socket}`, credentials, (error) => (error ? reject(error) : resolve())));
  return { handshake: `1|${PROTOCOL_VERSION}|unix|${socket}|grpc|${certificate?.handshakeField ?? ""}`, stopped, stop };
};

const serve = async (args: Arguments): Promise<void> => {
  const provider = await startProvider(args, process.env);
  process.stdout.write(`${provider.handshake}\n`);
  process.on("SIGTERM", provider.stop);
  await provider.stopped;
  process.exit(0);
};

if (require.main === module) {
  serve(parseArguments(process.argv.slice(2))).catch((error: Error) => {
    process.stderr.write(`${error instanceof SchemaFileError ? error.message : `local provider: ${error.stack ?? error.message}`}\n`);
    process.exit(1);
  });
}
