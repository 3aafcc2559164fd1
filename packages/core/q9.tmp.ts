import { BUILTIN_RULES } from './src/injection/rules/builtin-rules.js';
import { compileRules } from './src/injection/rules/rule-engine.js';
import { scanFeatures, createFeatureScan } from './src/injection/model/features.js';
import { defaultInjectionModel } from './src/injection/model/default-model.js';
import { normalizeText } from './src/injection/normalize/normalize-text.js';
import { foldSpacedRuns } from './src/injection/normalize/decode-layers.js';
import { tokenSoupRatio } from './src/injection/model/unnatural-text.js';
import { createInjectionScorer } from './src/index.js';
const eng = compileRules(BUILTIN_RULES); const m = defaultInjectionModel(); const o = createFeatureScan();
const s = createInjectionScorer();
function ms(name, fn){ fn(); const r=[]; for (let b=0;b<3;b++){const c=process.hrtime.bigint(); fn(); r.push(Number(process.hrtime.bigint()-c)/1e6);} r.sort((a,b)=>a-b); console.log(name, r[1].toFixed(1)); }
for (const [label, t] of [['zw', 'іg\u200Bn '.repeat(1048576/5)], ['spaced', 'a b c d '.repeat(1048576/8)]]) {
  console.log('==', label);
  const lower = t.toLowerCase();
  ms('lower', ()=>t.toLowerCase());
  ms('scan', ()=>eng.scan(lower));
  ms('normalize', ()=>normalizeText(t));
  const nt = normalizeText(t).text;
  ms('scan-norm', ()=>eng.scan(nt));
  ms('features', ()=>scanFeatures(nt, m.weights, o));
  ms('soup', ()=>tokenSoupRatio(t));
  ms('spaced', ()=>foldSpacedRuns(nt, {remaining: 65536}));
  ms('score', ()=>s.score(t));
  console.log([...eng.scan(nt).markers]);
}
