//! The organization report's account view in the human formats: a line per account (its totals,
//! completeness, BAA and ePHI), the OU tree, and in HTML a drill-down to each account's failures
//! and errors. Empty for an account report.

use super::html::{badge, esc, finding_rows};
use super::{Finding, Report};
use crate::organization::{AccountSummary, BaaState};
use crate::vocabulary::Status;
use std::fmt::Write;

fn baa(b: BaaState) -> &'static str {
    match b {
        BaaState::Covered => "covered",
        BaaState::NotCovered => "NOT COVERED",
        BaaState::Unknown => "unknown",
        BaaState::NotApplicable => "not needed",
    }
}

fn phi(p: Option<bool>) -> &'static str {
    match p {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

fn name(a: &AccountSummary) -> &str {
    a.name.as_deref().unwrap_or("")
}

/// The account lines of the terminal table.
pub(super) fn table(r: &Report) -> String {
    if r.organization.is_none() {
        return String::new();
    }
    let mut o = String::from("\nAccounts:\n");
    let _ = writeln!(
        o,
        "  {:<12}  {:<24}  {:<12}  {:>5} {:>5} {:>5}  {:<10}  {:<11}  PHI",
        "ACCOUNT", "NAME", "STATE", "PASS", "FAIL", "ERROR", "COMPLETE", "BAA"
    );
    for a in &r.summary.by_account {
        let n: String = name(a).chars().take(24).collect();
        let _ = writeln!(
            o,
            "  {:<12}  {:<24}  {:<12}  {:>5} {:>5} {:>5}  {:<10}  {:<11}  {}",
            a.account,
            n,
            a.state,
            a.totals.pass,
            a.totals.fail,
            a.totals.error,
            if a.complete { "yes" } else { "no" },
            baa(a.baa),
            phi(a.holds_phi)
        );
    }
    o
}

/// The accounts and OUs sections of the Markdown report.
pub(super) fn markdown(r: &Report) -> String {
    if r.organization.is_none() {
        return String::new();
    }
    let mut o = String::from(
        "## Accounts\n\n| Account | Name | OU | State | PASS | FAIL | ERROR | Complete | BAA | ePHI |\n|---|---|---|---|---:|---:|---:|---|---|---|\n",
    );
    for a in &r.summary.by_account {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            a.account,
            name(a).replace('|', "\\|"),
            a.ou.as_deref().unwrap_or(""),
            a.state,
            a.totals.pass,
            a.totals.fail,
            a.totals.error,
            if a.complete { "yes" } else { "no" },
            baa(a.baa),
            phi(a.holds_phi)
        );
    }
    if !r.summary.by_ou.is_empty() {
        o.push_str("\n## Organizational units\n\n| Unit | Accounts | PASS | FAIL | ERROR | Complete |\n|---|---:|---:|---:|---:|---|\n");
        for u in &r.summary.by_ou {
            let _ = writeln!(
                o,
                "| {}{} (`{}`) | {} | {} | {} | {} | {} |",
                "— ".repeat(u.depth),
                u.name.replace('|', "\\|"),
                u.id,
                u.accounts.len(),
                u.totals.pass,
                u.totals.fail,
                u.totals.error,
                if u.complete { "yes" } else { "no" }
            );
        }
    }
    o.push('\n');
    o
}

/// The account table with a drill-down per account, and the OU tree, for the HTML report.
pub(super) fn html(r: &Report) -> String {
    let Some(org) = &r.organization else {
        return String::new();
    };
    let mut o = format!(
        "<h2 id=\"accounts\">Accounts ({})</h2><table><thead><tr><th>Account</th><th>Name</th><th>OU</th><th>State</th><th>PASS</th><th>FAIL</th><th>ERROR</th><th>Complete</th><th>BAA</th><th>ePHI</th></tr></thead><tbody>",
        r.summary.by_account.len()
    );
    for a in &r.summary.by_account {
        let _ = write!(
            o,
            "<tr class=\"account\" data-state=\"{}\"><td><a href=\"#account-{}\"><code>{}</code></a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&a.state),
            esc(&a.account),
            esc(&a.account),
            esc(name(a)),
            esc(a.ou.as_deref().unwrap_or("")),
            esc(&a.state),
            a.totals.pass,
            a.totals.fail,
            a.totals.error,
            if a.complete { "yes" } else { "<b>no</b>" },
            baa(a.baa),
            phi(a.holds_phi)
        );
    }
    o.push_str("</tbody></table>");
    if !r.summary.by_ou.is_empty() {
        o.push_str("<h3>Organizational units</h3><table><thead><tr><th>Unit</th><th>Accounts</th><th>PASS</th><th>FAIL</th><th>ERROR</th><th>Complete</th></tr></thead><tbody>");
        for u in &r.summary.by_ou {
            let _ = write!(
                o,
                "<tr><td style=\"padding-left:{}rem\">{} <code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                0.5 + 1.2 * u.depth as f64,
                esc(&u.name),
                esc(&u.id),
                u.accounts.len(),
                u.totals.pass,
                u.totals.fail,
                u.totals.error,
                if u.complete { "yes" } else { "<b>no</b>" }
            );
        }
        o.push_str("</tbody></table>");
    }
    for (a, e) in r.summary.by_account.iter().zip(&org.accounts) {
        let own: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| {
                f.account.as_deref() == Some(a.account.as_str())
                    && matches!(f.status, Status::Fail | Status::Error)
            })
            .collect();
        let _ = write!(
            o,
            "<details class=\"account\" id=\"account-{}\"><summary><code>{}</code> {} <span class=\"muted\">— {} · {} failure(s), {} error(s)</span></summary>",
            esc(&a.account),
            esc(&a.account),
            esc(name(a)),
            esc(&a.state),
            a.totals.fail,
            a.totals.error
        );
        match &e.scan {
            crate::organization::AccountScan::NotScanned { why } => {
                let _ = write!(o, "<p>{}.</p>", esc(why.describe()));
            }
            crate::organization::AccountScan::Unreachable {
                role_arn, detail, ..
            } => {
                let _ = write!(
                    o,
                    "<p>{} role <code>{}</code> could not be assumed: {}</p>",
                    badge(Status::Error),
                    esc(role_arn),
                    esc(detail)
                );
            }
            crate::organization::AccountScan::Scanned { via, regions, .. } => {
                let _ = write!(
                    o,
                    "<p class=\"muted\">Scanned with {} in {}.</p>",
                    esc(via),
                    esc(&regions.join(", "))
                );
            }
        }
        if !own.is_empty() {
            o.push_str(&finding_rows(&own, false));
        }
        o.push_str("</details>");
    }
    o
}
