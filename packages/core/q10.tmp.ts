import { normalizeText } from './src/injection/normalize/normalize-text.js';
const t = 'a b c d '.repeat(1048576/8);
for (let k=0;k<20;k++) normalizeText(t);
const c=process.hrtime.bigint(); for (let k=0;k<10;k++) normalizeText(t); console.log('ms', Number(process.hrtime.bigint()-c)/1e7);
