//! Tests across services: the catalog lives where its ids say, every regional rule reports a
//! region it could not read, and the logging and monitoring controls together.

use crate::scope::Scope;
use crate::testkit::*;
use crate::vocabulary::Status::*;

#[test]
fn a_named_disabled_region_is_error_and_so_are_its_regional_controls() {
    let mut s = base();
    s.regions = vec!["us-east-1".into(), "ap-east-1".into()];
    let m = messages(&s, "scope.regions_scanned");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].0, Error);
    assert!(m[0].1.contains("not-opted-in"), "{}", m[0].1);
    // ap-east-1 has no evidence anywhere: the regional controls say why.
    let flow = messages(&s, "vpc.flow_logs");
    assert!(flow
        .iter()
        .any(|(st, msg)| *st == Error && msg.contains("`ap-east-1` is not enabled")));
    let trail = messages(&s, "guardduty.enabled");
    assert!(trail
        .iter()
        .any(|(st, msg)| *st == Error && msg.contains("`ap-east-1` is not enabled")));
}

#[test]
fn every_regional_control_is_error_in_a_named_disabled_region() {
    let mut with_disabled = base();
    with_disabled.regions.push("ap-east-1".into());
    let scope = Scope::default();
    for rule in crate::rules::builtin() {
        let regional = outcomes_in(&base(), rule.id, &scope)
            .iter()
            .any(|o| o.resource.region.as_deref() == Some("us-east-1"));
        if !regional {
            continue;
        }
        let flagged = outcomes_in(&with_disabled, rule.id, &scope)
            .iter()
            .any(|o| o.status == Error && o.message.contains("`ap-east-1` is not enabled"));
        assert!(
            flagged,
            "{} says nothing about the disabled region",
            rule.id
        );
    }
}

const ALL: [&str; 15] = [
    "cloudtrail.enabled",
    "cloudtrail.log_validation",
    "cloudtrail.kms_encryption",
    "cloudtrail.cloudwatch_delivery",
    "cloudtrail.s3_data_events",
    "cloudtrail.bucket_secure",
    "config.recorder",
    "guardduty.enabled",
    "securityhub.enabled",
    "cloudwatch.log_group_kms",
    "cloudwatch.log_group_retention",
    "cloudwatch.alarm_root_use",
    "cloudwatch.alarm_console_login_failures",
    "cloudwatch.alarm_iam_changes",
    "cloudwatch.alarm_cloudtrail_changes",
];

#[test]
fn compliant_snapshot_passes_every_control() {
    let s = snapshot_with(vec![bucket("b"), bucket("trail-logs")]);
    for id in ALL {
        let v = statuses(&s, id);
        assert!(
            !v.is_empty() && v.iter().all(|x| *x == Pass),
            "{id}: {:?}",
            outcomes(&s, id)
        );
    }
}

#[test]
fn unknown_logging_section_is_one_account_error_per_control() {
    let mut s = snapshot_with(vec![bucket("b")]);
    s.services.cloudtrail = None;
    s.services.config = None;
    s.services.guardduty = None;
    s.services.securityhub = None;
    s.services.cloudwatch = None;
    for id in ALL {
        let o = outcomes(&s, id);
        assert_eq!(o.len(), 1, "{id}");
        assert_eq!(o[0].status, Error, "{id}");
        assert_eq!(o[0].resource.kind, "AwsAccount", "{id}");
    }
}

#[test]
fn a_scanned_region_without_evidence_is_error_not_absent() {
    let mut s = snapshot_with(vec![]);
    s.regions = vec!["us-east-1".into(), "eu-west-1".into()];
    for id in [
        "config.recorder",
        "guardduty.enabled",
        "securityhub.enabled",
    ] {
        assert_eq!(statuses(&s, id), vec![Pass, Error], "{id}");
    }
    assert_eq!(statuses(&s, "cloudwatch.log_group_kms"), vec![Pass, Error]);
}

// --- the layout -------------------------------------------------------------------------------

/// Kinds any service may report: the account, one region of it, a tagged resource of a service
/// without a folder, and a service in use.
const GENERIC_KINDS: &[&str] = &[
    "AwsAccount",
    "AwsAccountRegion",
    "AwsResource",
    "AwsService",
];

/// Every way the catalog and the rules can stray from the folder layout.
fn layout_problems(
    catalogs: &[(&str, &str)],
    rules: &[(&str, &str)],
    kinds: &[(&str, &[&str])],
) -> Vec<String> {
    let registry = crate::registry::Registry::bundled().unwrap();
    let known_kinds: std::collections::BTreeSet<&str> = kinds
        .iter()
        .flat_map(|(_, k)| k.iter().copied())
        .chain(GENERIC_KINDS.iter().copied())
        .collect();
    let mut problems = Vec::new();
    let mut entries: Vec<(String, crate::catalog::Control)> = Vec::new();
    for (path, text) in catalogs {
        let folder = path
            .strip_prefix("services/")
            .and_then(|p| p.strip_suffix("/controls.toml"))
            .unwrap_or(path);
        // Parse this file alone to see its own entries.
        let mut alone = crate::catalog::Catalog::empty();
        if let Err(e) = alone.extend_from_toml(text, path, registry) {
            problems.push(e.to_string());
            continue;
        }
        for ctl in alone.controls() {
            let prefix = ctl.id.split('.').next().unwrap_or_default();
            if prefix != folder {
                problems.push(format!(
                    "control `{}` is in `{path}`: it belongs in `services/{prefix}/`",
                    ctl.id
                ));
            }
            if !known_kinds.contains(ctl.resource_kind.as_str()) {
                problems.push(format!(
                    "control `{}` has unknown resource_kind `{}` (add it to a service's KINDS)",
                    ctl.id, ctl.resource_kind
                ));
            }
            entries.push((folder.to_string(), ctl.clone()));
        }
    }
    for (folder, id) in rules {
        match entries.iter().find(|(_, c)| c.id == *id) {
            None => problems.push(format!("rule `{id}` (in `{folder}`) has no catalog entry")),
            Some((f, c)) => {
                if f != folder {
                    problems.push(format!(
                        "rule `{id}` is registered by `{folder}` but catalogued in `{f}`"
                    ));
                }
                if !c.check.is_decided_by_rule() {
                    problems.push(format!("rule `{id}` decides a {:?} control", c.check));
                }
            }
        }
        if id.split('.').next() != Some(folder) {
            problems.push(format!("rule `{id}` is registered by `services/{folder}/`"));
        }
    }
    for (_, c) in &entries {
        if c.check.is_decided_by_rule() && !rules.iter().any(|(_, id)| *id == c.id) {
            problems.push(format!("automated control `{}` has no rule", c.id));
        }
    }
    problems
}

/// Every rule, account and organization-wide, with the folder that registers it.
fn bundled_rules() -> Vec<(&'static str, &'static str)> {
    crate::services::rules()
        .into_iter()
        .map(|(folder, r)| (folder, r.id))
        .chain(
            crate::services::org::organization_rules()
                .into_iter()
                .map(|r| ("org", r.id)),
        )
        .collect()
}

#[test]
fn every_control_lives_in_the_folder_its_id_names() {
    let problems = layout_problems(
        crate::services::CATALOGS,
        &bundled_rules(),
        crate::services::KINDS,
    );
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_misplaced_control_or_rule_is_caught() {
    let misplaced = r#"
[[control]]
id = "guardduty.elsewhere"
title = "t"
category = "monitoring"
citations = ["164.312(b)"]
owner = "customer"
severity = "low"
resource_kind = "AwsNoSuchThing"
check = "automated"
rationale = "r"
remediation = { console = "c", cli = "x" }
"#;
    let catalogs = [("services/s3/controls.toml", misplaced)];
    let rules = [("s3", "guardduty.elsewhere"), ("s3", "s3.ghost")];
    let p = layout_problems(&catalogs, &rules, crate::services::KINDS).join("\n");
    assert!(p.contains("belongs in `services/guardduty/`"), "{p}");
    assert!(p.contains("unknown resource_kind `AwsNoSuchThing`"), "{p}");
    assert!(
        p.contains("rule `s3.ghost` (in `s3`) has no catalog entry"),
        "{p}"
    );
    assert!(
        p.contains("rule `guardduty.elsewhere` is registered by `services/s3/`"),
        "{p}"
    );
}

#[test]
fn every_finding_names_a_known_resource_kind() {
    let known: Vec<&str> = crate::services::KINDS
        .iter()
        .flat_map(|(_, k)| k.iter().copied())
        .chain(GENERIC_KINDS.iter().copied())
        .collect();
    let s = snapshot_with(vec![bucket("b"), bucket("trail-logs")]);
    for rule in crate::rules::builtin() {
        for o in outcomes(&s, rule.id) {
            assert!(
                known.contains(&o.resource.kind.as_str()),
                "{}: unknown kind `{}`",
                rule.id,
                o.resource.kind
            );
        }
    }
}

#[test]
fn every_section_has_a_fixture_and_a_missing_section_is_error_for_an_account() {
    let full = base();
    let rules = crate::rules::builtin();
    // With every section absent from a live snapshot, no rule passes anything.
    let mut empty = base();
    empty.services = crate::services::Services::default();
    // (scope.regions_scanned reads the account's region list, which is not a service section.)
    for rule in rules.iter().filter(|r| r.id != "scope.regions_scanned") {
        let all = outcomes(&empty, rule.id);
        assert!(
            all.iter().all(|o| o.status != Pass),
            "{} passes without evidence: {all:?}",
            rule.id
        );
    }
    // The same absence in a template is not for the template to answer.
    empty.provenance = crate::evidence::Provenance::Template {
        format: "cloudformation".into(),
        path: "t.yaml".into(),
        resources: Vec::new(),
    };
    for id in ["guardduty.enabled", "iam.root_mfa", "baa.account_covered"] {
        let o = outcomes(&empty, id);
        assert_eq!(o.len(), 1, "{id}");
        assert_eq!(o[0].status, NotApplicable, "{id}");
        assert!(o[0].message.contains("live account"), "{id}");
    }
    assert!(rules.iter().any(|r| !outcomes(&full, r.id).is_empty()));
}
