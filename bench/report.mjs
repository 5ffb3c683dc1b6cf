// Writes docs/performance.md and docs/images/performance.svg from one run.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const doc = (p) => fileURLToPath(new URL(`../docs/${p}`, import.meta.url));
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

/** Bars of chat/raw ratios with each scenario's target line. */
function chart(run) {
  const rows = run.results.filter(
    (r) =>
      Number.isFinite(r.ratio) &&
      r.pass !== undefined &&
      !r.name.startsWith('join-storm-') &&
      r.name !== 'flood' &&
      r.name !== 'reaction-storm-1000' &&
      !r.name.startsWith('thread-storm-') &&
      !r.name.startsWith('live-reactions-') &&
      r.metric !== 'reads',
  );
  const width = 720;
  const rowH = 34;
  const left = 190;
  const scale = (width - left - 40) / 2; // 0 .. 2.0x
  const height = rows.length * rowH + 60;
  const targetOf = (r) =>
    r.targetValue ?? (r.name.includes('latency') ? 1.5 : r.name.startsWith('memory') ? 1.5 : r.name.startsWith('rooms') ? 0.6 : 0.8);
  const bars = rows
    .map((r, i) => {
      const y = 40 + i * rowH;
      const w = Math.min(2, r.ratio) * scale;
      const t = left + targetOf(r) * scale;
      const colour = r.pass ? '#1a7f37' : '#cf222e';
      return `<text x="${left - 8}" y="${y + 17}" text-anchor="end" font-size="12">${r.name}</text>
  <rect x="${left}" y="${y + 4}" width="${w.toFixed(1)}" height="18" fill="${colour}" rx="2"/>
  <text x="${left + w + 6}" y="${y + 17}" font-size="12">${fmt(r.ratio, 2)}</text>
  <line x1="${t}" y1="${y}" x2="${t}" y2="${y + 26}" stroke="#57606a" stroke-dasharray="3 2"/>`;
    })
    .join('\n  ');
  const one = left + scale;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" role="img" aria-label="chat / raw Socket.IO ratios">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="${left}" y="22" font-size="13" font-weight="600">chat / raw Socket.IO (same run; dashed: target; green: met)</text>
  <line x1="${one}" y1="32" x2="${one}" y2="${height - 20}" stroke="#d0d7de"/>
  <text x="${one}" y="${height - 6}" font-size="11" text-anchor="middle">1.0</text>
  ${bars}
</svg>
`;
}

export function writeDocs(run) {
  writeFileSync(doc('images/performance.svg'), chart(run));
  const line = (r) => {
    if (r.name === 'history-1m')
      return `| ${r.label} | p50 ${fmt(r.p50, 2)} / p99 ${fmt(r.p99, 2)} ms | SQL alone: p99 ${fmt(r.rawP99, 2)} ms | | p99 < 10 ms | ${r.pass ? 'yes' : r.skipped ? 'skipped' : 'no'} |`;
    if (r.name.startsWith('conversations-'))
      return `| ${r.label} | p50 ${fmt(r.p50, 2)} / p99 ${fmt(r.p99, 2)} ms${r.exact === false ? ', counts WRONG' : ''} | SQL alone: p99 ${fmt(r.rawP99, 2)} ms | | p99 < 20 ms, exact counts | ${r.pass ? 'yes' : r.skipped ? 'skipped' : 'no'} |`;
    if (r.name === 'bundle')
      return `| ${r.label} | ${fmt(r.widgetGzip / 1024, 1)} KB up front; on first use: ${(r.chunks ?? []).map((c) => `${c.name} ${fmt(c.gzip / 1024, 1)}`).join(', ')} KB | Lit + socket.io-client alone: ${fmt(r.baselineGzip / 1024, 1)} KB | | <= ${fmt(r.budget / 1024, 1)} KB (DESIGN: ${r.designBudget / 1024}) | ${r.pass ? 'yes' : 'no'} |`;
    return `| ${r.label} | ${r.chat} | ${r.raw} | ${fmt(r.ratio, 2)}${Number.isFinite(r.cpuRatio) ? ` (cpu ${fmt(r.cpuRatio, 2)})` : ''}${Number.isFinite(r.bytesRatio) ? ` (bytes ${fmt(r.bytesRatio, 2)})` : ''} | ${r.target} | ${r.pass === undefined ? '—' : r.pass ? 'yes' : 'no'} |`;
  };
  const table = run.results.map(line).join('\n');
  const block = `<!-- bench:start (written by \`npm run bench -- --write-docs\` on ${run.date}) -->\n\n| scenario | chat | raw Socket.IO | ratio | target | met |\n|---|---|---|---|---|---|\n${table}\n\nNode ${run.node}, ${run.cpus} cores, ${run.mode} clients, ${run.repeats} repeats (medians).\n\n<!-- bench:end -->`;
  const page = readFileSync(doc('performance.md'), 'utf8');
  writeFileSync(doc('performance.md'), page.replace(/<!-- bench:start[\s\S]*?<!-- bench:end -->/u, block));
}
