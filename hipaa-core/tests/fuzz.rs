//! Every parser of user input, fed the project's own corpus and golden files mutated byte by
//! byte: each returns a value or a typed error that names the file, and never panics.
//!
//! CI runs the default number of cases; a longer run is `HIPAA_FUZZ_CASES=20000 cargo test
//! --release -p hipaa-core --test fuzz` (see the README's "Reliability" section).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hipaa_core::aws::policy::PolicyDocument;
use hipaa_core::{
    attest, demo, eligible::EligibleServices, iac, Engine, Framework, Report, Scope, Snapshot,
};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn read(rel: &str) -> Vec<u8> {
    let p = root().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const ATTESTATIONS: &str = r#"[[attestation]]
control = "admin.risk_analysis"
by = "Jane Roe, Security Officer"
date = 2026-03-01
evidence = "risk/2026-risk-analysis.pdf"
expires = 2027-03-01
"#;

/// The seeds: (name, bytes) of every kind of user input.
fn corpus() -> &'static Vec<(String, Vec<u8>)> {
    static C: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    C.get_or_init(|| {
        let mut v = vec![
            ("snapshot".to_string(), read("data/demo/snapshot.json")),
            (
                "snapshot-v1".to_string(),
                read("tests/data/snapshot-v1.json"),
            ),
            ("scope".to_string(), read("data/demo/scope.toml")),
            (
                "framework".to_string(),
                read("data/frameworks/hipaa-security-rule-2013.toml"),
            ),
            (
                "eligible".to_string(),
                read("data/hipaa-eligible-services.toml"),
            ),
            ("attestations".to_string(), ATTESTATIONS.as_bytes().to_vec()),
            (
                "template".to_string(),
                read("tests/data/iac/cloudformation/short-forms/template.yaml"),
            ),
            (
                "template".to_string(),
                read("tests/data/iac/cloudformation/long-forms/template.json"),
            ),
            (
                "template".to_string(),
                read("tests/data/iac/cloudformation/network/template.yaml"),
            ),
            (
                "plan".to_string(),
                read("tests/data/iac/terraform/unknown-bucket/plan.json"),
            ),
        ];
        let dir = root().join("tests/data/policies");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for f in files {
            let case: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&f).expect("policy case")).expect("JSON");
            let text = match &case["policy"] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            v.push(("policy".to_string(), text.into_bytes()));
        }
        v
    })
}

/// The golden report: large, so it gets its own, fewer, cases.
fn golden_report() -> &'static Vec<u8> {
    static R: OnceLock<Vec<u8>> = OnceLock::new();
    R.get_or_init(|| read("tests/golden/demo.json"))
}

/// One byte-level edit at a position chosen as a fraction of the input's length.
#[derive(Debug, Clone)]
enum Edit {
    Flip(f64, u8),
    Delete(f64, usize),
    Insert(f64, Vec<u8>),
    Truncate(f64),
    Duplicate(f64, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0.0..1.0f64;
    // Bytes that matter to JSON, TOML and YAML, and any byte.
    let byte = prop_oneof![
        prop::sample::select(b"{}[]\",:=.\\\n#'0-9eE+tfn !&*|>-".to_vec()),
        any::<u8>()
    ];
    prop_oneof![
        (at.clone(), byte.clone()).prop_map(|(a, b)| Edit::Flip(a, b)),
        (at.clone(), 1..16usize).prop_map(|(a, n)| Edit::Delete(a, n)),
        (at.clone(), prop::collection::vec(byte, 1..8)).prop_map(|(a, b)| Edit::Insert(a, b)),
        at.clone().prop_map(Edit::Truncate),
        (at, 1..64usize).prop_map(|(a, n)| Edit::Duplicate(a, n)),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let pos = |f: f64, len: usize| ((len as f64) * f) as usize % (len + 1);
        match e {
            Edit::Flip(f, b) => {
                if !bytes.is_empty() {
                    let i = pos(*f, bytes.len() - 1);
                    bytes[i] = *b;
                }
            }
            Edit::Delete(f, n) => {
                let i = pos(*f, bytes.len());
                let j = (i + n).min(bytes.len());
                bytes.drain(i..j);
            }
            Edit::Insert(f, b) => {
                let i = pos(*f, bytes.len());
                bytes.splice(i..i, b.iter().copied());
            }
            Edit::Truncate(f) => {
                let i = pos(*f, bytes.len());
                bytes.truncate(i);
            }
            Edit::Duplicate(f, n) => {
                let i = pos(*f, bytes.len());
                let j = (i + n).min(bytes.len());
                let span: Vec<u8> = bytes[i..j].to_vec();
                bytes.splice(j..j, span);
            }
        }
    }
    bytes
}

fn cases(default: u32) -> u32 {
    std::env::var("HIPAA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::bundled().expect("engine"))
}

/// Parse one mutated input with the parser for its kind; an error must name the file.
fn parse(kind: &str, text: &str) {
    let file = format!("fuzz/{kind}.input");
    let named = |e: hipaa_core::Error| {
        let m = e.to_string();
        assert!(m.contains(&file), "the error does not name {file}: {m}");
        assert!(!m.trim().is_empty());
    };
    match kind {
        "snapshot" | "snapshot-v1" => match Snapshot::from_json(text, &file) {
            // A snapshot that still parses is evaluated too: rules never panic on odd evidence.
            Ok(s) => {
                let _ = engine().evaluate(&s, &demo::scope().expect("scope"));
            }
            Err(e) => named(e),
        },
        "scope" => {
            if let Err(e) = Scope::from_toml(text, &file) {
                named(e)
            }
        }
        "framework" => {
            if let Err(e) = Framework::parse(text, &file) {
                named(e)
            }
        }
        "eligible" => {
            if let Err(e) = EligibleServices::from_toml(text, &file) {
                named(e)
            }
        }
        "attestations" => {
            if let Err(e) = attest::parse_attestations(text, &file) {
                named(e)
            }
        }
        "policy" => {
            // Policies arrive inside evidence, not as files: the error is typed and non-empty.
            if let Ok(doc) = PolicyDocument::parse(text) {
                let _ = (doc.grants_full_admin(), doc.allows_public_access());
                let _ = doc.public_statements();
                let _ = doc.denies_insecure_transport("s3");
                let _ = doc.kms_wildcard_grantees("111122223333");
            } else if let Err(e) = PolicyDocument::parse(text) {
                assert!(!e.message.is_empty());
            }
        }
        "report" => {
            if let Err(e) = Report::from_json(text, &file) {
                named(e)
            }
        }
        // Infrastructure code: a template or plan that still converts is evaluated too.
        "template" | "plan" => match iac::from_text(text, &file, &iac::Options::default()) {
            Ok(s) => {
                let _ = engine().evaluate(&s, &Scope::default());
            }
            Err(e) => named(e),
        },
        other => panic!("no parser for {other}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1024), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_inputs_give_a_value_or_a_named_error(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let (kind, seed) = which.get(corpus());
        let bytes = apply(seed.clone(), &edits);
        parse(kind, &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_text_gives_a_value_or_a_named_error(
        which in any::<prop::sample::Index>(),
        text in "\\PC{0,300}",
    ) {
        let (kind, _) = which.get(corpus());
        parse(kind, &text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1024) / 16 + 1, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_golden_reports_give_a_value_or_a_named_error(
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let bytes = apply(golden_report().clone(), &edits);
        parse("report", &String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn every_seed_parses_unmutated() {
    for (kind, bytes) in corpus() {
        let text = String::from_utf8_lossy(bytes);
        let file = format!("fuzz/{kind}.input");
        let ok = match kind.as_str() {
            "snapshot" | "snapshot-v1" => Snapshot::from_json(&text, &file).is_ok(),
            "scope" => Scope::from_toml(&text, &file).is_ok(),
            "framework" => Framework::parse(&text, &file).is_ok(),
            "eligible" => EligibleServices::from_toml(&text, &file).is_ok(),
            "attestations" => attest::parse_attestations(&text, &file).is_ok(),
            "template" | "plan" => iac::from_text(&text, &file, &Default::default()).is_ok(),
            // The policy corpus holds malformed cases on purpose.
            _ => true,
        };
        assert!(ok, "the seed {kind} does not parse");
    }
    assert!(Report::from_json(&String::from_utf8_lossy(golden_report()), "golden").is_ok());
}

/// Hostile shapes: each is handled within the documented limits or refused with a named error.
mod hostile {
    use super::*;

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = Snapshot::from_json(&deep, "deep.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("deep.json"), "{e}");
        assert!(Report::from_json(&deep, "deep.json").is_err());
        assert!(PolicyDocument::parse(&deep).is_err());
        let toml = format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = Scope::from_toml(&toml, "deep.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("deep.toml"), "{e}");
    }

    #[test]
    fn a_policy_with_ten_thousand_statements_is_analysed() {
        let statements: Vec<String> = (0..10_000)
            .map(|i| {
                format!(
                    r#"{{"Sid":"s{i}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::111122223333:role/r{i}"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/{i}/*"}}"#
                )
            })
            .collect();
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            statements.join(",")
        );
        let doc = PolicyDocument::parse(&text).expect("parses");
        assert!(!doc.allows_public_access());
        assert!(!doc.grants_full_admin());
        assert!(doc.public_statements().is_empty());
    }

    #[test]
    fn a_file_over_the_input_limit_is_refused_by_name() {
        let dir = std::env::temp_dir().join(format!("hipaa-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("huge-snapshot.json");
        // Sparse: no disk is written, but the file is over the limit.
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(hipaa_core::audit::MAX_INPUT_BYTES + 10).unwrap();
        drop(f);
        let e = Snapshot::load(&path).unwrap_err();
        let m = e.to_string();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(e.kind(), hipaa_core::ErrorKind::BadInput);
        assert!(
            m.contains("huge-snapshot.json") && m.contains("512 MiB limit"),
            "{m}"
        );
    }
}

/// A JSON value built from CloudFormation's and Terraform's own words, so generated documents
/// reach the intrinsic functions, conditions and plan links rather than stopping at the syntax.
fn code_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let word = prop::sample::select(vec![
        "Resources",
        "Type",
        "Properties",
        "Parameters",
        "Conditions",
        "Mappings",
        "Condition",
        "Default",
        "Ref",
        "Fn::GetAtt",
        "Fn::Sub",
        "Fn::If",
        "Fn::Join",
        "Fn::Select",
        "Fn::Split",
        "Fn::Equals",
        "Fn::And",
        "Fn::Or",
        "Fn::Not",
        "Fn::FindInMap",
        "Fn::ImportValue",
        "Fn::GetAZs",
        "Fn::Base64",
        "Fn::Cidr",
        "Fn::ToJsonString",
        "Fn::Length",
        "AWS::NoValue",
        "AWS::Region",
        "AWS::S3::Bucket",
        "AWS::S3::BucketPolicy",
        "AWS::KMS::Key",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::CloudTrail::Trail",
        "AWS::Backup::BackupSelection",
        "Bucket",
        "GroupId",
        "BucketEncryption",
        "Tags",
        "Key",
        "Value",
        "B",
        "C",
        "P",
        "format_version",
        "resource_changes",
        "address",
        "mode",
        "managed",
        "type",
        "name",
        "change",
        "actions",
        "after",
        "after_unknown",
        "bucket",
        "aws_s3_bucket",
        "aws_s3_bucket_policy",
        "configuration",
        "references",
        "policy",
        "1.2",
    ]);
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        (-3i64..70000).prop_map(J::from),
        word.clone().prop_map(|w| J::String(w.to_string())),
        "[a-z0-9.${}!:/*-]{0,12}".prop_map(J::String),
    ];
    leaf.prop_recursive(6, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(J::Array),
            prop::collection::vec((word.clone(), inner), 0..5).prop_map(|kv| J::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1024), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generated_templates_and_plans_give_a_value_or_a_named_error(
        body in code_value(),
        resources in prop::collection::vec(("[A-Z][a-z]{0,4}", code_value()), 1..4),
        yaml in any::<bool>(),
    ) {
        // A document with a `Resources` section (so the converter goes past detection) and the
        // generated body around it; as JSON, or as the same text read by the YAML parser.
        let mut doc = match body {
            serde_json::Value::Object(m) => m,
            other => [("Outputs".to_string(), other)].into_iter().collect(),
        };
        doc.insert(
            "Resources".into(),
            serde_json::Value::Object(resources.into_iter().collect()),
        );
        let text = serde_json::to_string_pretty(&serde_json::Value::Object(doc)).unwrap();
        let text = if yaml { format!("# yaml\n{text}") } else { text };
        parse("template", &text);
    }
}
