/**
 * Terraform values on the wire: msgpack-encoded cty values. An unknown value travels as msgpack
 * extension 0, or 12 when Terraform refined it (a known prefix, not null, ...); both must go back
 * byte for byte, so they decode to an `Unknown` that keeps its extension type and payload.
 */
import { decode, ExtensionCodec, encode } from "@msgpack/msgpack";

export class Unknown {
  constructor(
    readonly extensionType: number,
    readonly data: Uint8Array,
  ) {}
}

/** A fresh, unrefined unknown: extension 0 with a single zero byte, as cty writes it. */
export const UNKNOWN = new Unknown(0, new Uint8Array([0]));

export type Value = null | boolean | number | string | Uint8Array | Unknown | Value[] | { [key: string]: Value };

export type ObjectValue = { [key: string]: Value };

const UNKNOWN_EXTENSIONS = [0, 12];

const codec = new ExtensionCodec();
for (const type of UNKNOWN_EXTENSIONS) {
  codec.register({
    type,
    encode: (input: unknown) => (input instanceof Unknown && input.extensionType === type ? input.data : null),
    decode: (data: Uint8Array) => new Unknown(type, data),
  });
}

export const decodeValue = (bytes: Uint8Array | undefined): Value => (bytes && bytes.length > 0 ? (decode(bytes, { extensionCodec: codec }) as Value) : null);

export const encodeValue = (value: Value): Uint8Array => encode(value, { extensionCodec: codec });

export const isObject = (value: Value): value is ObjectValue =>
  value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Unknown) && !(value instanceof Uint8Array);

export const isUnknown = (value: Value): value is Unknown => value instanceof Unknown;

/** Deep equality of two wire values; unknowns are equal only to unknowns. */
export const sameValue = (a: Value, b: Value): boolean => {
  if (a instanceof Unknown || b instanceof Unknown) return a instanceof Unknown && b instanceof Unknown;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key] ?? null, b[key] ?? null));
  }
  return a === b;
};
