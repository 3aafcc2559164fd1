import { BUILTIN_RULES } from './src/injection/rules/builtin-rules.js';
import { compileRules } from './src/injection/rules/rule-engine.js';
import { scanFeatures, createFeatureScan } from './src/injection/model/features.js';
import { defaultInjectionModel } from './src/injection/model/default-model.js';
import { createInjectionScorer } from './src/index.js';
const sentences = [
  'Could you help me plan a three day trip to Lisbon with a focus on museums and good seafood?',
  'I am writing a cover letter for a junior data analyst role and would like it to sound confident but not arrogant.',
  'Please explain the difference between a mutex and a semaphore, with a short example in Go.',
  'My tomato plants have yellow leaves near the bottom; what could be causing this and how do I fix it?',
  'Summarize the main arguments for and against a four day work week in a balanced way.',
  'Write a friendly reminder email to the team about submitting their expense reports by Friday.',
  'What are some good strategies for learning vocabulary in a new language as an adult?',
  'Our quarterly revenue grew by eight percent while costs stayed flat, so margins improved noticeably.',
  'Can you review this paragraph for clarity and suggest a shorter version that keeps the meaning?',
  'Explain how compound interest works and show the growth of one thousand dollars over ten years.',
];
let t = ''; for (let i = 0; t.length < 4096; i++) t += `${sentences[i % sentences.length]} `; t = t.slice(0, 4096);
const lower = t.toLowerCase();
const eng = compileRules(BUILTIN_RULES); const m = defaultInjectionModel(); const o = createFeatureScan();
const s = createInjectionScorer();
function cpu(name, fn){ for(let k=0;k<500;k++)fn(); const r=[]; for (let b=0;b<15;b++){const c=process.cpuUsage(); for(let k=0;k<200;k++) fn(); const d=process.cpuUsage(c); r.push((d.user+d.system)/200);} r.sort((a,b)=>a-b); console.log(name, r[7].toFixed(1)); }
cpu('lower', ()=>t.toLowerCase());
cpu('scan', ()=>eng.scan(lower));
cpu('features', ()=>scanFeatures(lower, m.weights, o));
cpu('score', ()=>s.score(t));
console.log([...eng.scan(lower).markers]);
