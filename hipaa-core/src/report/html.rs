//! A self-contained HTML report for auditors: no scripts, fonts or images fetched from anywhere.

use super::{Finding, Report};
use crate::progress::TrendPoint;
use crate::risk::RiskRegister;
use crate::vocabulary::Status;
use std::fmt::Write;

pub(super) fn esc(s: &str) -> String {
    super::formats::xml_escape(s)
}

fn colour(s: Status) -> &'static str {
    match s {
        Status::Pass => "#2e7d32",
        Status::Fail => "#c62828",
        Status::Error => "#6a1b9a",
        Status::Manual => "#ef6c00",
        Status::Inherited => "#1565c0",
        Status::Waived => "#00838f",
        Status::NotApplicable => "#9e9e9e",
    }
}

pub(super) fn badge(s: Status) -> String {
    format!(
        "<span class=\"badge\" style=\"background:{}\">{}</span>",
        colour(s),
        s.label()
    )
}

const CHART_STATUSES: [Status; 6] = [
    Status::Pass,
    Status::Fail,
    Status::Error,
    Status::Manual,
    Status::Waived,
    Status::Inherited,
];

/// A horizontal stacked bar chart as inline SVG; `rows` are (label, counts).
fn bar_chart(id: &str, title: &str, rows: &[(String, &super::Counts)]) -> String {
    let (label_w, bar_w, row_h) = (130.0, 520.0, 26.0);
    let height = 40.0 + row_h * rows.len() as f64 + 30.0;
    let max = rows
        .iter()
        .map(|(_, c)| CHART_STATUSES.iter().map(|s| c.get(*s)).sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let mut o = format!(
        "<svg id=\"{id}\" class=\"chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {height}\" width=\"{}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title),
        label_w + bar_w + 60.0,
        label_w + bar_w + 60.0
    );
    let _ = write!(
        o,
        "<text x=\"0\" y=\"18\" font-weight=\"bold\">{}</text>",
        esc(title)
    );
    for (i, (label, c)) in rows.iter().enumerate() {
        let y = 34.0 + row_h * i as f64;
        let _ = write!(
            o,
            "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text>",
            y + 15.0,
            esc(label)
        );
        let mut x = label_w;
        for s in CHART_STATUSES {
            let n = c.get(s);
            if n == 0 {
                continue;
            }
            let w = bar_w * n as f64 / max;
            let _ = write!(
                o,
                "<rect class=\"bar\" data-status=\"{}\" data-count=\"{n}\" x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"20\" fill=\"{}\"><title>{} {}: {n}</title></rect>",
                s.label(),
                colour(s),
                esc(label),
                s.label()
            );
            x += w;
        }
        let total: usize = CHART_STATUSES.iter().map(|s| c.get(*s)).sum();
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{total}</text>",
            x + 4.0,
            y + 15.0
        );
    }
    let ly = 40.0 + row_h * rows.len() as f64 + 10.0;
    for (i, s) in CHART_STATUSES.iter().enumerate() {
        let x = i as f64 * 105.0;
        let _ = write!(
            o,
            "<rect x=\"{x}\" y=\"{ly}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            colour(*s),
            x + 16.0,
            ly + 11.0,
            s.label()
        );
    }
    o.push_str("</svg>");
    o
}

fn trend_chart(points: &[TrendPoint]) -> String {
    if points.len() < 2 {
        return String::new();
    }
    let (w, h, pad) = (640.0, 220.0, 40.0);
    let names = [
        "administrative",
        "physical",
        "technical",
        "organizational",
        "documentation",
    ];
    let palette = ["#c62828", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00"];
    let mut o = format!("<svg id=\"chart-trend\" class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\"><text x=\"0\" y=\"16\" font-weight=\"bold\">Pass rate per safeguard over time</text>");
    let step = (w - 2.0 * pad) / (points.len() - 1) as f64;
    for (k, n) in names.iter().enumerate() {
        let pts: Vec<String> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                p.pass_rate.get(*n).copied().flatten().map(|r| {
                    format!(
                        "{:.1},{:.1}",
                        pad + step * i as f64,
                        h - pad - r * (h - 2.0 * pad)
                    )
                })
            })
            .collect();
        if pts.len() > 1 {
            let _ = write!(o, "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"><title>{n}</title></polyline>", palette[k], pts.join(" "));
        }
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{}\">{n}</text>",
            pad + k as f64 * 115.0,
            h - 8.0,
            palette[k]
        );
    }
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            pad + step * i as f64,
            h - pad + 14.0,
            p.generated_at.format("%m-%d")
        );
    }
    o.push_str("</svg>");
    o
}

pub(super) fn finding_rows(list: &[&Finding], remediation: bool) -> String {
    let mut o = String::from("<table><thead><tr><th>Status</th><th>Severity</th><th>Control</th><th>Resource</th><th>Citations</th><th>Owner</th><th>Finding</th></tr></thead><tbody>");
    for f in list {
        let _ = write!(
            o,
            "<tr class=\"finding\" data-status=\"{}\"><td>{}</td><td>{}</td><td><code>{}</code><br><small>{}</small></td><td><code>{}</code><br><small>{}{}</small></td><td>{}</td><td>{}</td><td>{}",
            f.status.label(),
            badge(f.status),
            f.severity,
            esc(&f.control_id),
            esc(&f.title),
            esc(f.resource_label()),
            esc(&f.resource.kind),
            f.location
                .as_ref()
                .map(|l| format!("<br>{}", esc(&l.to_string())))
                .unwrap_or_default(),
            esc(&f.citations.join(", ")),
            f.owner,
            esc(&f.message)
        );
        if remediation {
            let _ = write!(
                o,
                "<details><summary>How to fix</summary><p>{}</p>",
                esc(&f.remediation.console)
            );
            if let Some(cli) = &f.remediation.cli {
                let _ = write!(o, "<pre>{}</pre>", esc(cli));
            }
            if let Some(tf) = &f.remediation.terraform {
                let _ = write!(o, "<pre>{}</pre>", esc(tf));
            }
            o.push_str("</details>");
        }
        o.push_str("</td></tr>");
    }
    o.push_str("</tbody></table>");
    o
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem;color:#212121;max-width:1200px}\
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #eee;padding-bottom:.2rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ddd;padding:.35rem .5rem;vertical-align:top;text-align:left}\
th{background:#fafafa}.badge{color:#fff;border-radius:3px;padding:.05rem .4rem;font-size:.75rem;font-weight:bold;white-space:nowrap}\
.tiles{display:flex;gap:.6rem;flex-wrap:wrap}.tile{border:1px solid #ddd;border-radius:6px;padding:.5rem .9rem;min-width:7rem}\
.tile b{font-size:1.6rem;display:block}.muted{color:#757575}pre{background:#f5f5f5;padding:.5rem;overflow-x:auto;font-size:.8rem}\
.verdict{font-size:1.1rem;padding:.6rem;border-radius:6px;margin:1rem 0}.charts{display:flex;flex-wrap:wrap;gap:2rem}\
details.citation{margin:.3rem 0}details.citation>summary{cursor:pointer}@media print{details{display:block}}";

/// Per proposed requirement: its status here, what the proposal changes, and what that would
/// change for this account.
fn readiness_section(
    r: &Report,
    changes: &[crate::framework::readiness::RequirementChange],
) -> String {
    let mut o = format!(
        "<h2 id=\"readiness\">What {} would change here</h2><p>Computed from the same findings as the rest of this report. \"Would fail\" counts only resources that fail, or are waived, today on a control for a 2013 specification that is addressable today and required under the proposal: today a documented alternative may meet it, under the proposal it could not. Nothing that passes today is counted.</p>",
        esc(&r.framework.name)
    );
    o.push_str("<table id=\"readiness-table\"><thead><tr><th>Requirement</th><th>Status here</th><th>What the proposal changes</th><th>What it would change here</th></tr></thead><tbody>");
    for c in changes {
        let status = c.status.map(badge).unwrap_or_else(|| {
            "<span class=\"badge\" style=\"background:#616161\">NOT COVERED</span>".into()
        });
        let mut here = esc(&c.summary);
        if c.would_fail > 0 {
            here = format!("<b>{here}</b>");
        }
        for a in &c.artifacts {
            let (href, what) = match a {
                crate::framework::Artifact::NetworkMap => ("#network", "network map"),
                crate::framework::Artifact::AssetInventory => ("#risks", "asset inventory"),
            };
            let _ = write!(
                here,
                "<br><small>Evidence: <a href=\"{href}\">{what}</a></small>"
            );
        }
        let _ = write!(
            o,
            "<tr class=\"requirement-change\" data-citation=\"{}\" data-would-fail=\"{}\"><td><a href=\"#cit-{}\"><code>{}</code></a><br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.citation),
            c.would_fail,
            esc(&c.citation.replace(['(', ')', '.'], "-")),
            esc(&c.citation),
            esc(&c.title),
            status,
            esc(c.changes.as_deref().unwrap_or("")),
            here
        );
    }
    o.push_str("</tbody></table>");
    o.push_str(&network_section(r));
    o
}

/// The network map drawn inline, with what could not be read; or why it is absent.
fn network_section(r: &Report) -> String {
    let mut o = String::from("<h2 id=\"network\">Network map of the VPCs that hold ePHI</h2>");
    if let Some(org) = &r.organization {
        return o + &organization_network(org);
    }
    match &r.network_map {
        None => o.push_str("<p>This report carries no network map: it was converted from a report evaluated under another framework. Evaluate the snapshot under this framework (or run <code>hipaa network-map SNAPSHOT</code>) to draw it.</p>"),
        Some(map) => {
            o.push_str("<p>Drawn from the VPC evidence of this scan (export it as JSON with <code>hipaa network-map SNAPSHOT</code>). A VPC is shown when it carries the PHI tag or runs a PHI-tagged instance or database, and when that cannot be told.</p>");
            o.push_str(&crate::network_map::svg::render(map));
            if !map.gaps.is_empty() {
                o.push_str("<p><b>Incomplete:</b> these listings could not be read, so parts of the network may be missing:</p><ul id=\"network-gaps\">");
                for g in &map.gaps {
                    let _ = write!(o, "<li>{}</li>", esc(g));
                }
                o.push_str("</ul>");
            }
        }
    }
    o
}

/// An organization's network maps, one per scanned account (kept with the account's entry,
/// since its snapshot is dropped once evaluated).
fn organization_network(org: &crate::organization::OrganizationSection) -> String {
    let mut o = String::new();
    let mut drawn = 0;
    for e in &org.accounts {
        let crate::organization::AccountScan::Scanned {
            network_map: Some(map),
            ..
        } = &e.scan
        else {
            continue;
        };
        drawn += 1;
        let _ = write!(
            o,
            "<h3 id=\"network-{}\">Account {}{}</h3>",
            esc(&e.id),
            esc(&e.id),
            e.name
                .as_deref()
                .map(|n| format!(" ({})", esc(n)))
                .unwrap_or_default()
        );
        o.push_str(&crate::network_map::svg::render(map));
        if !map.gaps.is_empty() {
            o.push_str("<p><b>Incomplete:</b> these listings could not be read, so parts of the network may be missing:</p><ul class=\"network-gaps\">");
            for g in &map.gaps {
                let _ = write!(o, "<li>{}</li>", esc(g));
            }
            o.push_str("</ul>");
        }
    }
    if drawn == 0 {
        o.push_str("<p>No account of this report carries a network map: its accounts were scanned under another framework, or none could be read.</p>");
    }
    o
}

/// Render the HTML report; the risk register and trend sections are added when given.
pub fn render(r: &Report, risks: Option<&RiskRegister>, trend: Option<&[TrendPoint]>) -> String {
    let t = &r.summary.totals;
    let c = &r.summary.completeness;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<title>{} — {}</title><style>{STYLE}</style></head><body data-failures=\"{}\" data-errors=\"{}\">",
        if r.framework.is_proposed() {
            "HIPAA Security Rule readiness report (proposed rule)"
        } else {
            "HIPAA Security Rule report"
        },
        esc(&match &r.organization {
            Some(_) => r.subject(),
            None => r.account.clone().unwrap_or_else(|| "unknown account".into()),
        }),
        t.fail,
        t.error
    );
    if r.framework.is_proposed() {
        let _ = write!(o, "<h1>{} — readiness report</h1>", esc(&r.framework.name));
    } else {
        o.push_str("<h1>HIPAA Security Rule report</h1>");
    }
    if let Some(b) = &r.framework.banner {
        let _ = write!(
            o,
            "<div class=\"verdict\" id=\"readiness-banner\" role=\"note\" style=\"background:#fff3e0;border:2px solid #ef6c00\"><b>{}</b></div>",
            esc(b)
        );
    }
    let _ = write!(
        o,
        "<p class=\"muted\">{} · evaluated {} · evidence taken {} from {} · {} controls in force · {} {} (registry {})</p>",
        match &r.organization {
            Some(_) => format!("<b>{}</b>", esc(&r.heading())),
            None => format!("Account <b>{}</b>", esc(r.account.as_deref().unwrap_or("unknown"))),
        },
        r.generated_at.format("%Y-%m-%d %H:%M UTC"),
        r.snapshot.taken_at.format("%Y-%m-%d %H:%M UTC"),
        esc(&r.snapshot.source),
        r.tool.controls_in_force,
        esc(&r.tool.name),
        esc(&r.tool.version),
        esc(&r.tool.registry_version)
    );
    let (bg, verdict) = if t.fail > 0 {
        (
            "#ffebee",
            format!(
                "<b id=\"failure-count\">{}</b> failing finding(s) need remediation.",
                t.fail
            ),
        )
    } else {
        (
            "#e8f5e9",
            "<b id=\"failure-count\">0</b> failing findings.".to_string(),
        )
    };
    let completeness = if c.complete {
        format!(
            "Evidence complete: all {} API reads succeeded.",
            c.reads_attempted
        )
    } else {
        format!(
            "<b>Evidence incomplete:</b> {} of {} reads failed and {} finding(s) are ERROR (insufficient data) — nothing unread is counted as a pass.",
            c.reads_failed, c.reads_attempted, c.error_findings
        )
    };
    let _ = write!(o, "<div class=\"verdict\" style=\"background:{bg}\">{verdict} <span id=\"completeness\">{completeness}</span></div>");
    o.push_str("<div class=\"tiles\">");
    for s in Status::ALL {
        let _ = write!(
            o,
            "<div class=\"tile\" id=\"count-{}\"><b style=\"color:{}\">{}</b>{}</div>",
            s.label(),
            colour(s),
            t.get(s),
            s.label()
        );
    }
    o.push_str("</div>");

    o.push_str("<h2>Results by safeguard and by owner</h2><div class=\"charts\">");
    let safeguards: Vec<(String, &super::Counts)> = r
        .summary
        .by_safeguard
        .iter()
        .map(|(k, v)| (k.clone(), v))
        .collect();
    o.push_str(&bar_chart(
        "chart-safeguard",
        "Findings per HIPAA safeguard",
        &safeguards,
    ));
    let owners: Vec<(String, &super::Counts)> = r
        .summary
        .by_owner
        .iter()
        .map(|(k, v)| (k.clone(), v))
        .collect();
    o.push_str(&bar_chart(
        "chart-owner",
        "Findings per owner (shared responsibility)",
        &owners,
    ));
    o.push_str("</div>");
    if let Some(points) = trend {
        o.push_str(&trend_chart(points));
    }
    o.push_str(&super::accounts::html(r));

    if let Some(changes) = &r.readiness {
        o.push_str(&readiness_section(r, changes));
    }

    let fails: Vec<&Finding> = r.with_status(Status::Fail).collect();
    let _ = write!(o, "<h2 id=\"failures\">Failures ({})</h2>", fails.len());
    if fails.is_empty() {
        o.push_str("<p>None.</p>");
    } else {
        o.push_str(&finding_rows(&fails, true));
    }
    let errors: Vec<&Finding> = r.with_status(Status::Error).collect();
    if !errors.is_empty() {
        let _ = write!(o, "<h2 id=\"errors\">Insufficient data ({})</h2><p>These controls could not be decided because a read failed; fix the permission or connectivity and scan again.</p>", errors.len());
        o.push_str(&finding_rows(&errors, false));
        o.push_str("<table><thead><tr><th>Operation</th><th>Resource</th><th>Reason</th><th>Detail</th></tr></thead><tbody>");
        for f in &c.failed_reads {
            let _ = write!(
                o,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&f.operation),
                esc(&match &f.account {
                    Some(a) => format!("{a}: {}", f.resource),
                    None => f.resource.clone(),
                }),
                f.reason.name(),
                esc(&f.detail)
            );
        }
        o.push_str("</tbody></table>");
    }
    let manual: Vec<&Finding> = r.with_status(Status::Manual).collect();
    if !manual.is_empty() {
        let _ = write!(
            o,
            "<h2 id=\"manual\">Needs attestation ({})</h2>",
            manual.len()
        );
        o.push_str(&finding_rows(&manual, true));
    }

    if !r.waivers.is_empty() {
        o.push_str("<h2 id=\"waivers\">Waivers</h2><table><thead><tr><th>Control</th><th>Resource</th><th>Justification</th><th>Owner</th><th>Expires</th><th>State</th><th>Findings waived</th></tr></thead><tbody>");
        for w in &r.waivers {
            let _ = write!(
                o,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&w.waiver.control),
                esc(&w.waiver.resource),
                esc(&w.waiver.justification),
                esc(&w.waiver.owner),
                w.waiver.expires,
                if w.active { "active" } else { "<b>expired</b>" },
                w.findings_waived
            );
        }
        o.push_str("</tbody></table>");
    }

    if let Some(reg) = risks {
        let _ = write!(
            o,
            "<h2 id=\"risks\">Risk register and remediation plan ({} risks)</h2>",
            reg.risks.len()
        );
        o.push_str("<table><thead><tr><th>Score</th><th>Risk</th><th>Status</th><th>Likelihood</th><th>Impact</th><th>Citations</th><th>Owner</th><th>Due</th></tr></thead><tbody>");
        for k in &reg.risks {
            let _ = write!(
                o,
                "<tr><td><b>{}</b></td><td><code>{}</code><br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                k.score,
                esc(&k.id),
                esc(&k.title),
                badge(k.status),
                k.likelihood,
                k.impact,
                esc(&k.citations.join(", ")),
                esc(&k.owner),
                k.due
            );
        }
        o.push_str("</tbody></table><h3>Asset inventory by impact</h3><table><thead><tr><th>Impact</th><th>Resource</th><th>Kind</th><th>PHI</th><th>Public</th><th>Unencrypted</th><th>Failures</th><th>Unknown</th></tr></thead><tbody>");
        for a in &reg.assets {
            let yes = |b: bool| if b { "yes" } else { "" };
            let _ = write!(
                o,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                a.impact,
                esc(&a.name),
                esc(&a.kind),
                yes(a.phi),
                yes(a.public),
                yes(a.unencrypted),
                a.failures,
                a.unknown
            );
        }
        o.push_str("</tbody></table>");
    }

    if r.framework.is_proposed() {
        let _ = write!(
            o,
            "<h2 id=\"citations\">By proposed requirement ({})</h2>",
            esc(&r.framework.id)
        );
    } else {
        o.push_str("<h2 id=\"citations\">By HIPAA citation</h2>");
    }
    for cs in &r.summary.by_citation {
        let findings: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.citations.contains(&cs.citation))
            .collect();
        let status = cs.status.map(badge).unwrap_or_else(|| {
            "<span class=\"badge\" style=\"background:#616161\">NOT COVERED</span>".into()
        });
        let _ = write!(
            o,
            "<details class=\"citation\" id=\"cit-{}\"><summary>{} <b>{}</b> {} <span class=\"muted\">— {} · owner {} · {} finding(s)</span></summary>",
            esc(&cs.citation.replace(['(', ')', '.'], "-")),
            status,
            esc(&cs.citation),
            esc(&cs.title),
            cs.safeguard,
            cs.owner,
            findings.len()
        );
        if let Some(note) = &cs.note {
            let _ = write!(o, "<p class=\"muted\">MANUAL: {}</p>", esc(note));
        }
        if !findings.is_empty() {
            o.push_str(&finding_rows(&findings, false));
        }
        o.push_str("</details>");
    }

    let _ = writeln!(
        o,
        "<h2 id=\"scope\">Scope and provenance</h2><table><tbody>\
<tr><th>Mode</th><td>{:?}</td></tr><tr><th>PHI tag</th><td><code>{}</code> = {}</td></tr><tr><th>Exclusions</th><td>{}</td></tr>\
<tr><th>Regions</th><td>{}</td></tr><tr><th>Evidence taken</th><td>{}</td></tr><tr><th>Evaluated</th><td>{}</td></tr>\
<tr><th>Reads</th><td>{} attempted, {} failed</td></tr></tbody></table>\
<p class=\"muted\">Metadata only: this report contains no object contents, secret values or log events.</p></body></html>",
        r.scope.mode,
        esc(&r.scope.phi_tag_key),
        esc(&r.scope.phi_tag_values.join(", ")),
        if r.scope.exclude.is_empty() { "none".to_string() } else { esc(&r.scope.exclude.join(", ")) },
        esc(&r.snapshot.regions.join(", ")),
        r.snapshot.taken_at.to_rfc3339(),
        r.generated_at.to_rfc3339(),
        c.reads_attempted,
        c.reads_failed
    );
    o
}
