import { decodeInjectionModel, type InjectionModel, type InjectionModelFile } from './injection-model.js';
import modelFile from './injection-model.weights.json' with { type: 'json' };

let cached: InjectionModel | undefined;

/**
 * The shipped model (trained by `scripts/train-injection-model.ts`), decoded once on first use.
 *
 * @example
 * const model = defaultInjectionModel();
 */
export function defaultInjectionModel(): InjectionModel {
  cached ??= decodeInjectionModel(modelFile as InjectionModelFile);
  return cached;
}
