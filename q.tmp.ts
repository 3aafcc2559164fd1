import { readFileSync } from 'node:fs';
import { createInjectionScorer } from './packages/core/src/index.js';
const s = createInjectionScorer();
const rows = readFileSync('/work/shared/corpora/prompt_dev.jsonl','utf8').trim().split('\n').map(l=>JSON.parse(l));
const en = rows.filter(r=>r.lang==='en' && r.label==='benign').map(r=>r.text);
let t=''; let i=0; while (t.length<4096) t += en[i++ % en.length] + '\n'; t=t.slice(0,4096);
for (let k=0;k<3000;k++) s.score(t);
const N=3000; const times=[];
for (let k=0;k<N;k++){const a=process.hrtime.bigint(); s.score(t); times.push(Number(process.hrtime.bigint()-a)/1000);}
times.sort((a,b)=>a-b); console.log('4KB median us', times[N>>1].toFixed(1), 'p90', times[Math.floor(N*0.9)].toFixed(1));
const ex = s.explain(t); console.log(ex.ruleIds, ex.layers, /[^\x00-\x7f]/.test(t));
const per=[]; for (const r of rows){const a=process.hrtime.bigint(); s.score(r.text); per.push([Number(process.hrtime.bigint()-a)/1000, r.text.length, r.lang]);}
per.sort((a,b)=>b[0]-a[0]); console.log(per.slice(0,10)); console.log('median', per[per.length>>1]);
