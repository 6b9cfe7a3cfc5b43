// What the two long-session benchmarks share: the archive they search, the queries a reader types, and how
// the memory of the browser's renderer processes is read.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { args } from './figures.mjs';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SAHIFA = join(ROOT, 'target/cli/sahifa');

export { args };
export const ARTICLES = Number(args.articles ?? 100000);
export const QUERIES = Number(args.queries ?? 500);
const WORK = resolve(args.work ?? join(ROOT, 'target/bench', `session-${ARTICLES}`));

/** The generated archive of `ARTICLES`, built once and kept for later runs; returns its bundle folder. */
export function sessionBundle() {
  const bundle = join(WORK, 'bundle');
  if (!existsSync(join(bundle, 'manifest.json'))) {
    mkdirSync(WORK, { recursive: true });
    const corpus = join(WORK, 'corpus.jsonl');
    if (!existsSync(corpus)) execFileSync(SAHIFA, ['gen-corpus', '--articles', String(ARTICLES), '--out', corpus], { stdio: 'inherit' });
    execFileSync(SAHIFA, ['build', corpus, '--out', bundle], { stdio: 'inherit' });
  }
  return bundle;
}

// Words readers type, some frequent, some rare, some only a prefix yet: the generated corpus is recombined
// from the sample pages, so their words are its words.
const WORDS = ['المغرب', 'الأمن', 'التعاون', 'الدولي', 'مراكش', 'الانتربول', 'المؤتمر', 'الحدود', 'الوزير', 'النقابة',
  'الرباط', 'العمال', 'الحكومة', 'الشرطة', 'المنتخب', 'الاقتصاد', 'الجهوية', 'التنمية', 'الانتخابات', 'البرلمان', 'الساحل', 'اتحاد'];

/** The session's queries, the same in every run: one or two words, the last sometimes still being typed. */
export function* queries(count) {
  let random = 12345;
  const next = (n) => {
    random = (random * 1103515245 + 12345) % 2 ** 31;
    return random % n;
  };
  for (let n = 0; n < count; n += 1) {
    const words = [WORDS[next(WORDS.length)], ...(next(3) === 0 ? [WORDS[next(WORDS.length)]] : [])];
    const query = words.join(' ');
    yield next(4) === 0 ? query.slice(0, query.length - 2) : query;
  }
}

/** The resident and proportional memory (MB) of the renderer processes descended from process `root`: the
 *  page, its search worker and both wasm memories live there. Resident memory counts pages shared with other
 *  processes (the browser's code, fonts) in full; the proportional share (Pss) counts each shared page once
 *  over the processes that map it. */
export function renderersMemory(root = process.pid) {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args=']).toString().trim().split('\n').map((line) => {
    const [pid, ppid, rss, ...rest] = line.trim().split(/\s+/);
    return { pid: Number(pid), ppid: Number(ppid), rss: Number(rss), args: rest.join(' ') };
  });
  const ours = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const row of table) if (!ours.has(row.pid) && ours.has(row.ppid)) { ours.add(row.pid); grew = true; }
  }
  const renderers = table.filter((row) => ours.has(row.pid) && row.args.includes('--type=renderer'));
  const pssOf = (pid) => Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  return {
    renderer: renderers.reduce((sum, row) => sum + row.rss, 0) / 1024,
    proportional: renderers.reduce((sum, row) => sum + pssOf(row.pid), 0) / 1024,
  };
}
