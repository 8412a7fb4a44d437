use crate::report::{Finding, Report};
use crate::vocabulary::{Severity, Status};
use serde_json::{json, Value};

/// OCSF schema version these events follow.
pub(crate) const OCSF_VERSION: &str = "1.3.0";

fn severity_id(s: Severity) -> u8 {
    match s {
        Severity::Informational => 1,
        Severity::Low => 2,
        Severity::Medium => 3,
        Severity::High => 4,
        Severity::Critical => 5,
    }
}

/// Compliance status: 1 Pass, 2 Warning, 3 Fail, 0 Unknown (ERROR: never a pass), 99 Other.
fn compliance_status(s: Status) -> (u8, &'static str) {
    match s {
        Status::Pass | Status::Inherited => (1, "Pass"),
        Status::Manual => (2, "Warning"),
        Status::Fail | Status::Waived => (3, "Fail"),
        Status::Error => (0, "Unknown"),
        Status::NotApplicable => (99, "Other"),
    }
}

fn event(r: &Report, f: &Finding) -> Value {
    let (status_id, status) = compliance_status(f.status);
    let time = r.generated_at.timestamp_millis();
    let account = if f.resource.account.is_empty() {
        r.account.clone().unwrap_or_default()
    } else {
        f.resource.account.clone()
    };
    let standard = if r.framework.is_proposed() {
        format!(
            "{} ({}, proposed: readiness only, not compliance)",
            r.framework.name, r.framework.id
        )
    } else {
        "HIPAA Security Rule (45 CFR Part 164 Subpart C)".to_string()
    };
    let prefix = &r.framework.citation_prefix;
    let mut unmapped = unmapped(f);
    if let Some(b) = &r.framework.banner {
        unmapped["readiness_note"] = json!(b);
    }
    json!({
        "class_uid": 2003,
        "class_name": "Compliance Finding",
        "category_uid": 2,
        "category_name": "Findings",
        "activity_id": 1,
        "activity_name": "Create",
        "type_uid": 200301,
        "type_name": "Compliance Finding: Create",
        "severity_id": severity_id(f.severity),
        "severity": match f.severity { Severity::Informational => "Informational", Severity::Low => "Low", Severity::Medium => "Medium", Severity::High => "High", Severity::Critical => "Critical" },
        "status_id": 1,
        "status": "New",
        "time": time,
        "message": f.message,
        "metadata": {
            "version": OCSF_VERSION,
            "product": {"name": r.tool.name, "vendor_name": "hipaa-aws project", "version": r.tool.version},
            "event_code": f.control_id
        },
        "finding_info": {
            "uid": format!("hipaa-aws/{}/{}", f.control_id, f.resource.arn),
            "title": f.title,
            "desc": f.message,
            "created_time": time,
            "types": [f.category.name()]
        },
        "compliance": {
            "standards": [standard],
            "requirements": f.citations.iter().map(|c| format!("{prefix} {c}")).collect::<Vec<_>>(),
            "control": f.control_id,
            "status_id": status_id,
            "status": status,
            "status_detail": f.status.label()
        },
        "remediation": {"desc": f.remediation.console},
        "resources": [{
            "uid": f.resource.arn,
            "name": f.resource_label(),
            "type": f.resource.kind,
            "region": f.resource.region,
            "cloud_partition": f.resource.arn.split(':').nth(1).unwrap_or("aws")
        }],
        "cloud": {"provider": "AWS", "account": {"uid": account, "type": "AWS Account", "type_id": 10}, "region": f.resource.region},
        "unmapped": unmapped
    })
}

fn unmapped(f: &crate::report::Finding) -> serde_json::Value {
    let mut v = serde_json::json!({"owner": f.owner.name(), "reason": f.reason});
    if let Some(l) = &f.location {
        v["location"] = serde_json::json!({"file": l.file, "line": l.line, "column": l.column});
    }
    v
}

/// Newline-delimited JSON: one OCSF Compliance Finding event per finding.
pub(super) fn render(r: &Report) -> String {
    let mut o = String::new();
    for f in &r.findings {
        o.push_str(&serde_json::to_string(&event(r, f)).unwrap_or_default());
        o.push('\n');
    }
    o
}
