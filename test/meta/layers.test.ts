// The layers of architecture.md hold because this test checks them: a module may import only
// from its own layer or lower ones.
import t from 'tap';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const RANK: Record<string, number> = {
  engine: 0,
  api: 1,
  scheduler: 2,
  controllers: 2,
  kubelet: 2,
  proxy: 2,
  cluster: 3,
  scenario: 4,
  fuzz: 5,
  report: 6,
  cli: 7,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const src = new URL('../../src/', import.meta.url).pathname;

t.test('no module imports a higher layer', async (t) => {
  const violations: string[] = [];
  for (const file of files(src)) {
    const layer = relative(src, file).split('/')[0]!;
    const rank = RANK[layer];
    t.ok(rank !== undefined, `${layer} is a known layer`);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import[^'"]*['"](\.[^'"]+)['"]/gm)) {
      const target = relative(src, join(file, '..', m[1]!)).split('/')[0]!;
      if (target === layer) continue;
      const targetRank = RANK[target];
      if (targetRank === undefined || targetRank > rank!) violations.push(`${relative(src, file)} imports ${m[1]}`);
    }
  }
  t.same(violations, []);
});

t.test('components do not import each other, except shared scheduler helpers', async (t) => {
  const components = ['scheduler', 'controllers', 'kubelet'];
  const allowed = /scheduler\/(framework\/resource|plugins\/helper\/taints)\.js$/;
  const violations: string[] = [];
  for (const file of files(src)) {
    const layer = relative(src, file).split('/')[0]!;
    if (!components.includes(layer)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"](\.[^'"]+)['"]/gm)) {
      const target = relative(src, join(file, '..', m[1]!));
      const tLayer = target.split('/')[0]!;
      if (components.includes(tLayer) && tLayer !== layer && !allowed.test(target)) violations.push(`${relative(src, file)} imports ${m[1]}`);
    }
  }
  t.same(violations, []);
});

t.test('no wall clock or unseeded randomness below cli/ and report/', async (t) => {
  const hits: string[] = [];
  for (const file of files(src)) {
    const layer = relative(src, file).split('/')[0]!;
    if (layer === 'cli' || layer === 'report') continue;
    const text = readFileSync(file, 'utf8');
    if (/Math\.random|Date\.now|new Date\(\)|performance\.now|process\.hrtime/.test(text)) hits.push(relative(src, file));
  }
  t.same(hits, []);
});
