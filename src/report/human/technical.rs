//! The technical account that `-v` adds: a probe table fitted to the width (timings per step),
//! every probe's one-line description with certificates and redirects, the resolver and the
//! interfaces.

use std::io::{self, Write};

use anstyle::Style;

use super::checked::{Chain, chains};
use super::layout::{BAD, BOLD, DIM, GOOD, WARN, fit, wrap_to};
use super::options::Options;
use crate::report::model::{Outcome, Probe, Report};

/// A table cell for one step: its time when it worked, else its outcome.
fn cell(p: Option<&Probe>, opts: &Options<'_>) -> String {
    match p {
        None => "-".into(),
        Some(p) if p.outcome == Outcome::Ok => match p.duration_ms {
            Some(ms) => format!("{ms} ms"),
            None => "ok".into(),
        },
        Some(p) if p.outcome.is_not_run() => "-".into(),
        Some(p) => opts.outcome(p).trim_start_matches("tls-").to_owned(),
    }
}

/// The result column: the first failure and its step, or the HTTP status.
fn result(chain: &Chain<'_>, opts: &Options<'_>) -> (Style, String) {
    for p in chain.steps() {
        if p.outcome.is_not_run() {
            let why = if p.outcome == Outcome::NotNeeded {
                "not needed"
            } else {
                "not run"
            };
            return (DIM, why.into());
        }
        if p.outcome != Outcome::Ok {
            let outcome = opts.outcome(p);
            let outcome = outcome.trim_start_matches("tls-");
            return (BAD, format!("{outcome} ({})", p.kind.as_str()));
        }
    }
    match chain.last.http.as_ref() {
        Some(h) => match (h.status, &h.location) {
            (Some(s), Some(loc)) if (300..400).contains(&s) => {
                let style = if h.foreign_redirect { WARN } else { GOOD };
                (style, format!("HTTP {s} -> {loc}"))
            }
            (Some(s), _) if s >= 500 => (WARN, format!("HTTP {s}")),
            (Some(s), _) => (GOOD, format!("HTTP {s}")),
            (None, _) => (DIM, "-".into()),
        },
        None => (DIM, "-".into()),
    }
}

/// The probe table, one row per chain, fitted to the width: the host column and the result
/// column give way (cut with `~`; every probe's full line follows the table). The timing
/// columns get some air when the width has room.
fn table(report: &Report, opts: &Options<'_>, w: &mut dyn Write) -> io::Result<()> {
    const HEAD: [&str; 5] = ["DNS", "connect", "TLS", "1st byte", "result"];
    let chains = chains(report);
    let rows: Vec<([String; 5], Style, String)> = chains
        .iter()
        .map(|c| {
            let first_byte = match c.last.http.as_ref().and_then(|h| h.first_byte_ms) {
                Some(ms) if c.last.outcome == Outcome::Ok => format!("{ms} ms"),
                _ => cell(Some(c.last), opts),
            };
            let tls = if c.tls.is_some() || c.last.kind == crate::report::model::ProbeKind::Https {
                cell(c.tls, opts)
            } else {
                "n/a".into()
            };
            let (style, res) = result(c, opts);
            (
                [
                    c.label.clone(),
                    cell(c.dns, opts),
                    cell(c.tcp, opts),
                    tls,
                    first_byte,
                ],
                style,
                res,
            )
        })
        .collect();
    let mut widths = [0usize; 5];
    for (i, h) in HEAD.iter().take(4).enumerate() {
        widths[i + 1] = h.len();
    }
    for (cells, _, _) in &rows {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    // Air between the timing columns when the width has room for it (a result of 20 kept).
    let base: usize = 2 + widths.iter().map(|w| w + 1).sum::<usize>() + 2;
    let pad = (opts.width.saturating_sub(base + 20) / 4).min(3);
    for w in &mut widths[1..] {
        *w += pad;
    }
    // 2 of indent, 1 before each timing column, 2 before the result; the result keeps 20.
    let fixed: usize = 2 + widths[1..].iter().map(|w| w + 1).sum::<usize>() + 2;
    let [label_w, w1, w2, w3, w4] = widths;
    let label_w = label_w
        .max("Probes".len().saturating_sub(2))
        .min(opts.width.saturating_sub(fixed + 20))
        .max(8);
    let result_w = opts.width.saturating_sub(fixed + label_w).max(6);
    let header = format!(
        "{:<head_w$} {:>w1$} {:>w2$} {:>w3$} {:>w4$}  {}",
        "Probes",
        HEAD[0],
        HEAD[1],
        HEAD[2],
        HEAD[3],
        HEAD[4],
        head_w = label_w + 2
    );
    writeln!(w, "{BOLD}{}{BOLD:#}", fit(&header, opts.width))?;
    for ([label, dns, tcp, tls, first_byte], style, res) in rows {
        writeln!(
            w,
            "  {:<label_w$} {dns:>w1$} {tcp:>w2$} {tls:>w3$} {first_byte:>w4$}  {style}{}{style:#}",
            fit(&label, label_w),
            fit(&res, result_w),
        )?;
    }
    Ok(())
}

/// Every probe's line, with its certificate, redirects and clock skew.
fn every_probe(report: &Report, opts: &Options<'_>, w: &mut dyn Write) -> io::Result<()> {
    let width = opts.width;
    writeln!(w, "{BOLD}Every probe{BOLD:#}")?;
    for p in &report.probes {
        let mut line = p.describe();
        let written = opts.outcome(p);
        if written != p.outcome.as_str() {
            line = line.replacen(
                &format!("{}: {}", p.id, p.outcome),
                &format!("{}: {written}", p.id),
                1,
            );
        }
        writeln!(w, "{}", wrap_to(&line, width, "      ", "  "))?;
        let more = |text: String| wrap_to(&text, width, "        ", "      ");
        if let Some(t) = &p.tls
            && let Some(leaf) = &t.leaf
        {
            writeln!(
                w,
                "{}",
                more(format!(
                    "certificate: {} (issuer {})",
                    leaf.subject, leaf.issuer
                ))
            )?;
            writeln!(
                w,
                "{}",
                more(format!(
                    "names: {}; valid {} to {}",
                    leaf.san.join(", "),
                    leaf.not_before,
                    leaf.not_after
                ))
            )?;
        }
        if let Some(h) = &p.http {
            for r in &h.redirects {
                writeln!(
                    w,
                    "{}",
                    more(format!("redirect {} {} -> {}", r.status, r.from, r.to))
                )?;
            }
            if let Some(skew) = h.clock_skew_s {
                writeln!(
                    w,
                    "{}",
                    more(format!(
                        "the server's clock differs from this computer's by {skew} s"
                    ))
                )?;
            }
        }
    }
    Ok(())
}

/// The technical account (`-v`).
///
/// # Errors
/// Only the writer's.
pub(super) fn render(report: &Report, opts: &Options<'_>, w: &mut dyn Write) -> io::Result<()> {
    let width = opts.width;
    table(report, opts, w)?;
    writeln!(w)?;
    every_probe(report, opts, w)?;
    writeln!(w)?;
    let nameservers = if report.resolver.nameservers.is_empty() {
        "no nameservers".into()
    } else {
        report.resolver.nameservers.join(", ")
    };
    let resolver = format!("Resolver ({}): {nameservers}", report.resolver.source);
    writeln!(w, "{}", wrap_to(&resolver, width, "  ", ""))?;
    writeln!(w, "{BOLD}Interfaces{BOLD:#}")?;
    for i in &report.interfaces {
        let line = format!(
            "{} {} {}{}{}",
            i.name,
            i.kind,
            if i.up { "up" } else { "down" },
            if i.default_route {
                " (default route)"
            } else {
                ""
            },
            if i.addresses.is_empty() {
                String::new()
            } else {
                format!(": {}", i.addresses.join(" "))
            }
        );
        writeln!(w, "{}", wrap_to(&line, width, "      ", "  "))?;
    }
    Ok(())
}
