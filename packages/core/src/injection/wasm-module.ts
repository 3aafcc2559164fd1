/**
 * A minimal WebAssembly encoder: just what the scorer's feature kernel needs (i32 locals, integer
 * instructions, one memory). The kernel is built from its instructions at start-up, so no binary
 * is shipped; the module exports its memory as `memory`.
 */

/** Value type of a 32-bit integer (every local and result here). */
const I32 = 0x7f;

function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function vec(items: readonly number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(text: string): number[] {
  return vec([...text].map((c) => [c.charCodeAt(0)]));
}

/** Instructions, named as in the WebAssembly text format (`i32.` implied for integer ones). */
export const op = {
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  const: (value: number) => [0x41, ...sleb(value)],
  load: (offset: number) => [0x28, 2, ...uleb(offset)],
  load8u: (offset: number) => [0x2d, 0, ...uleb(offset)],
  load8s: (offset: number) => [0x2c, 0, ...uleb(offset)],
  store: (offset: number) => [0x36, 2, ...uleb(offset)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  xor: [0x73],
  shl: [0x74],
  shrU: [0x76],
  geU: [0x4f],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  end: [0x0b],
};

/** One exported function of i32 parameters returning an i32, with `locals` more i32 locals. */
export interface WasmFunc {
  readonly name: string;
  readonly params: number;
  readonly locals: number;
  readonly code: readonly number[][];
}

/** A module with one memory of `pages` 64 KiB pages (exported as `memory`) and the given functions. */
export function encodeModule(funcs: readonly WasmFunc[], pages: number): Uint8Array {
  const types = funcs.map((f) => [
    0x60,
    ...vec(Array.from({ length: f.params }, () => [I32])),
    ...vec([[I32]]),
  ]);
  const bodies = funcs.map((f) => {
    const locals = vec(f.locals > 0 ? [[...uleb(f.locals), I32]] : []);
    const body = [...locals, ...f.code.flat(), ...op.end];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(
      7,
      vec([[...name('memory'), 0x02, 0], ...funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])]),
    ),
    ...section(10, vec(bodies)),
  ]);
}

/** The part of the global `WebAssembly` object used here (the project's TypeScript lib has no DOM types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * Compiles and instantiates a module: its exports and the buffer of its memory, or `undefined`
 * where WebAssembly is unavailable (disabled, or a runtime without it).
 */
export function instantiate(
  bytes: Uint8Array,
): { readonly exports: Record<string, unknown>; readonly memory: ArrayBuffer } | undefined {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (wasm === undefined) return undefined;
  try {
    const exports = new wasm.Instance(new wasm.Module(bytes), {}).exports;
    return { exports, memory: (exports.memory as { buffer: ArrayBuffer }).buffer };
  } catch {
    return undefined;
  }
}
