/**
 * Expected failures are values, not exceptions (ADR 0003). A `Result` carries either a value or a
 * string code from a closed union; exceptions are reserved for bugs and infrastructure faults.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E extends string> = { readonly ok: false; readonly error: E };
export type Result<T, E extends string> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E extends string>(error: E): Err<E> => ({ ok: false, error });

/** A check either passes or names what failed. */
export type Check<E extends string> = E | null;
