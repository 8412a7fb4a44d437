#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The `hipaa` command without AWS: demo, catalog listings, offline evaluation and bad input.

use std::path::PathBuf;
use std::process::{Command, Output};

fn hipaa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hipaa"))
        .args(args)
        .output()
        .expect("hipaa runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A file for one test, under cargo's scratch directory for integration tests (inside
/// `target/`), so runs do not pile up in the system's temporary directory.
fn temp(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-test");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn demo_prints_the_report_and_exits_zero() {
    let o = hipaa(&["demo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("s3.bucket_policy_not_public") && out.contains("public-website"),
        "{out}"
    );
    assert!(out.contains("Completeness"));
}

#[test]
fn demo_fail_on_gives_exit_code_3() {
    assert_eq!(
        hipaa(&["demo", "--fail-on", "critical", "--format", "json"])
            .status
            .code(),
        Some(3)
    );
}

#[test]
fn demo_json_is_the_stable_schema() {
    let o = hipaa(&["demo", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["schema_version"], "1.0");
    assert!(v["findings"].as_array().is_some_and(|f| !f.is_empty()));
    assert!(v["summary"]["by_citation"]
        .as_array()
        .is_some_and(|c| c.len() == 68));
    assert_eq!(v["framework"]["id"], "hipaa-2013");
}

#[test]
fn markdown_format() {
    let o = hipaa(&["demo", "--format", "markdown"]);
    assert!(stdout(&o).starts_with("# HIPAA Security Rule report"));
}

#[test]
fn citations_lists_every_spec_with_owner() {
    let o = hipaa(&["citations", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let list = v.as_array().expect("array");
    assert_eq!(list.len(), 68);
    for c in [
        "164.314(b)(2)(ii)",
        "164.314(b)(2)(iii)",
        "164.314(b)(2)(iv)",
    ] {
        assert!(list.iter().any(|s| s["citation"] == c), "{c} missing");
    }
    let table = stdout(&hipaa(&["citations"]));
    assert!(table.contains("68 requirements"), "{table}");
    assert!(list
        .iter()
        .all(|s| ["aws", "customer", "shared"].contains(&s["owner"].as_str().unwrap_or(""))));
    let physical = hipaa(&["citations", "--safeguard", "physical", "--owner", "aws"]);
    assert!(stdout(&physical).contains("164.310(a)(1)"));
}

#[test]
fn citations_of_the_proposed_rule_list_owners_controls_and_attestations() {
    let o = hipaa(&["citations", "--framework", "hipaa-nprm-2025"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("readiness only, not compliance"), "{out}");
    assert!(out.contains("164.308(a)(14)") && out.contains("attestation"));
    assert!(out.contains("164.312(b)") && out.contains("s3.default_encryption"));
    // Each proposed requirement names its page of the notice.
    assert!(out.contains("PAGE"), "{out}");
    assert!(out
        .lines()
        .any(|l| l.starts_with("164.308(a)(14) ") && l.contains(" 1016 ")));
    let o = hipaa(&[
        "citations",
        "--framework",
        "hipaa-nprm-2025",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let pen = v
        .as_array()
        .expect("array")
        .iter()
        .find(|s| s["citation"] == "164.312(h)(2)(iii)")
        .expect("penetration testing");
    assert_eq!(pen["attestation_only"], true);
    assert_eq!(pen["page"], 1019);
    let o = hipaa(&["citations", "--framework", "hipaa-1999"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("hipaa-nprm-2025"), "{}", stderr(&o));
}

#[test]
fn the_proposed_rule_regroups_without_changing_a_status() {
    let base = hipaa(&["demo", "--format", "json"]);
    let nprm = hipaa(&["demo", "--format", "json", "--framework", "hipaa-nprm-2025"]);
    let (b, n): (serde_json::Value, serde_json::Value) = (
        serde_json::from_slice(&base.stdout).expect("json"),
        serde_json::from_slice(&nprm.stdout).expect("json"),
    );
    assert_eq!(n["framework"]["status"], "proposed");
    assert_eq!(b["summary"]["totals"], n["summary"]["totals"]);
    let key = |v: &serde_json::Value| {
        let mut k: Vec<String> = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                format!(
                    "{} {} {}",
                    f["control_id"], f["resource"]["arn"], f["status"]
                )
            })
            .collect();
        k.sort();
        k
    };
    assert_eq!(key(&b), key(&n));
    // A saved 2013 report converts to the proposed rule's grouping, and back.
    let saved = temp("base-report.json", &stdout(&base));
    let o = hipaa(&[
        "report",
        saved.to_str().unwrap(),
        "--framework",
        "hipaa-nprm-2025",
        "--format",
        "markdown",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("readiness only, not compliance"));
    let table = stdout(&hipaa(&["demo", "--framework", "hipaa-nprm-2025"]));
    assert!(table.starts_with("PROPOSED RULE"), "{table}");
}

#[test]
fn a_framework_file_of_ones_own_is_checked_and_used() {
    let file = temp(
        "acme-framework.toml",
        "[framework]\nid = \"acme\"\nname = \"Acme\"\nversion = \"1\"\nstatus = \"final\"\nsource = \"Acme rev 1\"\ncitation_prefix = \"Acme\"\n\n[[requirement]]\ncitation = \"A-1\"\ntitle = \"Encrypt\"\nsafeguard = \"technical\"\nkind = \"standard\"\nstandard = \"A-1\"\nrequirement = \"required\"\nowner = \"customer\"\nowner_reason = \"ours\"\ncontrols = [\"s3.default_encryption\"]\n",
    );
    let o = hipaa(&[
        "demo",
        "--format",
        "json",
        "--framework-file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["framework"]["id"], "acme");
    assert_eq!(
        v["summary"]["by_citation"].as_array().map(Vec::len),
        Some(1)
    );
    let bad = temp(
        "bad-framework.toml",
        &std::fs::read_to_string(&file)
            .unwrap()
            .replace("s3.default_encryption", "s3.nope"),
    );
    let o = hipaa(&["citations", "--framework-file", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("bad-framework.toml") && e.contains("line 18") && e.contains("`s3.nope`"),
        "{e}"
    );
}

#[test]
fn network_map_exports_the_phi_vpcs_of_a_snapshot() {
    let snap =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../hipaa-core/data/demo/snapshot.json");
    let scope =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../hipaa-core/data/demo/scope.toml");
    let o = hipaa(&[
        "network-map",
        snap.to_str().unwrap(),
        "--scope",
        scope.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let vpcs = v["vpcs"].as_array().expect("vpcs");
    assert!(!vpcs.is_empty(), "{v}");
    assert!(vpcs.iter().all(|x| x["phi"] != false));
    // Exit 0 when every listing was read, 4 when the map is incomplete (and says where).
    match o.status.code() {
        Some(0) => assert!(v["gaps"].as_array().is_some_and(Vec::is_empty)),
        Some(4) => assert!(stderr(&o).contains("incomplete")),
        other => panic!("exit {other:?}: {}", stderr(&o)),
    }
}

#[test]
fn controls_can_be_filtered() {
    let o = hipaa(&[
        "controls",
        "--format",
        "json",
        "--category",
        "key-management",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(v
        .as_array()
        .expect("array")
        .iter()
        .all(|c| c["category"] == "key-management"));
    let o = hipaa(&["controls", "--citation", "164.312(d)"]);
    assert!(stdout(&o).contains("iam.root_mfa"));
    let o = hipaa(&["controls", "--category", "nonsense"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("`nonsense`"));
}

#[test]
fn transmission_security_is_answered_by_automated_transit_controls() {
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_slice(&hipaa(args).stdout).expect("json")
    };
    let controls = json(&["controls", "--format", "json"]);
    let automated: Vec<&str> = controls
        .as_array()
        .expect("array")
        .iter()
        .filter(|c| c["check"] == "automated")
        .filter_map(|c| c["id"].as_str())
        .collect();
    let specs = json(&["citations", "--format", "json"]);
    for citation in ["164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"] {
        let spec = specs
            .as_array()
            .expect("array")
            .iter()
            .find(|s| s["citation"] == citation)
            .expect("the citation is listed");
        let transit: Vec<&str> = spec["controls"]
            .as_array()
            .expect("controls")
            .iter()
            .filter_map(|c| c.as_str())
            .filter(|id| automated.contains(id))
            .filter(|id| {
                ["elbv2.", "elb.", "acm.", "apigw", "cloudfront."]
                    .iter()
                    .any(|p| id.starts_with(p))
            })
            .collect();
        assert!(transit.len() >= 3, "{citation}: {transit:?}");
    }
    let o = hipaa(&["controls", "--category", "encryption-in-transit"]);
    assert!(
        stdout(&o).contains("elbv2.tls_policy") && stdout(&o).contains("cloudfront.viewer_https")
    );
    let o = hipaa(&["controls", "--category", "network"]);
    assert!(
        stdout(&o).contains("elbv2.waf_attached") && stdout(&o).contains("wafv2.web_acl_has_rules")
    );
}

#[test]
fn evaluate_reads_a_saved_snapshot() {
    // The demo snapshot is a real recorded snapshot; evaluate it from disk.
    let snap =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../hipaa-core/data/demo/snapshot.json");
    let scope =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../hipaa-core/data/demo/scope.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_hipaa"))
        .arg("evaluate")
        .arg(&snap)
        .arg("--scope")
        .arg(&scope)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let o = Command::new(env!("CARGO_BIN_EXE_hipaa"))
        .arg("evaluate")
        .arg(&snap)
        .args(["--fail-on", "critical", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn bad_input_is_exit_1_naming_the_file_and_problem() {
    let snap = temp("broken-snapshot.json", "{\"schema_version\": 1,");
    let o = hipaa(&["evaluate", snap.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("broken-snapshot.json") && stderr(&o).contains("line"),
        "{}",
        stderr(&o)
    );

    let scope = temp(
        "bad-scope.toml",
        "regions = [\"us-east-1\"]\nmode = \"sometimes\"\n",
    );
    let o = hipaa(&["demo"]);
    assert_eq!(o.status.code(), Some(0));
    let demo_snap =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../hipaa-core/data/demo/snapshot.json");
    let o = Command::new(env!("CARGO_BIN_EXE_hipaa"))
        .arg("evaluate")
        .arg(&demo_snap)
        .arg("--scope")
        .arg(&scope)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bad-scope.toml") && stderr(&o).contains("line 2"),
        "{}",
        stderr(&o)
    );

    let o = hipaa(&["evaluate", "/nonexistent/snapshot.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/nonexistent/snapshot.json"));

    let catalog = temp("extra.toml", "[[control]]\nid = \"x\"\n");
    let o = hipaa(&[
        "controls",
        "--catalog",
        catalog.to_str().unwrap_or_default(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("extra.toml"), "{}", stderr(&o));
}

#[test]
fn bad_scan_options_are_errors_not_panics() {
    let o = hipaa(&["scan", "--endpoint-url", "localhost:5000", "--no-progress"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("`localhost:5000`"), "{}", stderr(&o));
    let o = hipaa(&["scan", "--fail-on", "sometimes"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(hipaa(&["frobnicate"]).status.code(), Some(2));
    let help = hipaa(&["scan", "--help"]);
    assert!(stdout(&help).contains("--fail-on") && stdout(&help).contains("--endpoint-url"));
}

fn demo_paths() -> (PathBuf, PathBuf) {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../hipaa-core/data/demo");
    (d.join("snapshot.json"), d.join("scope.toml"))
}

#[test]
fn audit_commands_diff_trend_risks() {
    let r1 = temp("r1.json", "");
    let o = hipaa(&[
        "demo",
        "--format",
        "json",
        "-o",
        r1.to_str().unwrap_or_default(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let o = hipaa(&[
        "diff",
        r1.to_str().unwrap_or_default(),
        r1.to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("diff json");
    assert_eq!(v["new_failures"].as_array().map(Vec::len), Some(0));
    assert!(v["still_failing"].as_array().is_some_and(|a| !a.is_empty()));
    let o = hipaa(&["trend", r1.to_str().unwrap_or_default()]);
    assert!(stdout(&o).contains("TECHNICAL"));
    let o = hipaa(&["risks", r1.to_str().unwrap_or_default()]);
    assert!(stdout(&o).starts_with("id,control_id,resource,status"));
    for f in ["html", "csv", "sarif", "ocsf", "asff", "junit"] {
        let o = hipaa(&["report", r1.to_str().unwrap_or_default(), "--format", f]);
        assert_eq!(o.status.code(), Some(0), "{f}: {}", stderr(&o));
        assert!(!o.stdout.is_empty(), "{f}");
    }
}

#[test]
fn attestations_turn_manual_into_attested_pass() {
    let (snap, scope) = demo_paths();
    let att = temp(
        "att.toml",
        "[[attestation]]\ncontrol = \"admin.risk_analysis\"\nby = \"Jane Roe\"\ndate = 2026-01-10\nevidence = \"risk.pdf\"\nexpires = 2099-01-10\n",
    );
    let o = Command::new(env!("CARGO_BIN_EXE_hipaa"))
        .arg("evaluate")
        .arg(&snap)
        .arg("--scope")
        .arg(&scope)
        .arg("--attestations")
        .arg(&att)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let f = v["findings"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|f| f["control_id"] == "admin.risk_analysis")
                .cloned()
        })
        .expect("finding");
    assert_eq!(f["status"], "PASS");
    assert_eq!(f["attestation"]["by"], "Jane Roe");
}

#[test]
fn bundle_verifies_and_a_changed_file_is_named() {
    let (snap, scope) = demo_paths();
    let zip = temp("evidence.zip", "");
    let o = Command::new(env!("CARGO_BIN_EXE_hipaa"))
        .arg("bundle")
        .arg(&snap)
        .arg("--scope")
        .arg(&scope)
        .arg("-o")
        .arg(&zip)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = hipaa(&["verify", zip.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Flip one byte somewhere in the middle of the archive.
    let mut bytes = std::fs::read(&zip).expect("read");
    let at = bytes.len() / 2;
    bytes[at] ^= 0x20;
    let bad = temp("evidence-tampered.zip", "");
    std::fs::write(&bad, &bytes).expect("write");
    let o = hipaa(&["verify", bad.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("changed") || err.contains("evidence-tampered.zip"),
        "{err}"
    );
}

#[test]
fn no_credentials_means_no_scan_exit_1() {
    let dir = std::env::temp_dir();
    let o = Command::new(env!("CARGO_BIN_EXE_hipaa"))
        .args([
            "scan",
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--no-progress",
            "--max-attempts",
            "1",
        ])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("hipaa-no-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("hipaa-no-credentials"),
        )
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no AWS credentials"), "{}", stderr(&o));
}

#[test]
fn scp_is_valid_json_under_the_size_limit_and_lists_its_sources() {
    let o = hipaa(&["scp"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let doc: serde_json::Value = serde_json::from_str(text.trim()).expect("the policy is JSON");
    assert!(
        text.trim().len() <= 5120,
        "{} characters",
        text.trim().len()
    );
    let st = &doc["Statement"][0];
    assert_eq!(st["Effect"], "Deny");
    let not: Vec<&str> = st["NotAction"]
        .as_array()
        .expect("NotAction list")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for must in [
        "s3:*",
        "kms:*",
        "iam:*",
        "sts:*",
        "dynamodb:*",
        "artifact:*",
    ] {
        assert!(not.contains(&must), "{must} missing from {not:?}");
    }
    assert!(!not.contains(&"gamelift:*"));
    assert!(
        stderr(&o).contains("HIPAA-eligible services list v"),
        "{}",
        stderr(&o)
    );
    // With an exempt principal and written to a file.
    let out = temp("scp.json", "");
    let o = hipaa(&[
        "scp",
        "--exempt-principal",
        "arn:aws:iam::*:role/break-glass",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        doc["Statement"][0]["Condition"]["ArnNotLike"]["aws:PrincipalArn"][0],
        "arn:aws:iam::*:role/break-glass"
    );
    let o = hipaa(&["scp", "--list"]);
    assert!(stdout(&o).contains("Amazon Simple Storage Service") || stdout(&o).contains("S3"));
}

#[test]
fn new_thresholds_and_baa_records_are_read_from_the_scope_file() {
    let (snapshot, _) = demo_paths();
    let scope = temp(
        "baa-scope.toml",
        "[thresholds]\nlog_retention_min_days = 7\n\n[[baa]]\nkind = \"custom\"\neffective = 2026-01-15\naccounts = [\"123456789012\"]\narchived_at = \"legal/baa.pdf\"\n",
    );
    let o = hipaa(&[
        "evaluate",
        snapshot.to_str().unwrap(),
        "--scope",
        scope.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let bad = temp(
        "bad-baa.toml",
        "[[baa]]\nkind = \"custom\"\neffective = 2026-01-15\naccounts = [\"12\"]\narchived_at = \"x\"\n",
    );
    let o = hipaa(&[
        "evaluate",
        snapshot.to_str().unwrap(),
        "--scope",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bad-baa.toml") && stderr(&o).contains("not 12 digits"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_earlier_control_id_still_works_and_warns_once() {
    let (snap, _) = demo_paths();
    let scope = temp(
        "renamed-scope.toml",
        r#"
[controls]
disable = ["monitoring.guardduty_enabled"]

[[waivers]]
control = "monitoring.guardduty_enabled"
resource = "*"
justification = "testing the old id"
owner = "sec"
expires = 2099-01-01
"#,
    );
    let o = hipaa(&[
        "evaluate",
        snap.to_str().unwrap(),
        "--scope",
        scope.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let warnings: Vec<String> = stderr(&o)
        .lines()
        .filter(|l| l.contains("monitoring.guardduty_enabled"))
        .map(str::to_string)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("`guardduty.enabled`"),
        "{}",
        warnings[0]
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(findings
        .iter()
        .all(|f| f["control_id"] != "guardduty.enabled"));
}

fn iac_data(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../hipaa-core/tests/data/iac")
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn iac_judges_a_template_with_the_scan_exit_codes() {
    let t = iac_data("cloudformation/short-forms/template.yaml");
    let o = hipaa(&["iac", &t]);
    // Values unknown until apply make the result incomplete, as failed reads make a scan.
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("LOCATION") && out.contains("template.yaml:91"),
        "{out}"
    );
    assert!(
        out.contains("s3.bucket_acl_not_public") && out.contains("Public"),
        "{out}"
    );
    // With every parameter given, nothing is left open; the failures decide.
    let o = hipaa(&[
        "iac",
        &t,
        "--parameter",
        "SharedKeyArn=arn:aws:kms:us-east-1:111122223333:key/shared",
        "--fail-on",
        "critical",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let errors: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "ERROR")
        .collect();
    assert!(
        errors.iter().all(|f| f["reason"] == "unknown_until_apply"),
        "{errors:?}"
    );
    let public = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["control_id"] == "s3.bucket_policy_not_public" && f["resource"]["id"] == "Public"
        })
        .unwrap();
    assert_eq!(public["status"], "FAIL");
    assert_eq!(public["location"]["line"], 91);
    assert!(v["snapshot"]["source"]
        .as_str()
        .unwrap()
        .starts_with("cloudformation "));
}

#[test]
fn iac_sarif_points_at_the_template_line() {
    let t = iac_data("terraform/module/plan.json");
    let o = hipaa(&["iac", &t, "--format", "sarif"]);
    // The plan leaves the databases' TLS parameters open until apply (ERROR), so the gate is
    // incomplete: exit 4, with the failures still reported.
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let acl = results
        .iter()
        .find(|r| r["ruleId"] == "s3.bucket_acl_not_public")
        .unwrap();
    let loc = &acl["locations"][0]["physicalLocation"];
    assert!(
        loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("terraform/module/main.tf"),
        "{loc}"
    );
    assert_eq!(loc["region"]["startLine"], 8);
    assert_eq!(
        acl["locations"][0]["logicalLocations"][0]["name"],
        "aws_s3_bucket.scratch"
    );
}

#[test]
fn iac_waivers_match_a_logical_id_or_address() {
    let t = iac_data("terraform/module/plan.json");
    let scope = temp(
        "iac-scope.toml",
        "[[waivers]]\ncontrol = \"s3.bucket_acl_not_public\"\nresource = \"aws_s3_bucket.scratch\"\njustification = \"public website\"\nowner = \"web\"\nexpires = \"2099-01-01\"\n",
    );
    let o = hipaa(&[
        "iac",
        &t,
        "--scope",
        scope.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let acl = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["control_id"] == "s3.bucket_acl_not_public"
                && f["resource"]["id"] == "aws_s3_bucket.scratch"
        })
        .unwrap();
    assert_eq!(acl["status"], "WAIVED", "{acl}");
}

#[test]
fn iac_bad_input_is_exit_1_naming_the_file_and_line() {
    let bad = temp("broken.yaml", "Resources:\n  B:\n    Type: [\n");
    let o = hipaa(&["iac", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("broken.yaml") && e.contains("line 4"), "{e}");
    let o = hipaa(&["iac", "x.yaml", "--parameter", "novalue"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn iac_saved_evidence_evaluates_to_the_same_findings() {
    let t = iac_data("cloudformation/network/template.yaml");
    let snap = temp("iac-snapshot.json", "");
    let o = hipaa(&[
        "iac",
        &t,
        "--format",
        "json",
        "--save-snapshot",
        snap.to_str().unwrap(),
    ]);
    let direct: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let o = hipaa(&["evaluate", snap.to_str().unwrap(), "--format", "json"]);
    let again: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {}",
                    f["control_id"], f["resource"]["id"], f["status"], f["location"]
                )
            })
            .collect();
        k.sort();
        k
    };
    assert_eq!(keys(&direct), keys(&again));
    assert!(keys(&again).iter().any(|k| k.contains("template.yaml")));
}

#[test]
fn organization_options_are_checked_before_any_call() {
    // A shard needs an organization scan; a malformed shard is a usage error.
    let o = hipaa(&["scan", "--shard", "0/2", "--no-progress"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--shard needs --organization"),
        "{}",
        stderr(&o)
    );
    let o = hipaa(&["scan", "--organization", "--shard", "2/2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("`2/2`"), "{}", stderr(&o));
    let o = hipaa(&["scan", "--organization", "--retry-mode", "eager"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`eager`"), "{}", stderr(&o));
    let o = hipaa(&[
        "scan",
        "--accounts",
        "12345",
        "--endpoint-url",
        "http://127.0.0.1:9",
        "--no-progress",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("`12345` is not 12 digits"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn merge_refuses_an_account_report_by_name() {
    let dir = std::env::temp_dir().join(format!("hipaa-cli-merge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("demo.json");
    let o = hipaa(&["demo", "--format", "json", "-o", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let o = hipaa(&["merge", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("demo.json") && e.contains("account report"),
        "{e}"
    );
    let o = hipaa(&[
        "merge",
        path.to_str().unwrap(),
        "--prefer-report",
        "other.json",
    ]);
    assert!(
        stderr(&o).contains("`other.json` is not one of the reports"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
