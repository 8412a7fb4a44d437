use super::Report;
use crate::vocabulary::Status;
use std::fmt::Write;

/// How the terminal table is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// List PASS, NOT_APPLICABLE and INHERITED findings too (otherwise only counted).
    pub all: bool,
    /// Total line width.
    pub width: usize,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            color: false,
            all: false,
            width: 140,
        }
    }
}

fn paint(s: Status, text: &str, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let code = match s {
        Status::Fail => "31;1",
        Status::Error => "35;1",
        Status::Manual => "33",
        Status::Waived => "36",
        Status::Pass => "32",
        Status::Inherited => "34",
        Status::NotApplicable => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

fn fit(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n <= w {
        format!("{s:<w$}")
    } else {
        let cut: String = s.chars().take(w.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Keep the end of a path (`…/stack.template.json:12`), where the file name and line are.
fn fit_left(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n <= w {
        format!("{s:<w$}")
    } else {
        let tail: String = s.chars().skip(n + 1 - w).collect();
        format!("…{tail}")
    }
}

pub(super) fn render(r: &Report, opts: &TableOptions) -> String {
    let mut o = String::new();
    if let Some(b) = &r.framework.banner {
        let _ = writeln!(o, "{}\n", paint(Status::Manual, b, opts.color));
    }
    let (ws, wv, wc, wr) = (14usize, 8usize, 34usize, 28usize);
    // Findings about infrastructure code get a column for the file and line.
    let wl = if r.findings.iter().any(|f| f.location.is_some()) {
        24usize
    } else {
        0
    };
    let wm = opts
        .width
        .saturating_sub(ws + wv + wc + wr + 4 + if wl > 0 { wl + 1 } else { 0 })
        .max(20);
    let _ = writeln!(
        o,
        "{} {} {} {}{} MESSAGE",
        fit("STATUS", ws),
        fit("SEVERITY", wv),
        fit("CONTROL", wc),
        fit("RESOURCE", wr),
        if wl > 0 {
            format!(" {}", fit("LOCATION", wl))
        } else {
            String::new()
        }
    );
    let mut hidden = 0usize;
    for f in &r.findings {
        if !opts.all
            && matches!(
                f.status,
                Status::Pass | Status::NotApplicable | Status::Inherited
            )
        {
            hidden += 1;
            continue;
        }
        let location = if wl > 0 {
            let at = f
                .location
                .as_ref()
                .map(|l| format!("{}:{}", l.file, l.line))
                .unwrap_or_default();
            format!(" {}", fit_left(&at, wl))
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "{} {} {} {}{} {}",
            paint(f.status, &fit(f.status.label(), ws), opts.color),
            fit(f.severity.name(), wv),
            fit(&f.control_id, wc),
            fit(f.resource_label(), wr),
            location,
            fit(&f.message, wm).trim_end()
        );
    }
    if hidden > 0 {
        let _ = writeln!(o, "({hidden} PASS / NOT_APPLICABLE / INHERITED findings not listed; use --all to list them)");
    }
    let t = &r.summary.totals;
    let parts: Vec<String> = Status::ALL
        .iter()
        .map(|s| paint(*s, &format!("{} {}", t.get(*s), s.label()), opts.color))
        .collect();
    o.push_str(&super::accounts::table(r));
    let _ = writeln!(
        o,
        "\n{} · {} findings: {}",
        r.heading(),
        t.total,
        parts.join(", ")
    );
    let c = &r.summary.completeness;
    let _ = writeln!(
        o,
        "Completeness: {}/{} reads succeeded, {} ERROR finding(s){}",
        c.reads_attempted - c.reads_failed.min(c.reads_attempted),
        c.reads_attempted,
        c.error_findings,
        if c.complete {
            " — complete"
        } else {
            " — INCOMPLETE"
        }
    );
    if r.framework.is_proposed() {
        let _ = writeln!(
            o,
            "Grouped by {} ({}): readiness for a proposed rule, not compliance.",
            r.framework.name, r.framework.id
        );
    }
    o
}
