import type { TextTransform } from '../pipeline/guard.js';
import { LEFT_CONTEXT, type PiiScanner, RIGHT_CONTEXT } from './scanner.js';
import type { PiiMatch } from './types.js';

/** Turns one detection into its replacement text (`[EMAIL]`, `[EMAIL_1]`, the restored original…). */
export type MatchRenderer = (match: PiiMatch) => string;

/** Rewrites `text` in one go: every detection replaced by what `render` returns. */
export function redactText(scanner: PiiScanner, text: string, render: MatchRenderer): string {
  const { matches } = scanner.scan(text);
  return applyMatches(text, 0, text.length, matches, render);
}

function applyMatches(
  text: string,
  from: number,
  to: number,
  matches: readonly PiiMatch[],
  render: MatchRenderer,
): string {
  let out = '';
  let at = from;
  for (const match of matches) {
    if (match.start < from || match.end > to) continue;
    out += text.slice(at, match.start) + render(match);
    at = match.end;
  }
  return out + text.slice(at, to);
}

/** Hard cap on text held back for one growing detection (a PEM block that never ends). */
const MAX_HELD = 1 << 20;

/**
 * Streaming redaction of one answer text (one choice / content block). Text is released only when
 * no later chunk can turn it into (part of) a detection: the last `window + RIGHT_CONTEXT`
 * characters stay held, and so does any candidate that crosses the cut or still touches the end
 * (a JWT or PEM block that keeps growing). The concatenation of everything `push` and `flush`
 * return equals `redactText` over the whole text, for every way of cutting it into chunks.
 *
 * @example
 * const t = createStreamRedactor(scanner, (m) => `[${m.type}]`);
 * t.push('mail bob@exa') + t.push('mple.com now') + t.flush(); // 'mail [EMAIL] now'
 */
export function createStreamRedactor(scanner: PiiScanner, render: MatchRenderer): TextTransform {
  const hold = scanner.window + RIGHT_CONTEXT;
  // Scan only once enough new text is waiting, so each character is scanned a bounded number of
  // times: at least 64 characters, more when the upstream sends big pieces (bulk text), where the
  // fixed cost of a scan would otherwise dominate. Token-sized pieces keep the wait short.
  let averagePiece = 8;
  // After a long candidate was held (a growing JWT or key), wait for the buffer to double before
  // scanning again: rescanning a growing buffer on every piece would be quadratic.
  let nextScanAt = 0;
  let context = '';
  let buffer = '';

  function release(final: boolean): string {
    const text = context + buffer;
    const offset = context.length;
    const { matches, raw } = scanner.scan(text, offset);
    let cut = final ? text.length : text.length - hold;
    if (!final) {
      // Move the cut left past every candidate that crosses it or may still grow at the end.
      let moved = true;
      while (moved) {
        moved = false;
        for (const span of raw) {
          if (span.start < cut && (span.end > cut || span.end > text.length - RIGHT_CONTEXT)) {
            cut = span.start;
            moved = true;
          }
        }
      }
      if (cut < offset) cut = offset;
      // A detection that keeps growing past the cap is closed as if the stream ended: it is
      // redacted whole rather than released in pieces.
      if (cut === offset && buffer.length > MAX_HELD) cut = text.length;
    }
    const out = applyMatches(text, offset, cut, matches, render);
    context = text.slice(Math.max(0, cut - LEFT_CONTEXT), cut);
    buffer = text.slice(cut);
    nextScanAt = buffer.length > 4 * hold ? buffer.length * 2 : 0;
    return out;
  }

  return {
    push(piece: string): string {
      if (piece.length === 0) return '';
      buffer += piece;
      averagePiece += (piece.length - averagePiece) / 8;
      const threshold = Math.max(nextScanAt, hold + Math.min(4096, Math.max(64, averagePiece * 4)));
      return buffer.length < threshold ? '' : release(false);
    },
    flush(): string {
      if (buffer.length === 0) return '';
      return release(true);
    },
  };
}
