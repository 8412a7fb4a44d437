use super::Report;
use crate::vocabulary::Status;
use std::fmt::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub(super) fn render(r: &Report) -> String {
    let mut o = String::new();
    let t = &r.summary.totals;
    let c = &r.summary.completeness;
    if r.framework.is_proposed() {
        let _ = writeln!(o, "# {} — readiness report\n", r.framework.name);
    } else {
        let _ = writeln!(o, "# HIPAA Security Rule report\n");
    }
    if let Some(b) = &r.framework.banner {
        let _ = writeln!(o, "> **{}**\n", cell(b));
    }
    let _ = writeln!(
        o,
        "{} · evidence taken {} from {} · evaluated {} · {} controls in force\n",
        match &r.organization {
            Some(_) => r.heading(),
            None => format!("Account `{}`", r.account.as_deref().unwrap_or("unknown")),
        },
        r.snapshot.taken_at.format("%Y-%m-%d %H:%M UTC"),
        r.snapshot.source,
        r.generated_at.format("%Y-%m-%d %H:%M UTC"),
        r.tool.controls_in_force
    );
    let _ = writeln!(o, "| Status | Findings |\n|---|---:|");
    for s in Status::ALL {
        let _ = writeln!(o, "| {s} | {} |", t.get(s));
    }
    let _ = writeln!(
        o,
        "\n**Completeness:** {} of {} reads succeeded ({:.1}%), {} ERROR finding(s){}.\n",
        c.reads_attempted - c.reads_failed.min(c.reads_attempted),
        c.reads_attempted,
        c.read_success_ratio * 100.0,
        c.error_findings,
        if c.complete {
            ""
        } else {
            " — the result is incomplete, no PASS stands in for an unread fact"
        }
    );
    o.push_str(&super::accounts::markdown(r));
    let _ = writeln!(o, "## By safeguard\n\n| Safeguard | PASS | FAIL | ERROR | MANUAL | INHERITED |\n|---|---:|---:|---:|---:|---:|");
    for (k, v) in &r.summary.by_safeguard {
        let _ = writeln!(
            o,
            "| {k} | {} | {} | {} | {} | {} |",
            v.pass, v.fail, v.error, v.manual, v.inherited
        );
    }
    let _ = writeln!(o, "\n## By owner (shared responsibility)\n\n| Owner | PASS | FAIL | ERROR | MANUAL | INHERITED |\n|---|---:|---:|---:|---:|---:|");
    for (k, v) in &r.summary.by_owner {
        let _ = writeln!(
            o,
            "| {k} | {} | {} | {} | {} | {} |",
            v.pass, v.fail, v.error, v.manual, v.inherited
        );
    }
    if let Some(changes) = &r.readiness {
        let _ = writeln!(
            o,
            "\n## What the proposed rule would change here\n\n| Requirement | Title | Status | What would change |\n|---|---|---|---|"
        );
        for c in changes {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                c.citation,
                cell(&c.title),
                c.status.map(|s| s.label()).unwrap_or("NOT COVERED"),
                cell(&c.summary)
            );
        }
    }
    for (status, heading) in [
        (Status::Fail, "Failures"),
        (Status::Error, "Insufficient data (ERROR)"),
        (Status::Waived, "Waived"),
    ] {
        let list: Vec<_> = r.with_status(status).collect();
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(o, "\n## {heading}\n");
        let _ = writeln!(
            o,
            "| Severity | Control | Resource | Citations | Message |\n|---|---|---|---|---|"
        );
        for f in &list {
            let _ = writeln!(
                o,
                "| {} | `{}` | `{}`{} | {} | {} |",
                f.severity,
                f.control_id,
                cell(f.resource_label()),
                at(f),
                f.citations.join(", "),
                cell(&f.message)
            );
        }
        if status == Status::Fail {
            let _ = writeln!(o, "\n### How to fix\n");
            let mut seen = std::collections::BTreeSet::new();
            for f in &list {
                if !seen.insert(&f.control_id) {
                    continue;
                }
                let _ = writeln!(
                    o,
                    "- **`{}`** — {}: {}",
                    f.control_id, f.title, f.remediation.console
                );
                if let Some(cli) = &f.remediation.cli {
                    let _ = writeln!(o, "  ```sh\n  {}\n  ```", cli.replace('\n', "\n  "));
                }
            }
        }
    }
    let manual: Vec<_> = r.with_status(Status::Manual).collect();
    if !manual.is_empty() {
        let _ = writeln!(o, "\n## Needs attestation (MANUAL)\n");
        for f in manual {
            let _ = writeln!(
                o,
                "- `{}` {} ({})",
                f.control_id,
                f.title,
                f.citations.join(", ")
            );
        }
    }
    let _ = writeln!(o, "\n## All findings\n\n| Status | Severity | Control | Resource | Owner | Message |\n|---|---|---|---|---|---|");
    for f in &r.findings {
        let _ = writeln!(
            o,
            "| {} | {} | `{}` | `{}`{} | {} | {} |",
            f.status,
            f.severity,
            f.control_id,
            cell(f.resource_label()),
            at(f),
            f.owner,
            cell(&f.message)
        );
    }
    o
}

/// ` at file:line:column` for a finding about infrastructure code.
fn at(f: &super::Finding) -> String {
    f.location
        .as_ref()
        .map(|l| format!(" at {}", cell(&l.to_string())))
        .unwrap_or_default()
}
