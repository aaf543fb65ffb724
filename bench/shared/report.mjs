// Shared by the benchmark summaries (bench/compare, bench/scaleout): medians and the tables they print.

/** The median of the finite numbers among `values`; null when there are none. */
export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** `value` with thousands separators and exactly `digits` decimals; `missing` for null or undefined. */
export function formatNumber(value, digits = 0, missing = '—') {
  return value == null ? missing : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Rows of cells as aligned plain-text columns (two spaces between), header first. */
export function textTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
