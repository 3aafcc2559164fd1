/**
 * Rewrites of rule patterns for the RE2 sets, which only answer "does rule i match somewhere?".
 *
 * Two rewrites make the sets' automaton smaller, and so the one pass over a text cheaper (RE2's DFA
 * pays for every state and every byte class it builds, in cache misses):
 *
 * - ASCII form: a pattern that matches exactly the same spans as the original on text without
 *   non-ASCII characters, but names no non-ASCII character. Literal Cyrillic, CJK or curly quotes
 *   split the byte range into many classes (the built-in pack needs 150, the ASCII forms under 70),
 *   and every DFA state carries one transition per class.
 * - Widened windows: a bounded run of one character (`[^.\n]{0,60}`) costs the automaton one state
 *   per position in the window for every rule state it combines with; an unbounded run (`[^.\n]*`)
 *   costs one. The widened pattern matches wherever the original does (and in a few more places),
 *   so a set hit of a widened rule is confirmed with the rule's own regex.
 *
 * The rewrites parse the subset of RE2 syntax rules use. Anything else (flags other than `m`,
 * Unicode classes, case folding) leaves the pattern as it is, which is always correct.
 */

/** A set pattern derived from a rule pattern. */
export interface SetPattern {
  /** The pattern to put in the set; `undefined` when it can never match (ASCII form only). */
  readonly source: string | undefined;
  /** Whether a window was widened: a set hit must be confirmed with the original pattern. */
  readonly widened: boolean;
}

/** Bounded runs of one character this long or longer are widened. */
export const WIDEN_MIN = 20;
/** Code points above ASCII, as a class range: added to negated classes in the ASCII form. */
const NON_ASCII = String.raw`\x{80}-\x{10ffff}`;
const MAX_CODE_POINT = 0x10ffff;

/** One item of a character class: a code point range or a Perl class (`\s`, `\w`, `\d`). */
export type ClassItem = { readonly lo: number; readonly hi: number } | { readonly perl: 's' | 'w' | 'd' };

/** A parsed pattern (`raw` holds assertions and flags, kept as written). */
export type PatternNode =
  | { readonly t: 'alt'; readonly branches: readonly Node[][] }
  | { readonly t: 'group'; readonly capture: boolean; readonly body: Node }
  | {
      readonly t: 'repeat';
      readonly node: Node;
      readonly min: number;
      readonly max: number;
      readonly suffix: string;
    }
  | { readonly t: 'class'; readonly negated: boolean; readonly items: readonly ClassItem[] }
  | { readonly t: 'perl'; readonly name: 's' | 'S' | 'w' | 'W' | 'd' | 'D' }
  | { readonly t: 'dot' }
  | { readonly t: 'literal'; readonly cp: number }
  | { readonly t: 'raw'; readonly src: string };
type Node = PatternNode;

/** Thrown inside the parser for syntax it does not model; the caller keeps the original pattern. */
class Unsupported extends Error {}

/** Parser for the rule subset of RE2 syntax. */
class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alt();
    if (this.i !== this.src.length) throw new Unsupported('unbalanced');
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alt(): Node {
    const branches: Node[][] = [this.seq()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.seq());
    }
    return { t: 'alt', branches };
  }

  private seq(): Node[] {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return items;
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    const start = this.i;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{') {
      this.i++;
      min = this.number(10);
      max = min;
      if (this.peek() === ',') {
        this.i++;
        max = this.peek() === '}' ? Infinity : this.number(10);
      }
      if (this.peek() !== '}') throw new Unsupported('literal brace');
      this.i++;
    } else return atom;
    if (atom.t === 'raw') throw new Unsupported('repeated assertion');
    let suffix = this.src.slice(start, this.i);
    if (this.peek() === '?') {
      this.i++;
      suffix += '?';
    }
    const next = this.peek();
    if (next !== undefined && '*+?{'.includes(next)) throw new Unsupported('double quantifier');
    return { t: 'repeat', node: atom, min, max, suffix };
  }

  private atom(): Node {
    const c = this.src[this.i]!;
    const cp = this.src.codePointAt(this.i)!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape(false) as Node;
    this.i += cp > 0xffff ? 2 : 1;
    if (c === '.') return { t: 'dot' };
    if (c === '^' || c === '$') return { t: 'raw', src: c };
    if ('*+?{})'.includes(c)) throw new Unsupported('stray operator');
    return { t: 'literal', cp };
  }

  private group(): Node {
    this.i++;
    let capture = true;
    if (this.peek() === '?') {
      // Only `(?:` and the multi-line flag `(?m)` are modelled.
      const head = this.src.slice(this.i, this.i + 3);
      if (head === '?m)') {
        this.i += 3;
        return { t: 'raw', src: '(?m)' };
      }
      if (!head.startsWith('?:')) throw new Unsupported('group kind');
      this.i += 2;
      capture = false;
    }
    const body = this.alt();
    if (this.peek() !== ')') throw new Unsupported('unclosed group');
    this.i++;
    return { t: 'group', capture, body };
  }

  private charClass(): Node {
    this.i++;
    const negated = this.peek() === '^';
    if (negated) this.i++;
    const items: ClassItem[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new Unsupported('unclosed class');
      if (c === ']' && !first) break;
      if (c === '[') throw new Unsupported('nested class');
      first = false;
      const lo = this.classAtom();
      if (typeof lo !== 'number') {
        items.push(lo);
        continue;
      }
      if (this.peek() === '-' && this.src[this.i + 1] !== ']') {
        this.i++;
        const hi = this.classAtom();
        if (typeof hi !== 'number' || hi < lo) throw new Unsupported('range');
        items.push({ lo, hi });
      } else items.push({ lo, hi: lo });
    }
    this.i++;
    return { t: 'class', negated, items };
  }

  private classAtom(): number | ClassItem {
    if (this.peek() === '\\') {
      const e = this.escape(true);
      if (typeof e === 'number') return e;
      if (e.t === 'perl' && (e.name === 's' || e.name === 'w' || e.name === 'd')) return { perl: e.name };
      if (e.t === 'literal') return e.cp;
      throw new Unsupported('class escape');
    }
    const cp = this.src.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  /** Digits in `base` at `i` (at least one, at most `maxDigits`), as a number. */
  private number(base: 10 | 16, maxDigits = 9): number {
    const start = this.i;
    while (this.i - start < maxDigits && digitValue(this.src.charCodeAt(this.i)) < base) this.i++;
    if (this.i === start) throw new Unsupported('number');
    return Number.parseInt(this.src.slice(start, this.i), base);
  }

  /** An escape at `i`: a Perl class, an assertion (outside classes) or a literal character. */
  private escape(inClass: boolean): Node | number {
    const c = this.src[this.i + 1];
    if (c === undefined) throw new Unsupported('trailing backslash');
    this.i += 2;
    if (c === 's' || c === 'S' || c === 'w' || c === 'W' || c === 'd' || c === 'D')
      return { t: 'perl', name: c };
    if (!inClass && (c === 'b' || c === 'B' || c === 'A' || c === 'z')) return { t: 'raw', src: `\\${c}` };
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11 };
    if (simple[c] !== undefined) return { t: 'literal', cp: simple[c] };
    if (c === 'x') {
      const braced = this.peek() === '{';
      if (braced) this.i++;
      const start = this.i;
      const cp = this.number(16, braced ? 6 : 2);
      if (!braced && this.i - start !== 2) throw new Unsupported('hex escape');
      if (braced) {
        if (this.peek() !== '}') throw new Unsupported('hex escape');
        this.i++;
      }
      if (cp > MAX_CODE_POINT) throw new Unsupported('code point');
      return { t: 'literal', cp };
    }
    // Any other escaped punctuation stands for itself.
    if (isPunctuation(c.charCodeAt(0))) return { t: 'literal', cp: c.charCodeAt(0) };
    throw new Unsupported('escape');
  }
}

/** What a node becomes in the ASCII form: a node, or nothing that can match ASCII text. */
const FAIL = Symbol('fail');
type Ascii = Node | typeof FAIL;

/** The ASCII form of `node`: equal on ASCII text, free of non-ASCII characters. */
function asciiNode(node: Node): Ascii {
  switch (node.t) {
    case 'alt': {
      const branches = node.branches.map(asciiSeq).filter((b): b is Node[] => b !== FAIL);
      return branches.length === 0 ? FAIL : { t: 'alt', branches };
    }
    case 'group': {
      const body = asciiNode(node.body);
      return body === FAIL ? FAIL : { ...node, body };
    }
    case 'repeat': {
      const inner = asciiNode(node.node);
      if (inner !== FAIL) return { ...node, node: inner };
      // Zero repetitions of something that cannot match is the empty string.
      return node.min === 0 ? { t: 'alt', branches: [[]] } : FAIL;
    }
    case 'class':
      return asciiClass(node);
    case 'perl':
      return node.name === node.name.toLowerCase()
        ? node
        : { t: 'class', negated: true, items: [{ perl: node.name.toLowerCase() as 's' | 'w' | 'd' }] };
    case 'dot':
      return { t: 'class', negated: true, items: [{ lo: 10, hi: 10 }] };
    case 'literal':
      return node.cp < 0x80 ? node : FAIL;
    case 'raw':
      return node;
  }
}

function asciiSeq(items: Node[]): Node[] | typeof FAIL {
  const out: Node[] = [];
  for (const item of items) {
    const a = asciiNode(item);
    if (a === FAIL) return FAIL;
    out.push(a);
  }
  return out;
}

function asciiClass(node: Extract<Node, { t: 'class' }>): Ascii {
  const items: ClassItem[] = [];
  for (const item of node.items) {
    if ('perl' in item) items.push(item);
    else if (item.lo < 0x80) items.push({ lo: item.lo, hi: Math.min(item.hi, 0x7f) });
  }
  if (!node.negated && items.length === 0) return FAIL;
  return { t: 'class', negated: node.negated, items };
}

/** `node` with every bounded run of one character of at least `WIDEN_MIN` made unbounded. */
function widen(node: Node, out: { widened: boolean }): Node {
  switch (node.t) {
    case 'alt':
      return { t: 'alt', branches: node.branches.map((b) => b.map((n) => widen(n, out))) };
    case 'group':
      return { ...node, body: widen(node.body, out) };
    case 'repeat': {
      const single = node.node.t === 'class' || node.node.t === 'perl' || node.node.t === 'dot';
      if (single && node.min === 0 && node.max !== Infinity && node.max >= WIDEN_MIN) {
        out.widened = true;
        return { ...node, max: Infinity, suffix: '*' };
      }
      return { ...node, node: widen(node.node, out) };
    }
    default:
      return node;
  }
}

function emit(node: Node, ascii: boolean): string {
  switch (node.t) {
    case 'alt':
      return node.branches.map((b) => b.map((n) => emit(n, ascii)).join('')).join('|');
    case 'group':
      return `(${node.capture ? '' : '?:'}${emit(node.body, ascii)})`;
    case 'repeat': {
      const inner = emit(node.node, ascii);
      const atom =
        node.node.t === 'group' || node.node.t === 'class' || isSingle(inner) ? inner : `(?:${inner})`;
      return atom + node.suffix;
    }
    case 'class': {
      const items = node.items.map((it) => ('perl' in it ? `\\${it.perl}` : classRange(it.lo, it.hi)));
      if (node.negated && ascii) items.push(NON_ASCII);
      return `[${node.negated ? '^' : ''}${items.join('')}]`;
    }
    case 'perl':
      return `\\${node.name}`;
    case 'dot':
      return '.';
    case 'literal':
      return literal(node.cp);
    case 'raw':
      return node.src;
  }
}

/** Whether `src`, as emitted, is one atom a quantifier may follow directly. */
function isSingle(src: string): boolean {
  return src === '.' || (src.length === 1 && isAlphanumeric(src.charCodeAt(0))) || isEscapedAtom(src);
}

function isEscapedAtom(src: string): boolean {
  if (src.length === 2) return src[0] === '\\' && 'sSwWdD'.includes(src[1]!);
  return src.startsWith('\\x{') && src.endsWith('}') && src.indexOf('}') === src.length - 1;
}

function literal(cp: number): string {
  return isAlphanumeric(cp) ? String.fromCharCode(cp) : `\\x{${cp.toString(16)}}`;
}

function isAlphanumeric(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

/** ASCII punctuation, which stands for itself when escaped. */
function isPunctuation(cp: number): boolean {
  return (
    (cp >= 0x21 && cp <= 0x2f) ||
    (cp >= 0x3a && cp <= 0x40) ||
    (cp >= 0x5b && cp <= 0x60) ||
    (cp >= 0x7b && cp <= 0x7e)
  );
}

/** Value of a hexadecimal digit, or 16 for any other character. */
function digitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : 16;
}

function classRange(lo: number, hi: number): string {
  return lo === hi ? literal(lo) : `${literal(lo)}-${literal(hi)}`;
}

/**
 * Parses `pattern`, or returns `undefined` for syntax the rewrites do not model. Exported for tests,
 * which generate texts from the tree.
 */
export function parseSetPattern(pattern: string): PatternNode | undefined {
  try {
    return new Parser(pattern).parse();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/**
 * The set pattern of `pattern` for text of any kind: `pattern` with its long one-character windows
 * widened (see the module comment).
 *
 * @example
 * setPattern(String.raw`\bspell\b[^.\n]{0,60}\bpassword\b`); // { source: '\bspell\b[^.\n]*…', widened: true }
 */
export function setPattern(pattern: string): SetPattern {
  const node = parseSetPattern(pattern);
  if (node === undefined) return { source: pattern, widened: false };
  const out = { widened: false };
  const wide = widen(node, out);
  return out.widened ? { source: emit(wide, false), widened: true } : { source: pattern, widened: false };
}

/**
 * The set pattern of `pattern` for ASCII text: the same matches on any text without a character
 * above U+007F, no non-ASCII character in the pattern, long windows widened. `source` is
 * `undefined` when the pattern cannot match ASCII text at all.
 *
 * @example
 * asciiSetPattern(String.raw`[a-z'’-]+\s+`).source; // '[a-z\x{27}\x{2d}]+\s+'
 */
export function asciiSetPattern(pattern: string): SetPattern {
  const node = parseSetPattern(pattern);
  if (node === undefined) return { source: pattern, widened: false };
  const ascii = asciiNode(node);
  if (ascii === FAIL) return { source: undefined, widened: false };
  const out = { widened: false };
  const wide = widen(ascii, out);
  return { source: emit(wide, true), widened: out.widened };
}
