// A small SVG line chart with logarithmic axes: enough for latency against subscribers, with no
// dependency and output that diffs cleanly.

export interface ChartSeries {
  label: string;
  color: string;
  dashed?: boolean;
  points: { x: number; y: number }[];
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  width?: number;
  height?: number;
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let decade = Math.floor(Math.log10(min)); decade <= Math.ceil(Math.log10(max)); decade++) {
    for (const step of [1, 2, 5]) {
      const value = step * 10 ** decade;
      if (value >= min * 0.999 && value <= max * 1.001) ticks.push(value);
    }
  }
  return ticks;
}

function formatTick(value: number): string {
  if (value >= 1000) return `${value / 1000}k`;
  return value >= 1 ? String(value) : value.toPrecision(1);
}

export function lineChartSvg(options: ChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 420;
  const margin = { left: 70, right: 190, top: 40, bottom: 55 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const points = options.series.flatMap((series) => series.points).filter((p) => p.x > 0 && p.y > 0);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const sx = (x: number) => margin.left + (xMax === xMin ? plotWidth / 2 : ((Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * plotWidth);
  const sy = (y: number) => margin.top + plotHeight - ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotHeight;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${margin.left}" y="22" font-size="15" font-weight="bold">${escape(options.title)}</text>`);
  for (const tick of logTicks(yMin, yMax)) {
    const y = sy(tick).toFixed(1);
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(tick)}</text>`);
  }
  for (const tick of [...new Set(xs)].sort((a, b) => a - b)) {
    const x = sx(tick).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${tick.toLocaleString("en-US")}</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${margin.left + plotWidth / 2}" y="${height - 12}" text-anchor="middle">${escape(options.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(options.yLabel)}</text>`);
  options.series.forEach((series, index) => {
    const valid = series.points.filter((p) => p.x > 0 && p.y > 0).sort((a, b) => a.x - b.x);
    const dash = series.dashed ? ` stroke-dasharray="6 4"` : "";
    if (valid.length > 1) {
      const path = valid.map((p, i) => `${i === 0 ? "M" : "L"}${sx(p.x).toFixed(1)} ${sy(p.y).toFixed(1)}`).join(" ");
      parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`);
    }
    for (const p of valid) parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3.5" fill="${series.color}"/>`);
    const legendY = margin.top + 10 + index * 20;
    const legendX = margin.left + plotWidth + 16;
    parts.push(`<line x1="${legendX}" x2="${legendX + 26}" y1="${legendY}" y2="${legendY}" stroke="${series.color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${legendX + 32}" y="${legendY}" dominant-baseline="middle">${escape(series.label)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
