use super::severity_score;
use crate::report::{Finding, Report};
use crate::vocabulary::{Severity, Status};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Informational => "note",
    }
}

fn rule(r: &Report, f: &Finding) -> Value {
    let prefix = &r.framework.citation_prefix;
    let rule_name = if r.framework.is_proposed() {
        "proposed HIPAA"
    } else {
        "HIPAA"
    };
    let mut help = f.remediation.console.clone();
    if let Some(cli) = &f.remediation.cli {
        help.push_str("\n\nCLI:\n");
        help.push_str(cli);
    }
    let mut tags = vec![
        "hipaa".to_string(),
        "security".to_string(),
        f.category.name().to_string(),
    ];
    tags.extend(f.citations.iter().map(|c| format!("{prefix} {c}")));
    json!({
        "id": f.control_id,
        "name": f.control_id.replace(['.', '_'], "-"),
        "shortDescription": {"text": f.title},
        "fullDescription": {"text": format!("{} ({rule_name} {}; owner: {})", f.title, f.citations.join(", "), f.owner)},
        "help": {"text": help},
        "defaultConfiguration": {"level": level(f.severity)},
        "properties": {
            "security-severity": format!("{:.1}", severity_score(f.severity)),
            "tags": tags,
            "precision": "very-high"
        }
    })
}

/// A file path as a SARIF URI reference: forward slashes, relative paths kept relative.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.strip_prefix("./").unwrap_or(&p).replace(' ', "%20")
}

/// SARIF 2.1.0: one rule per control (stable `ruleId`), one result per FAIL, ERROR or WAIVED finding.
pub(super) fn render(r: &Report) -> String {
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    for f in &r.findings {
        rules.entry(&f.control_id).or_insert_with(|| rule(r, f));
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let results: Vec<Value> = r
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Error | Status::Waived))
        .map(|f| {
            let (kind, lvl, text) = match f.status {
                Status::Error => ("review", "warning", format!("insufficient data: {}", f.message)),
                _ => ("fail", level(f.severity), f.message.clone()),
            };
            let mut v = json!({
                "ruleId": f.control_id,
                "ruleIndex": index.get(f.control_id.as_str()).copied().unwrap_or(0),
                "kind": kind,
                "level": lvl,
                "message": {"text": format!("{}: {text}", f.resource_label())},
                "locations": [{
                    "logicalLocations": [{
                        "name": f.resource_label(),
                        "fullyQualifiedName": f.resource.arn,
                        "kind": "resource"
                    }]
                }],
                "partialFingerprints": {"hipaaFinding/v1": format!("{}|{}", f.control_id, f.resource.arn)},
                "properties": {
                    "status": f.status.label(),
                    "resourceKind": f.resource.kind,
                    "account": f.resource.account,
                    "region": f.resource.region,
                    "citations": f.citations
                }
            });
            if let Some(l) = &f.location {
                // Code scanning shows the result on the line of the template or `.tf` file.
                v["locations"][0]["physicalLocation"] = json!({
                    "artifactLocation": {"uri": uri(&l.file)},
                    "region": {"startLine": l.line, "startColumn": l.column}
                });
            }
            if f.status == Status::Waived {
                v["suppressions"] = json!([{"kind": "external", "status": "accepted", "justification": f.message}]);
            }
            v
        })
        .collect();
    let mut properties = json!({"account": r.account, "totals": r.summary.totals});
    if r.framework.is_proposed() {
        properties["framework"] = json!(r.framework);
        properties["readinessNote"] = json!(r.framework.banner);
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": r.tool.name,
                "version": r.tool.version,
                "informationUri": "https://github.com/hipaa-aws/hipaa-aws",
                "rules": rules.into_values().collect::<Vec<_>>()
            }},
            "invocations": [{"executionSuccessful": r.summary.completeness.complete, "endTimeUtc": r.generated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}],
            "results": results,
            "properties": properties
        }]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
