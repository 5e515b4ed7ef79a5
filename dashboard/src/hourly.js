// The per-hour chart's bars: one per hour of the event, in time order. An hour is keyed by its own start (an ISO
// time with the event's offset, as the statistics send it), never by the hour of the day, so an event that crosses
// midnight reads 22:00, 23:00, 00:00 in that order and a two-day event keeps its days apart.

const at = (iso) => Date.parse(iso);

// "HH:00" from the ISO text itself: the event's own time zone, whatever the screen's is
const clock = (iso) => `${iso.slice(11, 13)}:00`;

export function hourlyBars(stats) {
  const seen = new Map((stats.hourly || []).filter((h) => h.hour).map((h) => [at(h.hour), { iso: h.hour, count: h.count }]));
  const forecast = new Map(((stats.predictive || {}).hourly || []).filter((h) => h.start)
    .map((h) => [at(h.start), { iso: h.start, expected: h.expected }]));
  const hours = [...new Set([...seen.keys(), ...forecast.keys()])].sort((a, b) => a - b);
  const isoOf = (t) => (seen.get(t) || forecast.get(t)).iso;
  const days = new Set(hours.map((t) => isoOf(t).slice(0, 10)));
  return {
    labels: hours.map((t) => (days.size > 1 ? `${isoOf(t).slice(5, 10)} ${clock(isoOf(t))}` : clock(isoOf(t)))),
    seen: hours.map((t) => (seen.has(t) ? seen.get(t).count : 0)),
    forecast: hours.map((t) => (forecast.has(t) ? forecast.get(t).expected ?? null : null)),
  };
}
