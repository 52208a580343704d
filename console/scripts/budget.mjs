// The JS the console ships, gzipped: what every visit loads (the scripts index.html names)
// and what only some load (the OIDC client, in AWS mode). Fails over the budget.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_INITIAL_KB = 50;
const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const named = new Set([...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]));
const kb = (bytes) => Math.round((bytes / 1024) * 10) / 10;

let initial = 0;
let lazy = 0;
for (const file of readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'))) {
  const gz = gzipSync(readFileSync(join(dist, 'assets', file)), { level: 9 }).length;
  const always = named.has(`assets/${file}`);
  if (always) initial += gz;
  else lazy += gz;
  console.log(`${always ? 'every visit' : 'on demand  '}  ${kb(gz).toFixed(1).padStart(6)} KB gz  ${file}`);
}
console.log(`JS gzipped: ${kb(initial)} KB on every visit (budget ${BUDGET_INITIAL_KB} KB), ${kb(lazy)} KB more on demand`);
if (initial > BUDGET_INITIAL_KB * 1024) {
  console.error(`over budget: ${kb(initial)} KB > ${BUDGET_INITIAL_KB} KB`);
  process.exit(1);
}
