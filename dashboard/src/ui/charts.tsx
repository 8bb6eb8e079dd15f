// Hand-rolled SVG charts (no chart library): a vertical bar chart for a daily series and a
// horizontal bar list. In RTL the time axis runs right to left, like the text around it.
import { useI18n } from "../i18n/i18n";

/** Round the axis maximum up to a readable step (1, 2, 5 × 10^n). */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(value)));
  const f = value / exp;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * exp;
}

export function BarChart({ data, label }: { data: { label: string; value: number }[]; label: string }) {
  const { lang, formatNumber } = useI18n();
  const rtl = lang === "ar";
  const width = 720;
  const height = 220;
  const pad = { top: 12, bottom: 28, side: 36 };
  const innerW = width - pad.side * 2;
  const innerH = height - pad.top - pad.bottom;
  const top = Math.max(0, ...data.map((d) => d.value));
  // Counts: below 4 the axis steps by whole numbers instead of showing 0.25, 0.5…
  const max = top < 4 ? Math.max(1, Math.ceil(top)) : niceMax(top);
  const slot = data.length > 0 ? innerW / data.length : innerW;
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  const ticks = max < 4 ? Array.from({ length: max + 1 }, (_, i) => i) : [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const labelEvery = Math.max(1, Math.ceil(data.length / 10));
  const xAt = (i: number) => {
    const x = pad.side + i * slot + (slot - barW) / 2;
    return rtl ? width - x - barW : x;
  };
  const axisX = rtl ? width - pad.side + 6 : pad.side - 6;

  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} preserveAspectRatio="none" data-testid="bar-chart">
      {ticks.map((v) => {
        const y = pad.top + innerH - (v / max) * innerH;
        return (
          <g key={v}>
            <line x1={pad.side} x2={width - pad.side} y1={y} y2={y} className="chart-grid" />
            <text x={axisX} y={y + 4} textAnchor={rtl ? "start" : "end"} className="chart-axis">
              {formatNumber(Math.round(v * 10) / 10)}
            </text>
          </g>
        );
      })}
      {data.map((d, i) => {
        const h = (d.value / max) * innerH;
        return (
          <g key={d.label}>
            <rect x={xAt(i)} y={pad.top + innerH - h} width={barW} height={Math.max(0, h)} rx={3} className="chart-bar">
              <title>{`${d.label}: ${formatNumber(d.value)}`}</title>
            </rect>
            {i % labelEvery === 0 ? (
              <text x={xAt(i) + barW / 2} y={height - 8} textAnchor="middle" className="chart-axis">
                {d.label}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

export function HorizontalBars({ data }: { data: { label: string; value: number }[] }) {
  const { formatNumber } = useI18n();
  const max = Math.max(1, ...data.map((d) => d.value));
  return (
    <div className="hbars">
      {data.map((d) => (
        <div key={d.label} className="hbar-row">
          <span className="hbar-label" dir="auto" title={d.label}>
            {d.label}
          </span>
          <svg className="hbar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
            <rect x={0} y={0} width={100} height={10} rx={2} className="hbar-track" />
            <rect x={0} y={0} width={(d.value / max) * 100} height={10} rx={2} className="chart-bar" />
          </svg>
          <span className="hbar-value">{formatNumber(d.value)}</span>
        </div>
      ))}
    </div>
  );
}
