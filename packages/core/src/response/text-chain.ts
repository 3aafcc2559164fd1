import type { TextTransform } from '../pipeline/guard.js';

/** Chains several guards' text transforms in phase order: each one's output is the next one's input. */
export function chainTransforms(factories: readonly (() => TextTransform)[]): TextTransform {
  const transforms = factories.map((make) => make());
  if (transforms.length === 1) return transforms[0]!;
  return {
    push(text: string): string {
      let out = text;
      for (const t of transforms) out = out.length === 0 ? '' : t.push(out);
      return out;
    },
    flush(): string {
      let out = '';
      for (const t of transforms) out = (out.length === 0 ? '' : t.push(out)) + t.flush();
      return out;
    },
  };
}

/** Runs a whole text through a fresh chain. */
export function transformWhole(factories: readonly (() => TextTransform)[], text: string): string {
  const chain = chainTransforms(factories);
  return chain.push(text) + chain.flush();
}
