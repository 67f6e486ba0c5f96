import { BarElement, CategoryScale, Chart as ChartJS, LinearScale, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import type { SummaryPeriodCounts } from '@truceline/shared';
import { t } from '../i18n';

// Only what a bar chart needs: chart.js is tree-shaken to the registered parts.
ChartJS.register(BarElement, CategoryScale, LinearScale, Tooltip);

/** Violations per period as bars, labelled by each period's start in the viewer's clock. */
export function ViolationsChart({ periods, label }: { periods: readonly SummaryPeriodCounts[]; label: (p: SummaryPeriodCounts) => string }) {
  return (
    <div className="summary-chart" role="img" aria-label={t.summary.chartLabel}>
      <Bar
        data={{
          labels: periods.map(label),
          datasets: [{ label: t.summary.violations, data: periods.map((p) => p.violations), backgroundColor: '#d9822b' }],
        }}
        options={{ responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }}
      />
    </div>
  );
}
