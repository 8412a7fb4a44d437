#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End-to-end: seed the shared fixture into a real moto server, scan it, check every finding.

use hipaa_aws::{AwsSource, ScanOptions};
use hipaa_core::{demo, Engine, EvidenceSource, NoProgress, Report, Snapshot, Status};
use hipaa_e2e::{
    expected, failed_operations, fake_credentials, hipaa_bin, key_of, moto_gaps, repo_root,
    write_expected, Expected, Moto,
};
use std::collections::BTreeSet;
use std::process::Command;

/// Organization scans (a module here, not a test file of its own: every test binary links the
/// whole AWS SDK).
#[path = "moto_scan/organization.rs"]
mod organization;

fn options(url: &str) -> ScanOptions {
    ScanOptions {
        endpoint_url: Some(url.to_string()),
        regions: vec!["us-east-1".into(), "us-west-2".into()],
        max_attempts: 2,
        ..ScanOptions::default()
    }
}

fn scan(url: &str) -> Snapshot {
    fake_credentials();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(AwsSource::new(options(url)).collect(&NoProgress))
        .expect("scan runs")
}

fn evaluate(s: &Snapshot) -> Report {
    Engine::bundled()
        .expect("engine")
        .evaluate(s, &demo::scope().expect("scope"))
        .expect("evaluates")
}

/// Automated findings only (MANUAL and INHERITED come from the catalog, not from AWS).
fn automated(r: &Report) -> BTreeSet<Expected> {
    r.findings
        .iter()
        .filter(|f| !matches!(f.status, Status::Manual | Status::Inherited))
        .map(key_of)
        .collect()
}

fn diff(want: &BTreeSet<Expected>, got: &BTreeSet<Expected>) -> String {
    let missing: Vec<_> = want.difference(got).collect();
    let extra: Vec<_> = got.difference(want).collect();
    format!("missing: {missing:#?}\nunexpected: {extra:#?}")
}

#[test]
fn scan_reports_every_seeded_problem_with_the_right_status() {
    let moto = Moto::start();
    moto.seed(1);
    let snapshot = scan(&moto.url);
    // Every read moto implements succeeds; only the documented gaps fail.
    assert_eq!(
        failed_operations(&snapshot.reads),
        moto_gaps(),
        "{:#?}",
        snapshot.reads.failures
    );
    let report = evaluate(&snapshot);
    let got = automated(&report);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        // After an intended change to the fixture or the rules: rewrite the list, then read
        // `git diff tests/fixture/expected.json` line by line before committing it.
        write_expected(&got);
    }
    let want: BTreeSet<Expected> = expected().into_iter().collect();
    assert_eq!(want, got, "{}", diff(&want, &got));
    assert_eq!(report.exit_code(hipaa_core::Severity::Informational), 3);
}

#[test]
fn cli_scan_json_matches_the_library_and_offline_evaluation() {
    let moto = Moto::start();
    moto.seed(1);
    let dir = std::env::temp_dir().join(format!("hipaa-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let snap_path = dir.join("snapshot.json");
    let scope = repo_root().join("hipaa-core/data/demo/scope.toml");
    let out = Command::new(hipaa_bin())
        .args([
            "scan",
            "--endpoint-url",
            &moto.url,
            "--format",
            "json",
            "--no-progress",
            "--max-attempts",
            "2",
        ])
        .arg("--scope")
        .arg(&scope)
        .arg("--save-snapshot")
        .arg(&snap_path)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("hipaa runs");
    assert_eq!(
        out.status.code(),
        Some(3),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli = Report::from_json(&String::from_utf8_lossy(&out.stdout), "stdout")
        .expect("CLI prints report JSON");
    let want: BTreeSet<Expected> = expected().into_iter().collect();
    assert_eq!(want, automated(&cli), "{}", diff(&want, &automated(&cli)));
    // The JSON carries the documented shape.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for key in ["schema_version", "generated_at", "findings", "summary"] {
        assert!(v.get(key).is_some(), "report lacks `{key}`");
    }
    let f = &v["findings"][0];
    for key in [
        "control_id",
        "title",
        "category",
        "citations",
        "owner",
        "severity",
        "status",
        "resource",
        "message",
        "remediation",
    ] {
        assert!(f.get(key).is_some(), "finding lacks `{key}`");
    }
    for key in ["arn", "id", "kind", "account", "region"] {
        assert!(f["resource"].get(key).is_some(), "resource lacks `{key}`");
    }
    // Offline evaluation of the saved evidence gives the same findings.
    let out = Command::new(hipaa_bin())
        .arg("evaluate")
        .arg(&snap_path)
        .arg("--scope")
        .arg(&scope)
        .args(["--format", "json"])
        .output()
        .expect("hipaa evaluate runs");
    assert_eq!(out.status.code(), Some(3));
    let offline = Report::from_json(&String::from_utf8_lossy(&out.stdout), "stdout").expect("json");
    assert_eq!(automated(&offline), automated(&cli));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bundled_demo_snapshot_matches_a_fresh_scan_of_the_fixture() {
    let moto = Moto::start();
    moto.seed(1);
    let live = evaluate(&scan(&moto.url));
    let bundled = demo::report().expect("demo report");
    let (l, b) = (automated(&live), automated(&bundled));
    assert_eq!(
        l,
        b,
        "the demo snapshot is stale: re-record it with `cargo run -p hipaa-cli -- snapshot --endpoint-url URL ...` (see tests/fixture/README.md)\n{}",
        diff(&l, &b)
    );
}

#[test]
fn unreachable_endpoint_gives_error_never_pass() {
    fake_credentials();
    // Port 9 (discard) on loopback: nothing listens, every call fails fast.
    let mut o = options("http://127.0.0.1:9");
    o.max_attempts = 1;
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let snapshot = rt
        .block_on(AwsSource::new(o).collect(&NoProgress))
        .expect("collect returns a snapshot");
    assert!(!snapshot.reads.failures.is_empty());
    let report = evaluate(&snapshot);
    for f in &report.findings {
        assert!(
            matches!(f.status, Status::Error | Status::Manual | Status::Inherited),
            "{} on {} is {} although nothing could be read",
            f.control_id,
            f.resource.id,
            f.status
        );
    }
    assert!(!report.is_complete());
    assert_eq!(report.exit_code(hipaa_core::Severity::Informational), 4);
}

#[test]
fn access_denied_reads_give_error_not_pass() {
    // moto enforces IAM after the first N actions: seed a user that may only list and read bucket policies.
    let moto = Moto::start_with_env(&[("INITIAL_NO_AUTH_ACTION_COUNT", "5")]);
    let out = Command::new(hipaa_e2e::python())
        .arg(repo_root().join("tests/fixture/restricted.py"))
        .args(["--endpoint", &moto.url])
        .output()
        .expect("restricted.py runs");
    assert!(
        out.status.success(),
        "restricted.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let creds = String::from_utf8_lossy(&out.stdout);
    let mut parts = creds.split_whitespace();
    let (key, secret) = (parts.next().expect("key id"), parts.next().expect("secret"));
    let out = Command::new(hipaa_bin())
        .args([
            "scan",
            "--endpoint-url",
            &moto.url,
            "--format",
            "json",
            "--no-progress",
            "--max-attempts",
            "1",
            "--region",
            "us-east-1",
        ])
        .env("AWS_ACCESS_KEY_ID", key)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("hipaa runs");
    let report = Report::from_json(&String::from_utf8_lossy(&out.stdout), "stdout").expect("json");
    let denied: Vec<_> = report
        .summary
        .completeness
        .failed_reads
        .iter()
        .filter(|f| f.reason == hipaa_core::UnknownReason::AccessDenied)
        .collect();
    assert!(
        !denied.is_empty(),
        "expected AccessDenied reads, got {:#?}",
        report.summary.completeness.failed_reads
    );
    // Encryption could not be read, so it must be ERROR for the bucket, never PASS or FAIL.
    let enc: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.control_id == "s3.default_encryption")
        .collect();
    assert!(!enc.is_empty());
    assert!(enc.iter().all(|f| f.status == Status::Error), "{enc:#?}");
    // IAM was denied entirely: root MFA cannot be PASS.
    assert!(report
        .findings
        .iter()
        .filter(|f| f.control_id == "iam.root_mfa")
        .all(|f| f.status == Status::Error));
    assert!(!report.is_complete());
}

#[test]
fn sarif_from_a_fixture_scan_validates_against_the_sarif_2_1_0_schema() {
    let moto = Moto::start();
    moto.seed(1);
    let report = evaluate(&scan(&moto.url));
    let path = std::env::temp_dir().join(format!("hipaa-e2e-{}.sarif", std::process::id()));
    std::fs::write(&path, report.render(hipaa_core::report::Format::Sarif)).expect("write sarif");
    let out = Command::new(hipaa_e2e::python())
        .arg(repo_root().join("tests/fixture/validate_sarif.py"))
        .arg(&path)
        .output()
        .expect("validate_sarif.py runs");
    assert!(
        out.status.success(),
        "SARIF does not validate:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_file(&path);
}

#[test]
fn html_report_renders_in_headless_chromium_with_the_json_numbers() {
    let moto = Moto::start();
    moto.seed(1);
    let report = evaluate(&scan(&moto.url));
    let dir = std::env::temp_dir().join(format!("hipaa-e2e-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let page = dir.join("report.html");
    std::fs::write(&page, report.render(hipaa_core::report::Format::Html)).expect("write html");
    let chromium = |extra: &[&str]| {
        let profile = dir.join(format!("profile-{}", extra.len()));
        Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
            ])
            .args([
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs (scripts/test installs Debian's chromium)")
    };
    let dom = chromium(&["--dump-dom"]);
    assert!(
        dom.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    let fails = report.summary.totals.fail;
    assert!(
        dom.contains(&format!("<b id=\"failure-count\">{fails}</b>")),
        "rendered failure count differs from the JSON's {fails}"
    );
    assert!(
        dom.contains("id=\"chart-safeguard\"") && dom.contains("id=\"chart-owner\""),
        "charts missing"
    );
    let bars = dom.matches("class=\"bar\"").count();
    assert!(bars >= 5, "only {bars} bars drawn");
    let fail_rows = dom
        .matches("class=\"finding\" data-status=\"FAIL\"")
        .count();
    assert!(
        fail_rows >= fails,
        "{fail_rows} FAIL rows rendered for {fails} failures"
    );
    assert!(
        !dom.contains("<script") && !dom.contains("<link") && !dom.contains("src=\""),
        "the report must load nothing from anywhere"
    );
    let shot = dir.join("report.png");
    let out = chromium(&[
        "--window-size=1280,1600",
        &format!("--screenshot={}", shot.display()),
    ]);
    assert!(out.status.success());
    assert!(
        std::fs::metadata(&shot)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false),
        "no screenshot"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_of_two_fixture_scans_before_and_after_a_fix() {
    let moto = Moto::start();
    moto.seed(1);
    let before = evaluate(&scan(&moto.url));
    // Fix one problem the way an engineer would: turn on default encryption for phi-unencrypted.
    let fix = format!(
        "import boto3\ns3 = boto3.client('s3', endpoint_url='{}', region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')\n\
s3.put_bucket_encryption(Bucket='phi-unencrypted', ServerSideEncryptionConfiguration={{'Rules': [{{'ApplyServerSideEncryptionByDefault': {{'SSEAlgorithm': 'aws:kms'}}}}]}})\n",
        moto.url
    );
    let out = Command::new(hipaa_e2e::python())
        .args(["-c", &fix])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = evaluate(&scan(&moto.url));
    let d = hipaa_core::progress::diff(&before, &after);
    let fixed: BTreeSet<(String, String)> = d
        .fixed
        .iter()
        .map(|c| (c.control_id.clone(), c.resource.clone()))
        .collect();
    assert!(
        fixed.contains(&(
            "s3.default_encryption".to_string(),
            "phi-unencrypted".to_string()
        )),
        "{fixed:?}"
    );
    assert!(
        fixed.contains(&(
            "s3.default_encryption_kms".to_string(),
            "phi-unencrypted".to_string()
        )),
        "{fixed:?}"
    );
    assert!(d.new_failures.is_empty(), "{:?}", d.new_failures);
    assert!(d.newly_unknown.is_empty());
    assert_eq!(
        d.still_failing.len(),
        before.summary.totals.fail - fixed.len()
    );
}

/// Rule 2: Lambda's `ListFunctions` and ECS's `DescribeTaskDefinition` answer with environment
/// variable values; none may reach the snapshot, any report format, stdout or stderr.
#[test]
fn no_environment_value_reaches_any_output() {
    let moto = Moto::start();
    moto.seed(1);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let marker = format!("envmark{}q{nanos}", std::process::id());
    // A function and a task definition whose every value is the marker, read back from moto so
    // the test fails loudly if the values were not stored (it would then prove nothing).
    let plant = format!(
        r#"import io, zipfile, boto3
kw = dict(endpoint_url='{url}', region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w') as z:
    z.writestr('index.py', 'def handler(e, c):\n    return 1\n')
env = {{'DB_PASSWORD': '{m}', 'PLAIN_SETTING': '{m}'}}
lam = boto3.client('lambda', **kw)
lam.create_function(FunctionName='marker-fn', Runtime='python3.13', Handler='index.handler',
    Role='arn:aws:iam::123456789012:role/app-reader', Code={{'ZipFile': buf.getvalue()}},
    Environment={{'Variables': env}})
assert lam.get_function_configuration(FunctionName='marker-fn')['Environment']['Variables'] == env
ecs = boto3.client('ecs', **kw)
ecs.register_task_definition(family='marker-td', containerDefinitions=[{{'name': 'app',
    'image': 'busybox', 'memory': 128,
    'environment': [{{'name': k, 'value': v}} for k, v in env.items()]}}])
got = ecs.describe_task_definition(taskDefinition='marker-td')['taskDefinition']
assert all(e['value'] == '{m}' for e in got['containerDefinitions'][0]['environment'])
print('planted')
"#,
        url = moto.url,
        m = marker
    );
    let out = Command::new(hipaa_e2e::python())
        .args(["-c", &plant])
        .output()
        .expect("python runs");
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("planted"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let dir = std::env::temp_dir().join(format!("hipaa-e2e-marker-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let formats = [
        "table", "json", "markdown", "html", "csv", "sarif", "ocsf", "asff", "junit",
    ];
    for format in formats {
        let snapshot = dir.join(format!("snapshot-{format}.json"));
        let report = dir.join(format!("report-{format}"));
        let mut cmd = Command::new(hipaa_bin());
        cmd.args(["scan", "--endpoint-url", &moto.url, "--format", format])
            .args(["--no-progress", "--max-attempts", "2", "--all"])
            .args(["--region", "us-east-1"])
            .arg("--save-snapshot")
            .arg(&snapshot)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE");
        // Half the formats to a file with -o, half to stdout.
        if format.len() % 2 == 0 {
            cmd.arg("--output").arg(&report);
        }
        let out = cmd.output().expect("hipaa runs");
        // 3: failures found; 4: also incomplete (only us-east-1 is scanned, to keep nine scans
        // short, so controls about us-west-2 resources such as the replica bucket are ERROR).
        assert!(
            matches!(out.status.code(), Some(3 | 4)),
            "{format}: {:?} {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        let mut texts = vec![
            ("stdout", out.stdout.clone()),
            ("stderr", out.stderr.clone()),
            (
                "snapshot",
                std::fs::read(&snapshot).expect("snapshot saved"),
            ),
        ];
        if let Ok(bytes) = std::fs::read(&report) {
            texts.push(("report file", bytes));
        }
        let report_text = texts
            .iter()
            .filter(|(name, _)| *name == "stdout" || *name == "report file")
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect::<String>();
        assert!(
            report_text.contains("marker-fn") && report_text.contains("marker-td"),
            "{format}: the planted resources are not in the report"
        );
        for (what, bytes) in &texts {
            assert!(
                !String::from_utf8_lossy(bytes).contains(&marker),
                "{format}: an environment value reached the {what}"
            );
        }
        // The evidence kept the names, and judged them.
        let snap = String::from_utf8_lossy(&texts[2].1).into_owned();
        assert!(snap.contains("\"DB_PASSWORD\"") && snap.contains("\"PLAIN_SETTING\""));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
