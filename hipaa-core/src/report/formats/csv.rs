use crate::report::Report;

const HEADER: [&str; 16] = [
    "status",
    "severity",
    "control_id",
    "title",
    "category",
    "owner",
    "citations",
    "resource_kind",
    "resource_id",
    "resource_name",
    "resource_arn",
    "account",
    "region",
    "phi",
    "message",
    "remediation",
];

/// Quote a field when it needs it (RFC 4180), and defuse spreadsheet formulas.
pub(crate) fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The column of infrastructure-code findings: a live scan's CSV keeps its sixteen columns.
const LOCATION: &str = "location";

/// Under a proposed rule every row carries the readiness notice in one more column, the only
/// place a CSV has for it.
pub(super) fn render(r: &Report) -> String {
    let located = r.findings.iter().any(|f| f.location.is_some());
    let note = r.framework.banner.as_deref();
    let mut o = HEADER.join(",");
    if located {
        o.push(',');
        o.push_str(LOCATION);
    }
    if note.is_some() {
        o.push_str(",readiness_note");
    }
    o.push_str("\r\n");
    for f in &r.findings {
        let phi = match f.resource.phi {
            Some(true) => "true",
            Some(false) => "false",
            None => "",
        };
        let row = [
            f.status.label(),
            f.severity.name(),
            &f.control_id,
            &f.title,
            f.category.name(),
            f.owner.name(),
            &f.citations.join("; "),
            &f.resource.kind,
            &f.resource.id,
            f.resource.name.as_deref().unwrap_or(""),
            &f.resource.arn,
            &f.resource.account,
            f.resource.region.as_deref().unwrap_or(""),
            phi,
            &f.message,
            &f.remediation.console,
        ];
        let mut cells: Vec<String> = row.iter().map(|c| field(c)).collect();
        if located {
            cells.push(field(
                &f.location
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ));
        }
        if let Some(n) = note {
            cells.push(field(n));
        }
        o.push_str(&cells.join(","));
        o.push_str("\r\n");
    }
    o
}
