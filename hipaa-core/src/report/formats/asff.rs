use crate::report::{Finding, Report};
use crate::vocabulary::{Severity, Status};
use serde_json::{json, Value};

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
        Severity::Informational => "INFORMATIONAL",
    }
}

/// Compliance status: ERROR is NOT_AVAILABLE (never PASSED); MANUAL is WARNING.
fn compliance(s: Status) -> Option<&'static str> {
    match s {
        Status::Pass | Status::Inherited => Some("PASSED"),
        Status::Fail | Status::Waived => Some("FAILED"),
        Status::Error => Some("NOT_AVAILABLE"),
        Status::Manual => Some("WARNING"),
        Status::NotApplicable => None,
    }
}

fn finding(r: &Report, f: &Finding, status: &str) -> Value {
    let account = if f.resource.account.is_empty() {
        r.account.clone().unwrap_or_default()
    } else {
        f.resource.account.clone()
    };
    let region = f
        .resource
        .region
        .clone()
        .or_else(|| r.snapshot.regions.first().cloned())
        .unwrap_or_else(|| "us-east-1".into());
    let partition = f
        .resource
        .arn
        .split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_string();
    let time = r
        .generated_at
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let prefix = &r.framework.citation_prefix;
    let mut product = json!({"hipaa-aws/ControlId": f.control_id, "hipaa-aws/Status": f.status.label(), "hipaa-aws/Owner": f.owner.name()});
    if let Some(b) = &r.framework.banner {
        product["hipaa-aws/Framework"] = json!(r.framework.id);
        // ProductFields values are limited to 2048 characters.
        product["hipaa-aws/ReadinessNote"] = json!(b.chars().take(2048).collect::<String>());
    }
    json!({
        "SchemaVersion": "2018-10-08",
        "Id": format!("hipaa-aws/{}/{}", f.control_id, f.resource.arn),
        "ProductArn": format!("arn:{partition}:securityhub:{region}:{account}:product/{account}/default"),
        "GeneratorId": format!("hipaa-aws/{}", f.control_id),
        "AwsAccountId": account,
        "Types": ["Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls"],
        "CreatedAt": time,
        "UpdatedAt": time,
        "Severity": {"Label": label(f.severity)},
        "Title": f.title.chars().take(256).collect::<String>(),
        "Description": f.message.chars().take(1024).collect::<String>(),
        "Remediation": {"Recommendation": {"Text": f.remediation.console.chars().take(512).collect::<String>()}},
        "ProductFields": product,
        "Resources": [{"Type": f.resource.kind, "Id": f.resource.arn, "Partition": partition, "Region": region}],
        "Compliance": {
            "Status": status,
            "RelatedRequirements": f.citations.iter().map(|c| format!("HIPAA {prefix} {c}")).collect::<Vec<_>>()
        },
        "Workflow": {"Status": if f.status == Status::Waived { "SUPPRESSED" } else { "NEW" }},
        "RecordState": "ACTIVE"
    })
}

/// A JSON array of ASFF findings (NOT_APPLICABLE findings are left out: they are not findings).
pub(super) fn render(r: &Report) -> String {
    let list: Vec<Value> = r
        .findings
        .iter()
        .filter_map(|f| compliance(f.status).map(|s| finding(r, f, s)))
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
}
