//! Organization scans against the seeded moto organization (`tests/fixture/seed_org.py`), each
//! test with a moto server of its own: the library, the CLI's shards and merge, named accounts,
//! and the AWS Batch entrypoint.

use hipaa_aws::{scan_organization, OrganizationOptions, ScanOptions};
use hipaa_core::organization::AccountScan;
use hipaa_core::{Engine, NoProgress, Report, Scope, Status};
use hipaa_e2e::{
    expected_org, fake_credentials, hipaa_bin, org_key, python, repo_root, ExpectedOrg, Moto,
    OrgIds,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

/// Reads that fail in every account of the organization fixture because `seed_org.py` does not
/// seed the state `moto_ext.py` answers them from (services added after the fixture).
const UNSEEDED: &[&str] = &["inspector2:BatchGetAccountStatus"];

fn options(url: &str) -> OrganizationOptions {
    OrganizationOptions {
        scan: ScanOptions {
            endpoint_url: Some(url.to_string()),
            regions: vec!["us-east-1".into()],
            max_attempts: 2,
            ..ScanOptions::default()
        },
        ..OrganizationOptions::default()
    }
}

/// Records the per-account progress events.
#[derive(Default)]
struct Accounts(Mutex<Vec<(String, String)>>);

impl hipaa_core::Progress for Accounts {
    fn update(&self, _: u64, _: u64, _: &str) {}
    fn account(&self, account: &str, state: &str, _: u64, _: u64) {
        if let Ok(mut v) = self.0.lock() {
            v.push((account.to_string(), state.to_string()));
        }
    }
}

fn scan(o: &OrganizationOptions, progress: &dyn hipaa_core::Progress) -> Report {
    fake_credentials();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let engine = Engine::bundled().expect("engine");
    rt.block_on(scan_organization(o, &Scope::default(), &engine, progress))
        .expect("the organization scan runs")
}

fn keys(r: &Report, ids: &OrgIds) -> BTreeSet<ExpectedOrg> {
    r.findings.iter().map(|f| org_key(r, f, ids)).collect()
}

fn state_of(r: &Report, id: &str) -> String {
    r.summary
        .by_account
        .iter()
        .find(|a| a.account == id)
        .map(|a| a.state.clone())
        .unwrap_or_else(|| panic!("account {id} is not in the report"))
}

/// The report says what `expected_org.json` says.
fn check(r: &Report, ids: &OrgIds) {
    let (states, want) = expected_org();
    for (name, state) in &states {
        assert_eq!(&state_of(r, &ids[name]), state, "{name}");
    }
    let got = keys(r, ids);
    let missing: Vec<&ExpectedOrg> = want.iter().filter(|w| !got.contains(w)).collect();
    assert!(missing.is_empty(), "missing: {missing:#?}");
    let org = |s: &BTreeSet<ExpectedOrg>| -> BTreeSet<ExpectedOrg> {
        s.iter()
            .filter(|k| k.control_id.starts_with("org."))
            .cloned()
            .collect()
    };
    let want_set: BTreeSet<ExpectedOrg> = want.into_iter().collect();
    assert_eq!(org(&got), org(&want_set), "the org.* findings differ");
    // The account that could not be entered passes nothing; the others read everything.
    let locked = &ids["locked"];
    for f in r
        .findings
        .iter()
        .filter(|f| f.account.as_deref() == Some(locked))
    {
        assert!(
            !matches!(f.status, Status::Pass),
            "{} passes in the unreachable account",
            f.control_id
        );
    }
    let failed: Vec<(String, String)> = r
        .summary
        .completeness
        .failed_reads
        .iter()
        .filter(|f| !UNSEEDED.contains(&f.operation.as_str()))
        .map(|f| (f.account.clone().unwrap_or_default(), f.operation.clone()))
        .collect();
    assert_eq!(failed, vec![(locked.clone(), "sts:AssumeRole".to_string())]);
    assert_eq!(r.exit_code(hipaa_core::Severity::Informational), 4);
}

#[test]
fn organization_scan_reports_every_member_and_the_organization_controls() {
    let moto = Moto::start();
    let ids = moto.seed_org(0);
    let progress = Accounts::default();
    let r = scan(&options(&moto.url), &progress);
    check(&r, &ids);
    // Per-account progress: each attempted account started and finished once.
    let events = progress.0.lock().map(|v| v.clone()).unwrap_or_default();
    for name in [
        "management",
        "phi-claims",
        "phi-research",
        "sandbox-dev",
        "locked",
    ] {
        let id = &ids[name];
        let mine: Vec<&str> = events
            .iter()
            .filter(|(a, _)| a == id)
            .map(|(_, s)| s.as_str())
            .collect();
        let end = if name == "locked" {
            "unreachable"
        } else {
            "scanned"
        };
        assert_eq!(mine, vec!["started", end], "{name}");
    }
    // Every discovery read is granted by the documented read-only policy.
    let policy = std::fs::read_to_string(repo_root().join("docs/iam-policy.json")).expect("policy");
    let org = r.organization.as_ref().expect("an organization section");
    for op in org.view_reads.calls.keys() {
        assert!(
            op == "sts:GetCallerIdentity" || policy.contains(&format!("\"{op}\"")),
            "docs/iam-policy.json lacks `{op}`"
        );
    }
    // Every format renders the organization; the HTML has the account table and drill-down.
    for f in hipaa_core::report::Format::ALL {
        assert!(!r.render(f).is_empty(), "{f:?}");
    }
    let html = r.render(hipaa_core::report::Format::Html);
    assert!(html.contains("id=\"accounts\""));
    assert!(html.contains(&format!("id=\"account-{}\"", ids["locked"])));
    let back = Report::from_json(&r.to_json(), "org.json").expect("the report reads back");
    assert_eq!(keys(&back, &ids), keys(&r, &ids));
}

fn hipaa(url: &str, args: &[&str]) -> Output {
    Command::new(hipaa_bin())
        .args(args)
        .args(["--endpoint-url", url])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("hipaa runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hipaa-e2e-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn read(path: &Path) -> Report {
    hipaa_core::audit::load_report(path).expect("a report")
}

#[test]
fn cli_shards_cover_every_account_once_and_merge_into_the_whole_scan() {
    let moto = Moto::start();
    let ids = moto.seed_org(0);
    let dir = temp_dir("shards");
    let scan_args = |out: &Path, shard: Option<String>| {
        let mut a = vec![
            "scan".to_string(),
            "--organization".into(),
            "--region".into(),
            "us-east-1".into(),
            "--max-attempts".into(),
            "2".into(),
            "--no-progress".into(),
            "--format".into(),
            "json".into(),
            "-o".into(),
            out.display().to_string(),
        ];
        if let Some(s) = shard {
            a.extend(["--shard".to_string(), s]);
        }
        a
    };
    let run = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        hipaa(&moto.url, &refs)
    };
    let whole_path = dir.join("whole.json");
    let o = run(scan_args(&whole_path, None));
    assert_eq!(
        o.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let whole = read(&whole_path);
    check(&whole, &ids);
    let n = 3;
    let mut shard_paths = Vec::new();
    for i in 0..n {
        let p = dir.join(format!("shard-{i}.json"));
        let o = run(scan_args(&p, Some(format!("{i}/{n}"))));
        assert!(
            matches!(o.status.code(), Some(0 | 3 | 4)),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        shard_paths.push(p);
    }
    // Every active account is scanned (or tried) by exactly one shard; the closed one by none.
    let shards: Vec<Report> = shard_paths.iter().map(|p| read(p)).collect();
    for (name, id) in &ids {
        let holders = shards
            .iter()
            .filter(|r| {
                r.organization
                    .as_ref()
                    .and_then(|o| o.accounts.iter().find(|e| &e.id == id))
                    .is_some_and(|e| e.attempted())
            })
            .count();
        let want = usize::from(name != "closed-legacy");
        assert_eq!(holders, want, "{name} is scanned by {holders} shards");
    }
    // Merged, the shards say what the whole scan says.
    let merged_path = dir.join("merged.json");
    let mut args = vec!["merge".to_string()];
    args.extend(shard_paths.iter().map(|p| p.display().to_string()));
    args.extend(["-o".to_string(), merged_path.display().to_string()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = Command::new(hipaa_bin())
        .args(&refs)
        .output()
        .expect("hipaa merge runs");
    assert_eq!(
        o.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let merged = read(&merged_path);
    check(&merged, &ids);
    assert_eq!(keys(&merged, &ids), keys(&whole, &ids));
    let states = |r: &Report| -> BTreeMap<String, String> {
        r.summary
            .by_account
            .iter()
            .map(|a| (a.account.clone(), a.state.clone()))
            .collect()
    };
    assert_eq!(states(&merged), states(&whole));
    // Merged under the proposed rule: the same statuses, the banner and the change summary.
    let mut args = refs.clone();
    args.truncate(refs.len() - 2);
    args.extend(["--framework", "hipaa-nprm-2025", "--format", "markdown"]);
    let o = Command::new(hipaa_bin())
        .args(&args)
        .output()
        .expect("hipaa merge runs");
    assert_eq!(o.status.code(), Some(4));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("PROPOSED RULE"), "{text}");
    assert!(text.contains("What the proposed rule would change here"));
    // Overlapping reports are refused unless told which wins. Moto draws account ids at
    // random, so take a shard that scanned at least one account (some shard must).
    let busy = shards
        .iter()
        .position(|r| {
            r.organization
                .as_ref()
                .is_some_and(|o| o.accounts.iter().any(|e| e.attempted()))
        })
        .expect("some shard scanned an account");
    let p0 = shard_paths[busy].display().to_string();
    let o = Command::new(hipaa_bin())
        .args(["merge", &p0, &whole_path.display().to_string()])
        .output()
        .expect("hipaa merge runs");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("overlap"));
    let o = Command::new(hipaa_bin())
        .args([
            "merge",
            &p0,
            &whole_path.display().to_string(),
            "--prefer",
            "newest",
            "--format",
            "table",
        ])
        .output()
        .expect("hipaa merge runs");
    assert_eq!(
        o.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("Accounts:"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn named_accounts_are_scanned_without_organizations() {
    let moto = Moto::start();
    let ids = moto.seed_org(0);
    let mut o = options(&moto.url);
    o.accounts = Some(vec![ids["phi-claims"].clone(), ids["management"].clone()]);
    let r = scan(&o, &NoProgress);
    let org = r.organization.as_ref().expect("an organization section");
    assert_eq!(org.accounts.len(), 2);
    assert!(org
        .accounts
        .iter()
        .all(|e| matches!(e.scan, AccountScan::Scanned { .. })));
    assert!(org.view.organization.is_unknown());
    let scp: Vec<Status> = r
        .findings
        .iter()
        .filter(|f| f.control_id == "org.scp_on_phi_ous")
        .map(|f| f.status)
        .collect();
    assert_eq!(scp, vec![Status::NotApplicable]);
    let k = keys(&r, &ids);
    assert!(k.contains(&ExpectedOrg {
        account: "phi-claims".into(),
        control_id: "org.baa_covers_phi_accounts".into(),
        resource: "{phi-claims}".into(),
        status: "PASS".into(),
    }));
    // Without the management account's view, a member reads its own place in the organization,
    // which AWS (and moto) allow only the management account: ERROR there, nothing else.
    let failed: BTreeSet<(String, String)> = r
        .summary
        .completeness
        .failed_reads
        .iter()
        .filter(|f| !UNSEEDED.contains(&f.operation.as_str()))
        .map(|f| (f.account.clone().unwrap_or_default(), f.operation.clone()))
        .collect();
    assert_eq!(
        failed,
        BTreeSet::from([(
            ids["phi-claims"].clone(),
            "organizations:ListParents".to_string()
        )]),
    );
}

#[test]
fn batch_template_lints_and_its_entrypoint_scans_two_shards_and_merges() {
    let template = repo_root().join("deploy/aws-batch/template.yaml");
    let lint = Command::new(repo_root().join(".venv/bin/cfn-lint"))
        .arg(&template)
        .output()
        .expect("cfn-lint runs (scripts/test installs it into .venv)");
    assert!(
        lint.status.success(),
        "cfn-lint: {}{}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );
    let moto = Moto::start();
    let ids = moto.seed_org(0);
    let bucket = "hipaa-results";
    let s3 = |code: &str| {
        let script = format!(
            "import boto3\ns3 = boto3.client('s3', endpoint_url='{}', region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')\n{code}\n",
            moto.url
        );
        let o = Command::new(python())
            .args(["-c", &script])
            .output()
            .expect("python runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    s3(&format!("s3.create_bucket(Bucket='{bucket}')"));
    let entrypoint = repo_root().join("deploy/aws-batch/entrypoint.sh");
    let job = |mode: &str, index: u32| {
        let o = Command::new("bash")
            .arg(&entrypoint)
            .env("HIPAA_MODE", mode)
            .env("AWS_BATCH_JOB_ID", format!("run-1234:{index}"))
            .env("AWS_BATCH_JOB_ARRAY_INDEX", index.to_string())
            .env("HIPAA_SHARDS", "2")
            .env("HIPAA_RESULTS_BUCKET", bucket)
            .env("HIPAA_SCAN_ARGS", "--region us-east-1 --max-attempts 2")
            .env("HIPAA_BIN", hipaa_bin())
            .env("PYTHON", python())
            .env("HIPAA_ENDPOINT_URL", &moto.url)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .output()
            .expect("the entrypoint runs");
        assert!(
            o.status.success(),
            "{mode} {index}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    };
    job("scan", 0);
    job("scan", 1);
    job("merge", 0);
    let listed = s3(&format!(
        "print('\\n'.join(sorted(o['Key'] for o in s3.list_objects_v2(Bucket='{bucket}')['Contents'])))"
    ));
    let keys_in_bucket: Vec<&str> = listed.lines().collect();
    assert_eq!(
        keys_in_bucket,
        vec![
            "runs/run-1234/organization.html",
            "runs/run-1234/organization.json",
            "runs/run-1234/shard-0-of-2.json",
            "runs/run-1234/shard-1-of-2.json",
        ]
    );
    let dir = temp_dir("batch");
    let local = dir.join("organization.json");
    s3(&format!(
        "s3.download_file('{bucket}', 'runs/run-1234/organization.json', r'{}')",
        local.display()
    ));
    let merged = read(&local);
    check(&merged, &ids);
    assert_eq!(
        merged.organization.as_ref().map(|o| o.shards.clone()),
        Some(vec!["0/2".to_string(), "1/2".to_string()])
    );
    let _ = std::fs::remove_dir_all(&dir);
}
