/**
 * The goal's progress chart: each key result's way to its target over time (from check-ins), the
 * goal's overall progress, the expected-pace line from start to due, and the forecast. uPlot is
 * loaded on first use, so pages without a chart never download it. Progress is computed with the
 * same pure functions the server uses (src/core/engine), so the chart and the status agree.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type uPlotType from "uplot";
import {
  checkinObservations,
  goalProgressAsOf,
  keyResultValueAsOf,
} from "../../../src/core/engine/history.js";
import { keyResultProgress } from "../../../src/core/engine/progress.js";
import type { GoalStatusView, Plan } from "../api/client.js";
import { fullDay, percent, todayIso } from "../lib/dates.js";

const COLORS = ["#2f5d50", "#4a6fa5", "#8a5a9e", "#a0522d", "#3b7d8c"];

function daySeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

/** The chart's series, computed from the plan and status (pure; exported for tests). */
export function chartData(plan: Plan, status: GoalStatusView | null, today = todayIso()) {
  const { goal, keyResults, steps, checkins } = plan;
  const observations = checkinObservations(checkins);
  const stepDays = steps
    .filter((s) => s.status === "done" && s.doneAt)
    .map((s) => (s.doneAt as string).slice(0, 10));
  const end = [today, goal.dueDate ?? today, status?.forecastDate ?? today].sort().at(-1) as string;
  const days = new Set<string>([goal.startDate, today, ...checkins.map((c) => c.date), ...stepDays]);
  if (goal.dueDate) days.add(goal.dueDate);
  if (status?.forecastDate) days.add(status.forecastDate);
  const xs = [...days].filter((d) => d >= goal.startDate && d <= end).sort();
  const known = (d: string) => d <= today;

  const overall = xs.map((d) =>
    known(d) ? goalProgressAsOf(keyResults, steps, observations, d) * 100 : null,
  );
  const krSeries = keyResults.map((kr) =>
    xs.map((d) => (known(d) ? keyResultProgress(kr, keyResultValueAsOf(kr, observations, d)) * 100 : null)),
  );
  const expected = xs.map((d) =>
    goal.dueDate && (d === goal.startDate || d === goal.dueDate) ? (d === goal.startDate ? 0 : 100) : null,
  );
  const currentProgress = status ? status.progress * 100 : (overall[xs.indexOf(today)] ?? 0);
  const forecast = xs.map((d) =>
    status?.forecastDate && status.forecastDate > today
      ? d === today
        ? currentProgress
        : d === status.forecastDate
          ? 100
          : null
      : null,
  );
  return { xs, overall, krSeries, expected, forecast, stepsDone: stepDays.length };
}

/** The chart with a text summary beneath it (the summary is what screen readers get). */
export function ProgressChart({ plan, status }: { plan: Plan; status: GoalStatusView | null }) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const data = useMemo(() => chartData(plan, status), [plan, status]);
  const openSteps = plan.steps.filter((s) => s.status !== "dropped");

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let chart: uPlotType | null = null;
    let observer: ResizeObserver | null = null;
    let live = true;
    Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(
      ([mod]) => {
        if (!live) return;
        const UPlot = mod.default;
        const series: uPlotType.Series[] = [{}];
        const values: (number | null)[][] = [data.xs.map(daySeconds)];
        const krCount = plan.keyResults.length;
        plan.keyResults.forEach((kr, i) => {
          series.push({
            label: kr.title,
            stroke: COLORS[i % COLORS.length],
            width: 2,
            spanGaps: true,
            points: { show: true, size: 6 },
            value: (_u, v) => (v == null ? "–" : `${Math.round(v)}%`),
          });
          values.push(data.krSeries[i] ?? []);
        });
        if (krCount !== 1) {
          series.push({
            label: krCount === 0 ? "Steps done" : "Goal",
            stroke: "#1f2933",
            width: 2.5,
            spanGaps: true,
            points: { show: true, size: 6 },
            value: (_u, v) => (v == null ? "–" : `${Math.round(v)}%`),
          });
          values.push(data.overall);
        }
        series.push({
          label: "Expected pace",
          stroke: "#8a8f98",
          width: 1.5,
          dash: [6, 4],
          spanGaps: true,
          points: { show: false },
          value: (_u, v) => (v == null ? "–" : `${Math.round(v)}%`),
        });
        values.push(data.expected);
        series.push({
          label: "Forecast",
          stroke: "#b7791f",
          width: 1.5,
          dash: [2, 4],
          spanGaps: true,
          points: { show: false },
          value: (_u, v) => (v == null ? "–" : `${Math.round(v)}%`),
        });
        values.push(data.forecast);
        const width = Math.max(280, el.clientWidth);
        chart = new UPlot(
          {
            width,
            height: 260,
            series,
            scales: { y: { range: [0, 100] } },
            axes: [
              { stroke: "#4b5563", grid: { stroke: "#e7e3da" } },
              {
                stroke: "#4b5563",
                grid: { stroke: "#e7e3da" },
                values: (_u, ticks) => ticks.map((t) => `${t}%`),
                size: 48,
              },
            ],
            legend: { live: false },
            cursor: { drag: { x: false, y: false } },
          },
          values as uPlotType.AlignedData,
          el,
        );
        observer = new ResizeObserver(() =>
          chart?.setSize({ width: Math.max(280, el.clientWidth), height: 260 }),
        );
        observer.observe(el);
        setLoaded(true);
      },
      (e: unknown) => live && setFailed(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
      observer?.disconnect();
      chart?.destroy();
    };
  }, [data, plan.keyResults]);

  const done = openSteps.filter((s) => s.status === "done").length;
  const summary = [
    `Progress ${percent(status?.progress ?? (data.overall.filter((v) => v !== null).at(-1) ?? 0) / 100)}`,
    status?.expected != null ? `on pace would be ${percent(status.expected)} today` : null,
    status?.forecastDate ? `forecast to finish ${fullDay(status.forecastDate)}` : null,
    `${done} of ${openSteps.length} steps done`,
  ]
    .filter(Boolean)
    .join(" · ");

  return (
    <figure className="chart">
      <div
        ref={box}
        className="chart-box"
        role="img"
        aria-label={`Progress chart. ${summary}.`}
        data-loaded={loaded ? "true" : "false"}
      />
      {failed ? (
        <p className="inline-error" role="alert">
          The chart could not load: {failed}
        </p>
      ) : null}
      <figcaption className="muted small" data-testid="chart-summary">
        {summary}
      </figcaption>
    </figure>
  );
}
