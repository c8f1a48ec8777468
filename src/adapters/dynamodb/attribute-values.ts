/**
 * Typed reading and writing of DynamoDB attribute values. Written by hand rather than with a generic
 * marshaller, so that every attribute has exactly one declared type (bytes are always B, never a
 * base64 S; nulls are NULL; lists are L, which, unlike SS, may be empty and keep their order) and a
 * stored item is parsed once into a domain record or rejected as malformed (ADR 0005, ADR 0010).
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { MalformedItemError } from "./storage-faults.js";

export type Item = Record<string, AttributeValue>;

export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => {
  // N carries decimal text; NaN, Infinity or an unsafe integer would not come back as the same number.
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
  return { N: String(value) };
};
/** A copy, so that the caller changing its array while the request is in flight changes nothing. */
export const b = (value: Uint8Array): AttributeValue => ({ B: value.slice() });
export const bool = (value: boolean): AttributeValue => ({ BOOL: value });
export const nullable = <T>(value: T | null, encode: (v: T) => AttributeValue): AttributeValue => (value === null ? { NULL: true } : encode(value));
export const stringList = (values: readonly string[]): AttributeValue => ({ L: values.map(s) });
export const numberList = (values: readonly number[]): AttributeValue => ({ L: values.map(n) });

/** Reads the attributes of one item of one table; every getter throws MalformedItemError on a missing or mistyped attribute. */
export class ItemReader {
  constructor(
    private readonly table: string,
    private readonly item: Item,
  ) {}

  string(name: string): string {
    const value = this.item[name]?.S;
    if (value === undefined) throw this.malformed(name, "is not a string (S)");
    return value;
  }

  number(name: string): number {
    return this.parseNumber(name, this.item[name]?.N);
  }

  bytes(name: string): Uint8Array {
    const value = this.item[name]?.B;
    if (value === undefined) throw this.malformed(name, "is not binary (B)");
    // A plain Uint8Array of our own, whatever the SDK hands out (a Buffer view on a shared pool, say).
    return new Uint8Array(value);
  }

  boolean(name: string): boolean {
    const value = this.item[name]?.BOOL;
    if (value === undefined) throw this.malformed(name, "is not a boolean (BOOL)");
    return value;
  }

  /** `undefined` when the item has no such attribute (one written before the attribute existed); otherwise as `string`. */
  optionalString(name: string): string | undefined {
    return this.item[name] === undefined ? undefined : this.string(name);
  }

  /** `undefined` when the item has no such attribute (one written before the attribute existed); otherwise as `boolean`. */
  optionalBoolean(name: string): boolean | undefined {
    return this.item[name] === undefined ? undefined : this.boolean(name);
  }

  /** `undefined` when the item has no such attribute (one written before the attribute existed); otherwise as `number`. */
  optionalNumber(name: string): number | undefined {
    return this.item[name] === undefined ? undefined : this.number(name);
  }

  nullableString(name: string): string | null {
    return this.item[name]?.NULL === true ? null : this.string(name);
  }

  nullableNumber(name: string): number | null {
    return this.item[name]?.NULL === true ? null : this.number(name);
  }

  stringList(name: string): string[] {
    return this.list(name).map((element, i) => {
      if (element.S === undefined) throw this.malformed(`${name}[${i}]`, "is not a string (S)");
      return element.S;
    });
  }

  numberList(name: string): number[] {
    return this.list(name).map((element, i) => this.parseNumber(`${name}[${i}]`, element.N));
  }

  /** A string that must be one of `allowed`. */
  oneOf<T extends string | number>(name: string, value: string | number, allowed: readonly T[]): T {
    if (!(allowed as readonly (string | number)[]).includes(value)) throw this.malformed(name, `is ${JSON.stringify(value)}, not one of ${allowed.join(", ")}`);
    return value as T;
  }
  /** A value that must pass `check` (a type guard of the domain's), named for the error. */
  checked<T extends V, V>(name: string, value: V, check: (value: V) => value is T, what: string): T {
    if (!check(value)) throw this.malformed(name, `is not ${what}`);
    return value;
  }

  private list(name: string): AttributeValue[] {
    const value = this.item[name]?.L;
    if (value === undefined) throw this.malformed(name, "is not a list (L)");
    return value;
  }

  private parseNumber(name: string, text: string | undefined): number {
    if (text === undefined) throw this.malformed(name, "is not a number (N)");
    const value = Number(text);
    if (!Number.isSafeInteger(value)) throw this.malformed(name, `is ${text}, not a safe integer`);
    return value;
  }

  private malformed(name: string, problem: string): MalformedItemError {
    return new MalformedItemError(this.table, name, problem);
  }
}
