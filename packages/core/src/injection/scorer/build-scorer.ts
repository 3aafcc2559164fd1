import { createFeatureScan, MIN_FEATURE_NORM, scanAsciiFeatures, scanFeatures } from '../model/features.js';
import type { InjectionModel } from '../model/injection-model.js';
import { tokenSoup } from '../model/unnatural-text.js';
import {
  type DecodeBudget,
  type DecodedLayer,
  decodeLayers,
  foldSpacedRuns,
  rot13,
} from '../normalize/decode-layers.js';
import { mapSpan, type NormalizedText, normalizeText } from '../normalize/normalize-text.js';
import type { MarkerName, RuleEngine } from '../rules/rule-engine.js';
import type { RuleHit } from '../rules/types.js';

/** How an encoded layer was revealed. */
export type LayerKind = DecodedLayer['kind'];

/** Score of one text. Carries rule ids and signal strengths, never the text. */
export interface InjectionScore {
  /** Combined score in [0, 1]: `1 − (1 − rules)(1 − model)(1 − unnatural)`, max over decoded layers. */
  readonly score: number;
  /** Rule part in [0, 1]: `1 − Π(1 − weight)` over distinct rules that fired. */
  readonly rules: number;
  /** Model probability in [0, 1]. */
  readonly model: number;
  /** Unnatural-text part in [0, 1] (optimizer-made suffixes). */
  readonly unnatural: number;
  /** Ids of the rules that fired, in rule order, across layers. */
  readonly ruleIds: readonly string[];
  /** Encodings that were decoded and rescanned (e.g. `base64`). */
  readonly layers: readonly LayerKind[];
}

/** A score plus where each rule matched in the original text. */
export interface InjectionExplanation extends InjectionScore {
  readonly hits: readonly RuleHit[];
}

/** Scores text for prompt injection. Stateless; safe to share. */
export interface InjectionScorer {
  score(text: string): InjectionScore;
  /** Like `score`, plus rule positions in the original text (slower; for tooling). */
  explain(text: string): InjectionExplanation;
  /** The normalized text the model reads (lower case, folded); for training and debugging. */
  view(text: string): string;
}

/** Tunables of the scoring pass (validated by the public factory). */
export interface ScorerSettings {
  readonly maxDecodeDepth: number;
  readonly maxDecodedChars: number;
  /** Weight of the unnatural-text signal at saturation. */
  readonly unnaturalWeight: number;
  /** Parts switched off, for ablations: `rules`, `model`, `unnatural`. */
  readonly disable?: ReadonlySet<'rules' | 'model' | 'unnatural'>;
}

const NO_IDS: readonly string[] = Object.freeze([]);
/** Width of the ramp of the prose-then-soup signal above `unnaturalStart`. */
const PROSE_SOUP_WIDTH = 0.2;
const NO_LAYERS: readonly LayerKind[] = Object.freeze([]);
const NONE: InjectionScore = Object.freeze({
  score: 0,
  rules: 0,
  model: 0,
  unnatural: 0,
  ruleIds: NO_IDS,
  layers: NO_LAYERS,
});

interface Working {
  score: number;
  rules: number;
  model: number;
  unnatural: number;
  hit: Uint8Array;
  /** Whether any rule was recorded in `hit` (most texts: none, and `hit` need not be read). */
  recorded: boolean;
  layers: LayerKind[] | undefined;
  hits: RuleHit[] | undefined;
}

/**
 * Assembles a scorer from a compiled rule engine and a model. Internal: the public entry point is
 * `createInjectionScorer`; the training script uses this to score with fold-specific models.
 */
export function buildInjectionScorer(
  engine: RuleEngine,
  model: InjectionModel,
  settings: ScorerSettings,
): InjectionScorer {
  const rules = engine.rules;
  const features = createFeatureScan();
  const span = model.unnaturalFull - model.unnaturalStart;
  const minNorm = model.minNorm ?? MIN_FEATURE_NORM;
  const useRules = !settings.disable?.has('rules');
  const useModel = !settings.disable?.has('model');
  const useUnnatural = !settings.disable?.has('unnatural');

  // Results of modelPart, kept in closure variables so scoring allocates nothing for them.
  let partModel = 0;
  let partUnnatural = 0;
  // Per-depth scratch for the rules of one layer: layers at one depth are scored one after another.
  const layerPool = Array.from({ length: settings.maxDecodeDepth + 1 }, () => new Uint8Array(rules.length));
  const topHit = new Uint8Array(rules.length);

  function modelPart(view: string, original: string, ascii: boolean, soupMarker: boolean): void {
    if (ascii) scanAsciiFeatures(view, model.weights, features);
    else scanFeatures(view, model.weights, features);
    let p = 0;
    if (useModel && features.count > 0) {
      const z = model.bias + (model.scale * features.sum) / Math.sqrt(Math.max(features.count, minNorm));
      p = 1 / (1 + Math.exp(-z));
    }
    let u = 0;
    if (useUnnatural && soupMarker) {
      const soup = tokenSoup(original);
      const start = model.unnaturalStart;
      const ramp = (x: number, width: number): number => Math.min(1, Math.max(0, (x - start) / width));
      // Soup glued to a prose request on the same line (an optimizer suffix) weighs double and
      // saturates sooner; code and maths lines rarely open with four plain words (on the dev
      // corpus no benign row goes above 0.6 there).
      u = Math.max(
        settings.unnaturalWeight * ramp(soup.ratio, span),
        Math.min(0.95, 2 * settings.unnaturalWeight) * ramp(soup.afterProse, PROSE_SOUP_WIDTH),
      );
    }
    partModel = p;
    partUnnatural = u;
  }

  function record(w: Working, index: number, start: number, end: number): void {
    if (w.hit[index] === 0) w.hit[index] = 1;
    w.recorded = true;
    if (w.hits !== undefined) {
      const r = rules[index]!;
      w.hits.push({ id: r.id, category: r.category, weight: r.weight, start, end });
    }
  }

  /** Scores one layer; `origin` maps hits of a decoded layer back to its encoded span. */
  /** The text the model reads at the top layer: lower case, fully normalized when needed. */
  function topView(text: string): string {
    const lower = text.toLowerCase();
    const { markers } = engine.scan(lower);
    return markers.has('nonAscii') || markers.has('leet') ? normalizeText(text, false).text : lower;
  }

  function scoreLayer(
    text: string,
    depth: number,
    budget: DecodeBudget,
    w: Working,
    origin: [number, number] | undefined,
  ): number {
    const lower = text.toLowerCase();
    let scan = engine.scan(lower);
    let view = lower;
    let normalized: NormalizedText | undefined;
    let markers: ReadonlySet<MarkerName> = scan.markers;
    if (markers.has('nonAscii') || markers.has('leet')) {
      normalized = normalizeText(text, w.hits !== undefined);
      view = normalized.text;
      scan = engine.scan(view);
      markers = new Set([...markers, ...scan.markers]);
    }
    const layerHit = layerPool[depth]!;
    layerHit.fill(0);
    // Whether `layerHit` holds a rule; without one its rule part is 0 and the loop over it is skipped.
    let layerAny = false;
    if (useRules) {
      for (const i of scan.rules) {
        layerHit[i] = 1;
        layerAny = true;
        if (w.hits === undefined) record(w, i, 0, 0);
        else if (origin !== undefined) record(w, i, origin[0], origin[1]);
        else {
          for (const [s, e] of engine.positions(i, view)) {
            const [from, to] = normalized === undefined ? [s, e] : mapSpan(normalized, s, e);
            record(w, i, from, to);
          }
        }
      }
    }
    modelPart(view, text, normalized === undefined, markers.has('soup'));
    const model = partModel;
    const unnatural = partUnnatural;
    let best = combine(layerAny ? layerRules(layerHit) : 0, model, unnatural);
    if (origin === undefined) {
      w.model = Math.max(w.model, model);
      w.unnatural = Math.max(w.unnatural, unnatural);
    }

    // Every kind of child layer needs a marker; most texts have none.
    if (depth < settings.maxDecodeDepth && markers.size > 0) {
      const children: DecodedLayer[] = [];
      if (markers.has('spaced')) children.push(...foldSpacedRuns(view, budget));
      if (markers.has('base64') || markers.has('hex') || markers.has('url')) {
        children.push(...decodeLayers(text, markers, budget));
      }
      // ROT13: named, or common English words appear in rotated form.
      if (markers.has('rot13')) {
        if (view.length <= budget.remaining) {
          budget.remaining -= view.length;
          children.push({ kind: 'rot13', text: rot13(view), start: 0, end: text.length });
        }
      }
      for (const child of children) {
        const at: [number, number] =
          origin ?? (normalized === undefined ? [child.start, child.end] : mapChild(normalized, child));
        const before = w.hit.slice();
        const childScore = scoreLayer(child.text, depth + 1, budget, w, at);
        if (child.kind === 'spaced' && useRules) {
          // Letters glued without spaces ("ignoreallprevious") still match the loose rule forms.
          for (const i of engine.scanLoose(child.text.replaceAll(' ', ''))) {
            if (w.hit[i] === 0 || before[i] === 0) record(w, i, at[0], at[1]);
            layerHit[i] = 1;
          }
        }
        if (w.layers === undefined) w.layers = [];
        w.layers.push(child.kind);
        best = Math.max(best, childScore, combine(layerRules(layerHit), model, unnatural));
      }
    }
    return best;
  }

  function layerRules(hit: Uint8Array): number {
    let keep = 1;
    for (let i = 0; i < hit.length; i++) if (hit[i] === 1) keep *= 1 - rules[i]!.weight;
    return 1 - keep;
  }

  function run(text: string, withHits: boolean): InjectionExplanation | InjectionScore {
    if (typeof text !== 'string' || text.length === 0) return withHits ? { ...NONE, hits: [] } : NONE;
    const w: Working = {
      score: 0,
      rules: 0,
      model: 0,
      unnatural: 0,
      hit: topHit.fill(0),
      recorded: false,
      layers: undefined,
      hits: withHits ? [] : undefined,
    };
    const score = scoreLayer(text, 0, { remaining: settings.maxDecodedChars }, w, undefined);
    let ids: string[] | undefined;
    for (let i = 0; w.recorded && i < w.hit.length; i++) {
      if (w.hit[i] !== 1) continue;
      if (ids === undefined) ids = [];
      ids.push(rules[i]!.id);
    }
    const result: InjectionScore = {
      score,
      rules: w.recorded ? layerRules(w.hit) : 0,
      model: w.model,
      unnatural: w.unnatural,
      ruleIds: ids ?? NO_IDS,
      layers: w.layers ?? NO_LAYERS,
    };
    return w.hits === undefined ? result : { ...result, hits: dedupe(w.hits) };
  }

  return {
    score: function scoreInjection(text: string): InjectionScore {
      return run(text, false);
    },
    explain: function explainInjection(text: string): InjectionExplanation {
      return run(text, true) as InjectionExplanation;
    },
    view: topView,
  };
}

function dedupe(hits: RuleHit[]): RuleHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.id}:${h.start}:${h.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function combine(rules: number, model: number, unnatural: number): number {
  return 1 - (1 - rules) * (1 - model) * (1 - unnatural);
}

function mapChild(normalized: NormalizedText, child: DecodedLayer): [number, number] {
  // Spaced runs are found on the normalized text; encoded runs on the original.
  return child.kind === 'spaced' ? mapSpan(normalized, child.start, child.end) : [child.start, child.end];
}
