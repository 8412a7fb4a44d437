//! Corpus harness: every file in `tests/data/policies/` is a realistic policy with the verdicts
//! the analysis must reach, so a change in behaviour shows up as a named file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hipaa_core::aws::policy::{PolicyDocument, KMS_USE_ACTIONS};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The account the `kms_wildcard_grantees` expectations are written for.
const ACCOUNT: &str = "111122223333";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    /// The policy as JSON, or a string holding URL-encoded or malformed text.
    policy: Value,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    parse_ok: bool,
    full_admin: bool,
    public: bool,
    denies_insecure_transport_s3: bool,
    kms_decrypt_to_everyone: bool,
    kms_wildcard_grantees: Vec<String>,
    /// Optional: the labels `public_statements` must return, in order.
    #[serde(default)]
    public_statements: Option<Vec<String>>,
    /// Optional: the labels `pass_role_on_every_role` must return, in order.
    #[serde(default)]
    pass_role_on_every_role: Option<Vec<String>>,
    /// Optional: the other accounts `cross_account_grants` (for key use) must name, in order.
    #[serde(default)]
    kms_cross_account: Option<Vec<String>>,
    /// Optional: `denies_insecure_transport` for other services (`sqs`, `sns`,
    /// `elasticfilesystem`, …), service to expected answer.
    #[serde(default)]
    denies_insecure_transport: BTreeMap<String, bool>,
}

fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/policies");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn load(path: &Path) -> Result<Case, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("not a corpus case: {e}"))
}

/// Checks one case and returns every mismatch (empty when the case holds).
fn check(case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    if case.description.trim().is_empty() {
        problems.push("empty description".to_string());
    }
    let text = match &case.policy {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let parsed = PolicyDocument::parse(&text);
    let e = &case.expect;
    if parsed.is_ok() != e.parse_ok {
        problems.push(format!("parse_ok: expected {}, got {parsed:?}", e.parse_ok));
        return problems;
    }
    let doc = match parsed {
        Ok(doc) => doc,
        Err(err) => {
            let m = &err.message;
            if m.is_empty() || m.starts_with(char::is_uppercase) || m.ends_with('.') {
                problems.push(format!("badly formed error message `{m}`"));
            }
            if e.full_admin
                || e.public
                || e.denies_insecure_transport_s3
                || e.kms_decrypt_to_everyone
                || !e.kms_wildcard_grantees.is_empty()
                || e.public_statements.is_some()
                || e.pass_role_on_every_role.is_some()
                || e.kms_cross_account.is_some()
                || e.denies_insecure_transport.values().any(|v| *v)
            {
                problems.push("a case that must not parse cannot expect findings".to_string());
            }
            return problems;
        }
    };
    let mut expect_eq = |what: &str, want: String, got: String| {
        if want != got {
            problems.push(format!("{what}: expected {want}, got {got}"));
        }
    };
    expect_eq(
        "full_admin",
        e.full_admin.to_string(),
        doc.grants_full_admin().to_string(),
    );
    expect_eq(
        "public",
        e.public.to_string(),
        doc.allows_public_access().to_string(),
    );
    let public = doc.public_statements();
    expect_eq(
        "public_statements non-empty",
        e.public.to_string(),
        (!public.is_empty()).to_string(),
    );
    if let Some(labels) = &e.public_statements {
        let got: Vec<&str> = public.iter().map(|g| g.statement.as_str()).collect();
        expect_eq(
            "public_statements",
            format!("{labels:?}"),
            format!("{got:?}"),
        );
    }
    expect_eq(
        "denies_insecure_transport_s3",
        e.denies_insecure_transport_s3.to_string(),
        doc.denies_insecure_transport("s3").to_string(),
    );
    for (service, want) in &e.denies_insecure_transport {
        expect_eq(
            &format!("denies_insecure_transport({service})"),
            want.to_string(),
            doc.denies_insecure_transport(service).to_string(),
        );
    }
    expect_eq(
        "kms_decrypt_to_everyone",
        e.kms_decrypt_to_everyone.to_string(),
        doc.grants_kms_decrypt_to_everyone().to_string(),
    );
    expect_eq(
        "kms_wildcard_grantees",
        format!("{:?}", e.kms_wildcard_grantees),
        format!("{:?}", doc.kms_wildcard_grantees(ACCOUNT)),
    );
    if let Some(labels) = &e.pass_role_on_every_role {
        expect_eq(
            "pass_role_on_every_role",
            format!("{labels:?}"),
            format!("{:?}", doc.pass_role_on_every_role()),
        );
    }
    if let Some(accounts) = &e.kms_cross_account {
        let got: Vec<String> = doc
            .cross_account_grants(ACCOUNT, &KMS_USE_ACTIONS)
            .into_iter()
            .flat_map(|g| g.accounts)
            .collect();
        expect_eq(
            "kms_cross_account",
            format!("{accounts:?}"),
            format!("{got:?}"),
        );
    }
    problems
}

#[test]
fn every_corpus_policy_meets_its_expectations() {
    let files = corpus_files();
    assert!(
        files.len() >= 25,
        "the corpus should hold at least 25 policies, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut cases = Vec::new();
    for path in &files {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match load(path) {
            Ok(case) => {
                for problem in check(&case) {
                    failures.push(format!("{name}: {problem}"));
                }
                cases.push(case);
            }
            Err(problem) => failures.push(format!("{name}: {problem}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus mismatch(es):\n  {}",
        failures.len(),
        failures.join("\n  ")
    );

    // The corpus must exercise both outcomes of every check.
    let both = |what: &str, flag: fn(&Expect) -> bool| {
        let ok: Vec<&Case> = cases.iter().filter(|c| c.expect.parse_ok).collect();
        assert!(ok.iter().any(|c| flag(&c.expect)), "no case expects {what}");
        assert!(
            ok.iter().any(|c| !flag(&c.expect)),
            "no case expects not {what}"
        );
    };
    both("full_admin", |e| e.full_admin);
    both("public", |e| e.public);
    both("denies_insecure_transport_s3", |e| {
        e.denies_insecure_transport_s3
    });
    both("kms_decrypt_to_everyone", |e| e.kms_decrypt_to_everyone);
    both("kms_wildcard_grantees", |e| {
        !e.kms_wildcard_grantees.is_empty()
    });
    let some = |what: &str, list: fn(&Expect) -> Option<&Vec<String>>| {
        assert!(
            cases
                .iter()
                .any(|c| list(&c.expect).is_some_and(|l| !l.is_empty())),
            "no case expects some {what}"
        );
        assert!(
            cases
                .iter()
                .any(|c| list(&c.expect).is_some_and(Vec::is_empty)),
            "no case expects no {what}"
        );
    };
    some("pass_role_on_every_role", |e| {
        e.pass_role_on_every_role.as_ref()
    });
    some("kms_cross_account", |e| e.kms_cross_account.as_ref());
    // Every service whose resource policies are asked about TLS, both ways.
    for service in ["sqs", "sns", "elasticfilesystem"] {
        for want in [true, false] {
            assert!(
                cases
                    .iter()
                    .any(|c| c.expect.denies_insecure_transport.get(service) == Some(&want)),
                "no case expects denies_insecure_transport({service}) = {want}"
            );
        }
    }
    assert!(
        cases.iter().any(|c| !c.expect.parse_ok),
        "no case expects a parse failure"
    );
}
