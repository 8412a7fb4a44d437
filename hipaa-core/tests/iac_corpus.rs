//! Corpus tests for the infrastructure-code converters: every case under `tests/data/iac/`
//! (CloudFormation templates written by hand, CDK output synthesized by `aws-cdk-lib`, Terraform
//! plans made by `terraform show -json`) is evaluated and compared with its `expected.txt`, one
//! line per finding about a resource of the code (and per account-level finding the code
//! answers): status, control id, resource id, file and line.
//!
//! `UPDATE_EXPECTED=1 cargo test -p hipaa-core --test iac_corpus` rewrites the files; review the
//! diff like any other change of behaviour.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hipaa_core::{iac, Engine, Scope, Status, UnknownReason};
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/iac")
}

/// Every case: a directory with `expected.txt` and its input (`plan.json`, `cdk.out/` or a
/// `template.yaml`/`template.json`).
fn cases() -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for kind in ["cloudformation", "cdk", "terraform"] {
        let Ok(dirs) = std::fs::read_dir(data().join(kind)) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = dirs
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for d in dirs {
            let input = ["plan.json", "cdk.out", "template.yaml", "template.json"]
                .iter()
                .map(|f| d.join(f))
                .find(|p| p.exists());
            if let Some(input) = input {
                out.push((d, input));
            }
        }
    }
    out
}

fn options() -> iac::Options {
    iac::Options {
        taken_at: Some("2026-12-01T00:00:00Z".parse().unwrap()),
        ..iac::Options::default()
    }
}

fn relative(file: &str) -> String {
    let base = data().display().to_string();
    file.strip_prefix(&base)
        .unwrap_or(file)
        .trim_start_matches('/')
        .to_string()
}

#[test]
fn every_case_reports_what_it_expects() {
    let engine = Engine::bundled().unwrap();
    let cases = cases();
    assert!(cases.len() >= 5, "the corpus is missing: {cases:?}");
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    for (dir, input) in cases {
        let snapshot = iac::load(std::slice::from_ref(&input), &options())
            .unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        assert!(snapshot.provenance.is_template());
        let report = engine
            .evaluate_at(&snapshot, &Scope::default(), snapshot.taken_at)
            .unwrap();
        let mut lines: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.location.is_some() || f.status != Status::NotApplicable)
            .map(|f| {
                let at = f.location.as_ref().map_or("-".to_string(), |l| {
                    format!("{}:{}", relative(&l.file), l.line)
                });
                format!(
                    "{} {} {} {at}",
                    f.status.label(),
                    f.control_id,
                    f.resource.id
                )
            })
            .collect();
        lines.sort();
        let text = lines.join("\n") + "\n";
        let expected_path = dir.join("expected.txt");
        if update {
            std::fs::write(&expected_path, &text).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != text {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{text}",
                dir.display()
            ));
        }
        // What the code leaves open is ERROR with its reason, never PASS.
        for f in &report.findings {
            if f.status == Status::Error {
                assert_eq!(
                    f.reason,
                    Some(UnknownReason::UnknownUntilApply),
                    "{}: {} {}: {}",
                    dir.display(),
                    f.control_id,
                    f.resource.id,
                    f.message
                );
                assert!(f.message.contains("unknown until apply"), "{}", f.message);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_template_gate_is_not_incomplete_for_controls_only_an_account_answers() {
    let snapshot = iac::from_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n", "t.yaml", &options()).unwrap();
    let report = Engine::bundled()
        .unwrap()
        .evaluate_at(&snapshot, &Scope::default(), snapshot.taken_at)
        .unwrap();
    for id in [
        "iam.root_mfa",
        "guardduty.enabled",
        "baa.account_covered",
        "s3.account_public_access_block",
        "cloudtrail.enabled",
        "admin.risk_analysis",
        "physical.aws_facilities",
    ] {
        let f = report.findings.iter().find(|f| f.control_id == id).unwrap();
        assert_eq!(f.status, Status::NotApplicable, "{id}: {}", f.message);
        assert!(
            f.message
                .starts_with("judged on the live account, not from a template"),
            "{id}: {}",
            f.message
        );
    }
    assert!(
        report.is_complete(),
        "{:?}",
        report
            .findings
            .iter()
            .filter(|f| f.status == Status::Error)
            .map(|f| &f.message)
            .collect::<Vec<_>>()
    );
}

#[test]
fn bad_inputs_are_named_errors() {
    let dir = std::env::temp_dir().join(format!("hipaa-iac-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            write("bad.yaml", b"Resources:\n  B:\n    Type: [\n"),
            "line",
        ),
        (
            write("empty.yaml", b"AWSTemplateFormatVersion: '2010-09-09'\n"),
            "no `Resources`",
        ),
        (
            write(
                "plan.json",
                b"{\"format_version\": \"9.0\", \"resource_changes\": []}",
            ),
            "unsupported plan `format_version` `9.0`",
        ),
        (
            write("other.json", b"{\"hello\": 1}"),
            "neither a CloudFormation template",
        ),
        (
            write("plan.tfplan", b"PK\x03\x04\x00\x00\xff\xfe"),
            "terraform show -json",
        ),
        (dir.join("missing.yaml"), "cannot access"),
    ];
    for (path, want) in cases {
        let e = iac::load(std::slice::from_ref(&path), &options()).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains(want) && m.contains(path.file_name().unwrap().to_str().unwrap()),
            "{}: {m}",
            path.display()
        );
        assert_eq!(e.kind(), hipaa_core::ErrorKind::BadInput, "{m}");
    }
    let e = iac::load(std::slice::from_ref(&dir), &options())
        .unwrap_err()
        .to_string();
    assert!(e.contains("manifest.json"), "{e}");
    let plan = write(
        "p2.json",
        b"{\"format_version\": \"1.2\", \"resource_changes\": []}",
    );
    assert!(iac::load_template(&plan, &options())
        .unwrap_err()
        .to_string()
        .contains("Terraform plan"));
    let template = write("t2.yaml", b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n");
    assert!(iac::load_plan(&template, &options())
        .unwrap_err()
        .to_string()
        .contains("CloudFormation template"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn deep_values_and_transforms_are_handled() {
    // Nesting just under the parser's limit converts without exhausting the stack.
    let mut value = "\"x\"".to_string();
    for _ in 0..120 {
        value = format!("{{\"A\": {value}}}");
    }
    let text = format!("{{\"Resources\": {{\"B\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"Tags\": [{{\"Key\": \"k\", \"Value\": \"v\"}}], \"X\": {value}}}}}}}}}");
    let snapshot = iac::from_text(&text, "deep.json", &options()).unwrap();
    Engine::bundled()
        .unwrap()
        .evaluate(&snapshot, &Scope::default())
        .unwrap();
    // A transform expands resources at deploy: the user is told they are not judged.
    let sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::SimpleTable\n";
    iac::from_text(sam, "sam.yaml", &options()).unwrap();
    let notices = hipaa_core::notice::take();
    assert!(
        notices
            .iter()
            .any(|n| n.contains("sam.yaml") && n.contains("AWS::Serverless-2016-10-31")),
        "{notices:?}"
    );
}

#[test]
fn environment_values_are_reduced_to_names_before_anything_is_stored() {
    let engine = Engine::bundled().unwrap();
    for case in [
        "cloudformation/workloads/template.yaml",
        "terraform/workloads/plan.json",
    ] {
        let input = data().join(case);
        let snapshot = iac::load(std::slice::from_ref(&input), &options()).unwrap();
        let report = engine
            .evaluate_at(&snapshot, &Scope::default(), snapshot.taken_at)
            .unwrap();
        let stored =
            serde_json::to_string(&snapshot).unwrap() + &serde_json::to_string(&report).unwrap();
        for value in [
            "sk-not-a-real-key",
            "hunter2",
            "placeholder-not-a-credential",
            "resolve:secretsmanager",
        ] {
            assert!(
                !stored.contains(value),
                "{case}: a value reached the evidence: {value}"
            );
        }
        for name in ["DB_PASSWORD", "LOG_LEVEL"] {
            if case.starts_with("cloudformation") {
                assert!(stored.contains(name), "{case}: {name} is missing");
            }
        }
    }
}
