//! The page's chart: reports per day (or per few days, for long spans) by cause, as stacked bars
//! in inline SVG. The most frequent causes get a colour each; the rest share one grey.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use time::{Date, Duration};

use super::super::tally::{CauseKey, Tally};
use super::escape::esc;

/// The most bars drawn: longer spans put several days in a bar.
const MAX_BARS: i64 = 120;
/// Colours for the most frequent causes (distinct, and readable on white).
const PALETTE: [&str; 9] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22",
];
/// The colour of every other cause.
pub const OTHER: &str = "#9a9a9a";

// Drawn 600 units wide: a phone shows it at about 0.6, a desk at about 1.1 (fonts stay legible).
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 30.0;
const TOP: f64 = 10.0;

/// Each cause's colour, the most frequent first; causes past the palette are [`OTHER`].
#[must_use]
pub fn colours(tally: &Tally) -> Vec<(CauseKey, &'static str, usize)> {
    let mut totals: BTreeMap<CauseKey, usize> = BTreeMap::new();
    for day in tally.per_day.values() {
        for (k, n) in day {
            *totals.entry(*k).or_default() += n;
        }
    }
    let mut list: Vec<(CauseKey, usize)> = totals.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.into_iter()
        .enumerate()
        .map(|(i, (k, n))| (k, PALETTE.get(i).copied().unwrap_or(OTHER), n))
        .collect()
}

/// The SVG, or None when no report has a readable time.
#[must_use]
pub fn svg(tally: &Tally) -> Option<String> {
    let (first, last) = (*tally.per_day.keys().next()?, *tally.per_day.keys().last()?);
    let days = (last - first).whole_days() + 1;
    let per_bar = (days + MAX_BARS - 1) / MAX_BARS;
    let bars = (days + per_bar - 1) / per_bar;
    let ranked = colours(tally);
    let colour: BTreeMap<CauseKey, &str> = ranked.iter().map(|(k, c, _)| (*k, *c)).collect();
    // The stacking order: each colour once (every cause past the palette shares OTHER's).
    let mut order: Vec<&str> = Vec::new();
    for (_, c, _) in &ranked {
        if !order.contains(c) {
            order.push(c);
        }
    }
    // Counts per bar and colour, stacked in the colours' order.
    let mut stacks: Vec<BTreeMap<&str, (usize, Vec<String>)>> =
        vec![BTreeMap::new(); bars as usize];
    for (day, counts) in &tally.per_day {
        let bar = ((*day - first).whole_days() / per_bar) as usize;
        for (key, n) in counts {
            let slot = stacks[bar].entry(colour[key]).or_default();
            slot.0 += n;
            slot.1
                .push(format!("{} {n}", super::super::table::cause_words(*key)));
        }
    }
    let max = stacks
        .iter()
        .map(|s| s.values().map(|v| v.0).sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot_w = (WIDTH - LEFT) / bars as f64;
    let bar_w = (slot_w * 0.8).max(1.0);
    let unit = if per_bar == 1 {
        "day".to_owned()
    } else {
        format!("{per_bar} days")
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Reports per {unit}, by cause, {first} to {last}" xmlns="http://www.w3.org/2000/svg">"#
    );
    axes(&mut s, max, plot_h);
    for (i, stack) in stacks.iter().enumerate() {
        let x = LEFT + slot_w * i as f64 + (slot_w - bar_w) / 2.0;
        let mut y = TOP + plot_h;
        let start = first + Duration::days(i as i64 * per_bar);
        for c in &order {
            let Some((n, labels)) = stack.get(c) else {
                continue;
            };
            let h = plot_h * *n as f64 / max as f64;
            y -= h;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{bar_w:.1}" height="{h:.1}" fill="{c}"><title>{start}: {}</title></rect>"#,
                esc(&labels.join(", "))
            );
        }
    }
    for (i, label) in x_labels(first, bars, per_bar) {
        // The first label starts at its bar, the last ends at its bar: none is cut off.
        let (x, anchor) = match i {
            0 => (LEFT + slot_w * 0.1, "start"),
            i if i == bars - 1 => (WIDTH - slot_w * 0.1, "end"),
            i => (LEFT + slot_w * (i as f64 + 0.5), "middle"),
        };
        let _ = write!(
            s,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="{anchor}" class="tick">{label}</text>"#,
            HEIGHT - 8.0
        );
    }
    s.push_str("</svg>");
    Some(s)
}

/// The y axis: a base line and ticks at 0, half and the top.
fn axes(s: &mut String, max: usize, plot_h: f64) {
    let base = TOP + plot_h;
    let _ = write!(
        s,
        r##"<line x1="{LEFT}" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#555"/>"##
    );
    for n in [0, max / 2, max] {
        if n == 0 && max == 0 {
            continue;
        }
        let y = base - plot_h * n as f64 / max as f64;
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{WIDTH}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="tick">{n}</text>"##,
            LEFT - 6.0,
            y + 4.0
        );
    }
}

/// Date labels under the bars: the first, the last, and one in the middle.
fn x_labels(first: Date, bars: i64, per_bar: i64) -> Vec<(i64, String)> {
    let label = |i: i64| {
        let d = first + Duration::days(i * per_bar);
        format!("{}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    };
    match bars {
        1 => vec![(0, label(0))],
        2 => vec![(0, label(0)), (1, label(1))],
        _ => vec![
            (0, label(0)),
            (bars / 2, label(bars / 2)),
            (bars - 1, label(bars - 1)),
        ],
    }
}
