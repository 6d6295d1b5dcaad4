// Renders an ExplainResult (`kubedrill explain`) as aligned text for a 100-column terminal: the
// attempt, every node's Filter verdicts, the Score breakdown of the best feasible nodes, and why
// the chosen node won. Long node lists are cut with a count of the rest; `--json` carries all.
import { formatDuration } from '../engine/time.js';
import type { Decision, ExplainResult, FilterVerdict, Loser, NodeRow, Outcome, ScoreTable } from '../scenario/explain.js';
import type { Colors } from './colors.js';

export const WIDTH = 100;
/** Node rows shown in the Filter table, losers in the decision, node names in a list. */
const MAX_NODE_ROWS = 20;
const MAX_LOSERS = 10;
const MAX_NAMES = 5;

/** Short column headers for the in-tree Filter plugins. */
const SHORT: Record<string, string> = {
  NodeUnschedulable: 'NodeUnsched',
  NodeName: 'NodeName',
  TaintToleration: 'Taint',
  NodeAffinity: 'Affinity',
  NodePorts: 'Ports',
  NodeResourcesFit: 'Fit',
  PodTopologySpread: 'Spread',
  InterPodAffinity: 'InterPod',
  VolumeRestrictions: 'VolRestrict',
  NodeVolumeLimits: 'VolLimits',
  VolumeBinding: 'VolBinding',
  VolumeZone: 'VolZone',
  DynamicResources: 'DRA',
};

type Align = 'left' | 'right';
interface Cell {
  text: string;
  color?: (s: string) => string;
}

export function renderExplain(r: ExplainResult, c: Colors): string {
  const out: string[] = [];
  out.push(...header(r, c));
  out.push('', ...filterSection(r, c));
  if (r.scores) out.push('', ...scoreSection(r.scores, r.decision, c));
  if (r.decision) out.push('', ...decisionSection(r, r.decision, c));
  if (r.outcome.kind === 'unschedulable' && r.outcome.postFilter) out.push('', ...postFilterSection(r.outcome, c));
  for (const n of r.notes ?? []) out.push('', c.yellow(`note: ${n}`));
  return out.join('\n') + '\n';
}

// ---- header ---------------------------------------------------------------------------------

function header(r: ExplainResult, c: Colors): string[] {
  const lines = [
    `${c.bold(`Pod ${r.pod}`)}  attempt ${r.attempt} at ${formatDuration(r.timeMs)}  ${c.dim(`(scenario ${r.scenario}, seed ${r.seed})`)}`,
    `Profile ${r.profile}, priority ${r.priority}; ${r.nodeCount} node(s): ${r.evaluatedNodes} evaluated, ${r.feasibleNodes} feasible`,
  ];
  lines.push(...outcomeLines(r.outcome, c));
  if (r.sampling) {
    const pct = r.sampling.percentage === 0 ? 'adaptive' : `${r.sampling.percentage}%`;
    lines.push(...wrap(`Sampling: percentageOfNodesToScore (${pct}) stops the Filter scan at ${r.sampling.nodesToFind} feasible nodes; this scan started at node index ${r.sampling.startIndex}, so ${r.nodes.filter((n) => n.status === 'not-evaluated').length} node(s) were not evaluated.`, '  '));
  }
  const pf = r.preFilter;
  if (pf.rejected) lines.push(...wrap(`PreFilter: ${pf.rejected.plugin} rejected the pod (${pf.rejected.code}): ${pf.rejected.reasons.join(', ')}`, '  '));
  if (pf.narrowedTo) {
    const to = pf.narrowedTo.nodes.length ? names(pf.narrowedTo.nodes) : "none of the cluster's nodes";
    lines.push(...wrap(`PreFilter: ${pf.narrowedTo.plugins.join(', ')} narrowed the nodes to ${to}`, '  '));
  }
  if (pf.skippedFilters.length) lines.push(...wrap(c.dim(`PreFilter skipped the Filter of ${pf.skippedFilters.join(', ')}`), '  '));
  return lines;
}

function outcomeLines(o: Outcome, c: Colors): string[] {
  switch (o.kind) {
    case 'scheduled':
      if (o.bindingError !== undefined) return [`Outcome: ${c.red(`assumed on ${o.node}, binding failed`)}`, ...wrap(o.bindingError, '  ', '  ')];
      return [`Outcome: ${c.green(o.bound ? `bound to ${o.node}` : `scheduled to ${o.node}`)}`];
    case 'unschedulable':
      return [`Outcome: ${c.red('unschedulable')}${o.unschedulablePlugins.length ? ` (rejected by ${o.unschedulablePlugins.join(', ')})` : ''}; FailedScheduling:`, ...wrap(o.message, '  ', '  ')];
    case 'error':
      return [`Outcome: ${c.red('error')}`, ...wrap(o.message, '  ', '  ')];
  }
}

// ---- Filter ---------------------------------------------------------------------------------

function filterSection(r: ExplainResult, c: Colors): string[] {
  if (r.nodes.length === 0) return [c.bold('Filter') + '  no node in the cluster'];
  const lines = [c.bold('Filter') + c.dim("  ✓ pass  ✗* first failure: the scheduler's verdict  ✗ fails too  skip: PreFilter skipped it")];
  const chosen = r.decision?.chosen;
  const shown = pickRows(r.nodes, chosen);
  const build = (plugins: readonly string[]): { heads: string[]; lines: string[] } => {
    const heads = plugins.map((p) => SHORT[p] ?? (p.length > 12 ? p.slice(0, 11) + '…' : p));
    const rows: Cell[][] = [[{ text: 'NODE' }, { text: 'RESULT' }, ...heads.map((h) => ({ text: h }))].map((x) => ({ ...x, color: c.dim }))];
    for (const n of shown) {
      const result: Cell = n.node === chosen ? { text: 'chosen', color: c.green } : n.status === 'not-evaluated' ? { text: 'not evaluated', color: c.dim } : { text: n.status, ...(n.status === 'feasible' ? {} : { color: c.red }) };
      const cells: Cell[] = plugins.map((p) => verdictCell(n.filters.find((f) => f.plugin === p), n, c));
      rows.push([{ text: truncate(n.node, 28) }, result, ...cells]);
    }
    return { heads, lines: table(rows, [], '  ') };
  };
  let plugins: readonly string[] = r.filterPlugins;
  let built = build(plugins);
  // Too wide for the terminal: the columns where no shown node has a verdict (PreFilter skipped
  // the plugin, or the node was not evaluated) are left out, and named below the table.
  let leftOut: string[] = [];
  if (built.lines.some((l) => [...l].length > WIDTH)) {
    const hasVerdict = (p: string) => shown.some((n) => n.filters.some((f) => f.plugin === p && f.verdict !== 'skip'));
    leftOut = plugins.filter((p) => !hasVerdict(p));
    if (leftOut.length > 0) {
      plugins = plugins.filter((p) => hasVerdict(p));
      built = build(plugins);
    }
  }
  const heads = built.heads;
  lines.push(...built.lines);
  const rest = r.nodes.length - shown.length;
  if (rest > 0) {
    const hidden = r.nodes.filter((n) => !shown.includes(n));
    const count = (s: NodeRow['status']) => hidden.filter((n) => n.status === s).length;
    const parts = (['feasible', 'infeasible', 'not-evaluated', 'excluded'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s.replace('-', ' ')}`);
    lines.push(c.dim(`  … ${rest} more node(s): ${parts.join(', ')} (--json lists every node)`));
  }
  if (heads.some((h, i) => h !== plugins[i])) {
    const legend = plugins.map((p, i) => (heads[i] === p ? undefined : `${heads[i]}=${p}`)).filter((x) => x !== undefined);
    lines.push(...wrap(c.dim(legend.join('  ')), '  ', '  '));
  }
  if (leftOut.length > 0) lines.push(...wrap(c.dim(`not shown, no verdict on any node: ${leftOut.join(', ')}`), '  ', '  '));
  const reasons = failureGroups(r.nodes);
  if (reasons.length) {
    lines.push('');
    for (const g of reasons) {
      const mark = g.first ? c.red('✗*') : g.prefilter ? c.red('✗ ') : c.dim('✗ ');
      lines.push(...wrap(`${mark} ${g.plugin} on ${names(g.nodes)}: ${g.reasons} ${c.dim(`(${g.code})`)}`, '     ', '  '));
    }
  }
  for (const n of r.nodes) {
    if (!n.nominatedPods?.length || !shown.includes(n)) continue;
    const how = n.withNominatedPods ? 'fails with them' : 'fits with and without them';
    lines.push(...wrap(c.dim(`${n.node}: filtered with the pod(s) nominated to it (${n.nominatedPods.join(', ')}); ${how}`), '    ', '  '));
  }
  return lines;
}

function verdictCell(v: FilterVerdict | undefined, n: NodeRow, c: Colors): Cell {
  if (v === undefined) return { text: '·', color: c.dim };
  if (v.verdict === 'pass') return { text: '✓', color: c.green };
  if (v.verdict === 'skip') return { text: 'skip', color: c.dim };
  // A failed cycle records the node's status itself; mark the plugin it names.
  const first = n.failure ? n.failure.plugin === v.plugin : v.first;
  return first ? { text: '✗*', color: (s) => c.bold(c.red(s)) } : { text: '✗', color: c.red };
}

/** The first rows in cache order, with the chosen node kept when the list is cut. */
function pickRows(nodes: readonly NodeRow[], chosen: string | undefined): NodeRow[] {
  if (nodes.length <= MAX_NODE_ROWS) return [...nodes];
  const head = nodes.slice(0, MAX_NODE_ROWS - 1);
  const pick = nodes.find((n) => n.node === chosen);
  return pick && !head.includes(pick) ? [...head, pick] : nodes.slice(0, MAX_NODE_ROWS);
}

interface FailureGroup {
  plugin: string;
  code: string;
  reasons: string;
  first: boolean;
  prefilter: boolean;
  nodes: string[];
}

/** Failures grouped by plugin and message: the scheduler's verdicts first, then the others. */
function failureGroups(nodes: readonly NodeRow[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  const add = (plugin: string, code: string, reasons: string, first: boolean, prefilter: boolean, node: string) => {
    const k = JSON.stringify([plugin, code, reasons, first, prefilter]);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { plugin, code, reasons, first, prefilter, nodes: [] }));
    g.nodes.push(node);
  };
  for (const n of nodes) {
    if (n.status === 'excluded' && n.failure) add(`PreFilter ${n.failure.plugin}`, n.failure.code, n.failure.reasons.join(', '), true, true, n.node);
    for (const v of n.filters) {
      if (v.verdict !== 'fail') continue;
      const first = n.failure ? n.failure.plugin === v.plugin : v.first;
      const f = first && n.failure ? n.failure : v;
      add(v.plugin, f.code, f.reasons.join(', '), first, false, n.node);
    }
  }
  return [...groups.values()].sort((a, b) => Number(b.first) - Number(a.first));
}

// ---- Score ----------------------------------------------------------------------------------

function scoreSection(s: ScoreTable, decision: Decision | undefined, c: Colors): string[] {
  const lines = [c.bold('Score') + c.dim(`  ${s.nodes.length} feasible node(s); weighted = normalized × weight; total = sum of weighted`)];
  // Columns: the chosen node, then the closest competitors, as many as fit in the width.
  const order = decision && decision.kind === 'scored' ? [decision.chosen, ...decision.losers.map((l) => l.node)] : [...s.nodes];
  const idx = order.map((n) => s.nodes.indexOf(n));
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
  const pluginW = Math.max('PLUGIN'.length, 'TOTAL'.length, ...s.plugins.map((p) => p.plugin.length));
  const fixed = 2 + pluginW + 2 + 'WEIGHT'.length;
  const blockW = (i: number) => {
    const vals = s.plugins.filter((p) => !p.skipped);
    const raw = Math.max(3, ...vals.map((p) => fmt(p.raw[i]!).length));
    const norm = Math.max(4, ...vals.map((p) => fmt(p.normalized[i]!).length));
    const wtd = Math.max(8, ...vals.map((p) => fmt(p.weighted[i]!).length), fmt(s.totals[i]!).length);
    return { raw, norm, wtd, total: 3 + raw + 2 + norm + 2 + wtd };
  };
  const blocks: Array<{ i: number; w: ReturnType<typeof blockW> }> = [];
  let used = fixed;
  for (const i of idx) {
    const w = blockW(i);
    if (blocks.length > 0 && used + w.total > WIDTH) break;
    blocks.push({ i, w });
    used += w.total;
  }
  const pad = (t: string, w: number, a: Align) => (a === 'left' ? t.padEnd(w) : t.padStart(w));
  const chosen = decision?.chosen;
  let l1 = ' '.repeat(fixed);
  let l2 = '  ' + pad('PLUGIN', pluginW, 'left') + '  ' + 'WEIGHT';
  for (const { i, w } of blocks) {
    const name = truncate(s.nodes[i] === chosen ? `${s.nodes[i]} (chosen)` : s.nodes[i]!, w.total - 3);
    const head = '   ' + pad(name, w.total - 3, 'left');
    l1 += s.nodes[i] === chosen ? c.green(head) : head;
    l2 += '   ' + pad('RAW', w.raw, 'right') + '  ' + pad('NORM', w.norm, 'right') + '  ' + pad('WEIGHTED', w.wtd, 'right');
  }
  lines.push(l1.trimEnd(), c.dim(l2));
  for (const p of s.plugins) {
    let line = '  ' + pad(p.plugin, pluginW, 'left') + '  ' + pad(String(p.weight), 'WEIGHT'.length, 'right');
    if (p.skipped) {
      lines.push(line + c.dim('   skip (PreScore skipped it)'));
      continue;
    }
    for (const { i, w } of blocks) {
      const wtd = pad(fmt(p.weighted[i]!), w.wtd, 'right');
      line += '   ' + pad(fmt(p.raw[i]!), w.raw, 'right') + '  ' + pad(fmt(p.normalized[i]!), w.norm, 'right') + '  ' + (p.weighted[i] === 0 ? wtd : c.bold(wtd));
    }
    lines.push(line);
  }
  let total = '  ' + pad('TOTAL', pluginW, 'left') + '  ' + ' '.repeat('WEIGHT'.length);
  for (const { i, w } of blocks) total += ' '.repeat(3 + w.raw + 2 + w.norm + 2) + c.bold(pad(fmt(s.totals[i]!), w.wtd, 'right'));
  lines.push(total);
  if (blocks.length < s.nodes.length) lines.push(c.dim(`  … ${s.nodes.length - blocks.length} more feasible node(s): totals in the decision below, all scores with --json`));
  return lines;
}

// ---- decision -------------------------------------------------------------------------------

function decisionSection(r: ExplainResult, d: Decision, c: Colors): string[] {
  if (d.kind === 'only-feasible') return [`${c.bold('Decision')}  ${c.green(d.chosen)}: the only feasible node, so the cycle did not score`];
  const chosenTotal = r.scores ? r.scores.totals[r.scores.nodes.indexOf(d.chosen)]! : d.topScore;
  const lines = [`${c.bold('Decision')}  ${c.green(d.chosen)} with total ${chosenTotal}`];
  const tied = d.losers.filter((l) => l.reason === 'tie-break');
  const lower = d.losers.filter((l) => l.reason === 'lower-score');
  if (tied.length) {
    lines.push(...wrap(`${names(tied.map((l) => l.node))}: ${c.yellow('tied')} with ${d.chosen} at the top score ${d.topScore}; lost the seeded tie-break`, '    ', '  '));
    lines.push(...wrap(c.dim(`(kubedrill draws ties from the scenario seed, here ${r.seed}, in stream scheduler/select-host, where upstream draws at random: another seed may pick another of the ${d.tiedAtTop.length})`), '    ', '    '));
  }
  const shown = lower.slice(0, MAX_LOSERS);
  const nameW = Math.min(28, Math.max(0, ...shown.map((l) => l.node.length)));
  for (const l of shown) {
    const lead = `  ${truncate(l.node, 28).padEnd(nameW)}  ${String(l.total).padStart(String(chosenTotal).length)}  `;
    lines.push(...wrap(lead + loserText(l), ' '.repeat(lead.length)));
  }
  if (lower.length > MAX_LOSERS) {
    const rest = lower.slice(MAX_LOSERS);
    lines.push(c.dim(`  … ${rest.length} more node(s) with lower totals (${Math.min(...rest.map((l) => l.total))}–${Math.max(...rest.map((l) => l.total))}); --json has them all`));
  }
  return lines;
}

function loserText(l: Loser): string {
  // NBSP keeps "Plugin (a vs b)" on one line when wrapped.
  const term = (x: Loser['differences'][number]) => `${x.plugin}${NBSP}(${x.node}${NBSP}vs${NBSP}${x.chosen})`;
  const behind = l.differences.filter((x) => x.diff > 0).map(term);
  const ahead = l.differences
    .filter((x) => x.diff < 0)
    .sort((x, y) => x.diff - y.diff)
    .map(term);
  let text = `lost by ${l.behindBy} on ${behind.join(', ')}`;
  if (ahead.length) text += `; ahead on ${ahead.join(', ')}`;
  return text;
}

// ---- PostFilter -----------------------------------------------------------------------------

function postFilterSection(o: Extract<Outcome, { kind: 'unschedulable' }>, c: Colors): string[] {
  const pf = o.postFilter!;
  const lines = [`${c.bold('PostFilter')}  ${pf.plugins.join(', ')}`];
  lines.push(...wrap(pf.message === '' ? 'succeeded' : pf.message, '  ', '  '));
  if (pf.nominatedNodeName) lines.push(`  nominated node: ${c.green(pf.nominatedNodeName)} (a later attempt binds there once the victims are gone)`);
  else lines.push('  no nominated node');
  if (pf.victims.length) lines.push(...wrap(`victims: ${pf.victims.slice(0, MAX_NAMES * 2).map((v) => `${v.pod} on ${v.node}`).join(', ')}${pf.victims.length > MAX_NAMES * 2 ? `, and ${pf.victims.length - MAX_NAMES * 2} more` : ''}`, '    ', '  '));
  return lines;
}

// ---- helpers --------------------------------------------------------------------------------

/** Left-aligned columns separated by two spaces, padded on the visible text then coloured. */
function table(rows: Cell[][], right: number[], indent: string): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.text.length)));
  return rows.map((row) =>
    (
      indent +
      row
        .map((cell, i) => {
          const padded = right.includes(i) ? cell.text.padStart(widths[i]!) : cell.text.padEnd(widths[i]!);
          return cell.color ? cell.color(padded) : padded;
        })
        .join('  ')
    ).trimEnd(),
  );
}

function names(list: readonly string[]): string {
  if (list.length <= MAX_NAMES) return list.join(', ');
  return `${list.slice(0, MAX_NAMES).join(', ')} and ${list.length - MAX_NAMES} more`;
}

function truncate(s: string, w: number): string {
  return s.length <= w ? s : s.slice(0, w - 1) + '…';
}

const NBSP = '\u00a0';

/** Word wrap at WIDTH on the visible text (ANSI codes are not counted); `first` and `cont`
 *  prefix the first and the following lines, the text's own leading spaces are kept; NBSP
 *  joins words that stay together, and is printed as a space. */
function wrap(text: string, cont: string, first = ''): string[] {
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = first + lead;
  let len = visible(line);
  let empty = true;
  for (const w of text.slice(lead.length).split(' ')) {
    const wl = visible(w);
    if (!empty && len + 1 + wl > WIDTH) {
      lines.push(line.trimEnd());
      line = cont + w;
      len = visible(cont) + wl;
      continue;
    }
    line += (empty ? '' : ' ') + w;
    len += (empty ? 0 : 1) + wl;
    empty = false;
  }
  lines.push(line.trimEnd());
  return lines.map((l) => l.replaceAll(NBSP, ' '));
}
