#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Reliability: the fixture scan through `tests/fixture/fault_proxy.py`, which breaks moto's
//! answers on purpose, compared with a clean baseline through the same proxy.
//!
//! Under every scenario:
//! - no finding that is not PASS in the baseline becomes PASS;
//! - no finding disappears (a finding may give way to an ERROR of the same control on the
//!   listing that could not be read, and resources named by the account id are renamed
//!   `unknown` when the account id itself could not be read);
//! - no FAIL becomes NOT_APPLICABLE;
//! - every read whose last answer was broken is named in `summary.completeness.failed_reads`;
//! - the exit code is 4 whenever a read failed.
//!
//! The operations come from the baseline scan's own ledger, so a new collector is covered
//! without editing this file; a test fails if the proxy cannot name one of them.

use hipaa_aws::{AwsSource, ScanOptions};
use hipaa_core::{demo, Engine, EvidenceSource, NoProgress, Report, Severity, Snapshot, Status};
use hipaa_e2e::{fake_credentials, hipaa_bin, FaultProxy, Moto, ProxyEntry};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

type Key = (String, String);

fn scan(url: &str, max_attempts: u32) -> (Snapshot, Report) {
    fake_credentials();
    let options = ScanOptions {
        endpoint_url: Some(url.to_string()),
        regions: vec!["us-east-1".into(), "us-west-2".into()],
        max_attempts,
        ..ScanOptions::default()
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let snapshot = rt
        .block_on(AwsSource::new(options).collect(&NoProgress))
        .expect("the scan returns a snapshot");
    let report = Engine::bundled()
        .expect("engine")
        .evaluate(&snapshot, &demo::scope().expect("scope"))
        .expect("evaluates");
    (snapshot, report)
}

fn keyed(r: &Report) -> BTreeMap<Key, Status> {
    r.findings
        .iter()
        .map(|f| ((f.control_id.clone(), f.resource.id.clone()), f.status))
        .collect()
}

/// The operations whose last answer for some request was broken: those reads failed.
fn failed_by_proxy(log: &[ProxyEntry]) -> BTreeSet<String> {
    let mut last: BTreeMap<&str, &ProxyEntry> = BTreeMap::new();
    for e in log {
        last.insert(e.key.as_str(), e);
    }
    last.values()
        .filter(|e| e.fault.is_some())
        .map(|e| e.op.clone())
        .collect()
}

struct Baseline {
    account: String,
    findings: BTreeMap<Key, Status>,
}

/// The invariants of one scenario; the violations, empty when it holds.
fn violations(
    base: &Baseline,
    snap: &Snapshot,
    report: &Report,
    log: &[ProxyEntry],
) -> Vec<String> {
    let mut bad = Vec::new();
    let got = keyed(report);
    let renamed = |id: &str| match snap.account.known() {
        Some(_) => id.to_string(),
        None => id.replace(&base.account, "unknown"),
    };
    // Controls that gave an ERROR on something the baseline did not have (a listing, a region).
    let stand_ins: BTreeSet<&str> = got
        .iter()
        .filter(|((c, r), s)| {
            **s == Status::Error && !base.findings.contains_key(&(c.clone(), r.clone()))
        })
        .map(|((c, _), _)| c.as_str())
        .collect();
    for ((control, id), was) in &base.findings {
        let key = (control.clone(), renamed(id));
        match got.get(&key) {
            None if stand_ins.contains(control.as_str()) => {}
            None => bad.push(format!("{control} on {id} ({was}) disappeared")),
            Some(now) => {
                if *was != Status::Pass && *now == Status::Pass {
                    bad.push(format!("{control} on {id}: {was} became PASS"));
                }
                if *was == Status::Fail && *now == Status::NotApplicable {
                    bad.push(format!("{control} on {id}: FAIL became NOT_APPLICABLE"));
                }
            }
        }
    }
    let renamed_base: BTreeSet<Key> = base
        .findings
        .keys()
        .map(|(c, r)| (c.clone(), renamed(r)))
        .collect();
    for (key, now) in &got {
        let new = !renamed_base.contains(key);
        if new && !matches!(now, Status::Error | Status::Manual | Status::Inherited) {
            bad.push(format!("new finding {} on {} is {now}", key.0, key.1));
        }
    }
    let named: BTreeSet<&str> = report
        .summary
        .completeness
        .failed_reads
        .iter()
        .map(|f| f.operation.as_str())
        .collect();
    let failed = failed_by_proxy(log);
    for op in &failed {
        if !named.contains(op.as_str()) {
            bad.push(format!("the failed read {op} is not in failed_reads"));
        }
    }
    let code = report.exit_code(Severity::Informational);
    if !failed.is_empty() && code != 4 {
        bad.push(format!(
            "exit code {code}, not 4, although {failed:?} failed"
        ));
    }
    bad
}

/// One fault scenario: a proxy plan, the retries allowed, and the operation it must break.
struct Scenario {
    label: String,
    plan: serde_json::Value,
    attempts: u32,
    must_fail: Option<String>,
}

/// A moto server with the fixture, the proxy in front of it, and the clean scan through both.
struct Bench {
    _moto: Moto,
    proxy: FaultProxy,
    base: Baseline,
    snapshot: Snapshot,
    log: Vec<ProxyEntry>,
}

impl Bench {
    fn start() -> Bench {
        let moto = Moto::start();
        moto.seed(1);
        let proxy = FaultProxy::start(&moto.url);
        // Baseline: every answer whole.
        proxy.plan(&json!({"seed": 0, "rules": []}));
        let (snapshot, report) = scan(&proxy.url, 2);
        let log = proxy.log();
        assert!(
            report.is_complete(),
            "the baseline scan is incomplete: {:#?}",
            report.summary.completeness
        );
        let base = Baseline {
            account: snapshot
                .account
                .known()
                .cloned()
                .expect("the baseline reads the account"),
            findings: keyed(&report),
        };
        Bench {
            _moto: moto,
            proxy,
            base,
            snapshot,
            log,
        }
    }

    /// Run one scenario against this bench's own baseline: its log line and its violations.
    fn run(&self, s: &Scenario) -> (String, Vec<String>) {
        self.proxy.plan(&s.plan);
        let (snap, report) = scan(&self.proxy.url, s.attempts);
        let log = self.proxy.log();
        let mut bad = violations(&self.base, &snap, &report, &log);
        if let Some(op) = &s.must_fail {
            if !failed_by_proxy(&log).contains(op) {
                bad.push(format!("no answer of {op} was broken"));
            }
        }
        let injected = log.iter().filter(|e| e.fault.is_some()).count();
        let line = format!(
            "{}: {} requests, {injected} broken, {} failed reads, {}",
            s.label,
            log.len(),
            report.summary.completeness.failed_reads.len(),
            if bad.is_empty() { "ok" } else { "VIOLATED" }
        );
        let bad = bad
            .into_iter()
            .map(|b| format!("{}: {b}", s.label))
            .collect();
        (line, bad)
    }
}

/// How many benches run scenarios side by side: each has its own moto server (one Python
/// process, the bottleneck), so on two cores two of them take about half the time of one.
/// `HIPAA_FAULT_WORKERS` overrides.
fn workers() -> usize {
    std::env::var("HIPAA_FAULT_WORKERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(2)))
        .max(1)
}

#[test]
fn the_scan_never_passes_on_broken_answers() {
    let first = Bench::start();
    let (snap, log) = (&first.snapshot, &first.log);

    // Every operation of the scan's ledger is named by the proxy, so each can be targeted.
    let ledger: BTreeSet<String> = snap.reads.calls.keys().cloned().collect();
    let seen: BTreeSet<String> = log.iter().map(|e| e.op.clone()).collect();
    let unnamed: Vec<&String> = ledger.difference(&seen).collect();
    assert!(
        unnamed.is_empty(),
        "the proxy cannot name {unnamed:?}; it saw {seen:?}"
    );
    assert!(
        ledger.len() >= 40,
        "only {} operations in the ledger",
        ledger.len()
    );
    // Operations with an answer that has a body to cut (an XML error answer counts: its code is
    // in the body), and their protocols.
    let json = ["json", "restjson", "cbor"];
    let mut cuttable: BTreeMap<String, String> = BTreeMap::new();
    for e in log {
        let json_error = e.status >= 300 && json.contains(&e.protocol.as_str());
        if e.bytes >= 2 && !json_error {
            cuttable.insert(e.op.clone(), e.protocol.clone());
        }
    }
    // Every XML operation of the ledger has a body to cut in the fixture.
    let xml_protocols = ["query", "ec2", "restxml"];
    let uncut: Vec<&String> = log
        .iter()
        .filter(|e| xml_protocols.contains(&e.protocol.as_str()) && !cuttable.contains_key(&e.op))
        .map(|e| &e.op)
        .collect();
    assert!(
        uncut.is_empty(),
        "XML operations with nothing to cut: {uncut:?}"
    );

    let mut scenarios: Vec<Scenario> = Vec::new();
    // Truncated bodies with a matching Content-Length, one operation at a time: every operation
    // with a body to cut, XML (the SDK would accept it) and JSON/CBOR alike.
    let mut xml_ops = 0;
    for (op, protocol) in &cuttable {
        xml_ops += usize::from(xml_protocols.contains(&protocol.as_str()));
        scenarios.push(Scenario {
            label: format!("truncate {op} ({protocol})"),
            plan: json!({"seed": 11, "rules": [{"fault": "truncate", "ops": [op]}]}),
            attempts: 2,
            must_fail: Some(op.clone()),
        });
    }
    assert!(
        xml_ops >= 20,
        "only {xml_ops} XML operations had a body to cut"
    );

    // AccessDenied on every operation of one service at a time.
    let services: BTreeSet<&str> = ledger
        .iter()
        .filter_map(|op| op.split(':').next())
        .collect();
    for service in &services {
        let ops: Vec<&String> = ledger
            .iter()
            .filter(|op| op.starts_with(&format!("{service}:")))
            .collect();
        scenarios.push(Scenario {
            label: format!("deny {service}"),
            plan: json!({"seed": 3, "rules": [{"fault": "deny", "ops": ops}]}),
            attempts: 2,
            must_fail: None,
        });
    }

    // Faults at random over every operation, a few seeds each.
    for seed in 1..=3 {
        scenarios.push(Scenario {
            label: format!("throttle 30% + 5xx 5%, seed {seed}"),
            plan: json!({"seed": seed, "rules": [
                {"fault": "throttle", "rate": 0.3}, {"fault": "5xx", "rate": 0.05}]}),
            attempts: 5,
            must_fail: None,
        });
        scenarios.push(Scenario {
            label: format!("junk 5% + truncate 5%, seed {seed}"),
            plan: json!({"seed": seed, "rules": [
                {"fault": "junk", "rate": 0.05}, {"fault": "truncate", "rate": 0.05}]}),
            attempts: 2,
            must_fail: None,
        });
    }

    // The scenarios, dealt round-robin to the benches: the first one above, and the others
    // started here (each with its own server, fixture and baseline: moto's ids differ).
    let n = workers();
    let mut results: Vec<(usize, String, Vec<String>)> = std::thread::scope(|scope| {
        let scenarios = &scenarios;
        let first = &first;
        let handles: Vec<_> = (0..n)
            .map(|w| {
                scope.spawn(move || {
                    let own;
                    let bench = if w == 0 {
                        first
                    } else {
                        own = Bench::start();
                        &own
                    };
                    scenarios
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % n == w)
                        .map(|(i, s)| {
                            let (line, bad) = bench.run(s);
                            eprintln!("{line}");
                            (i, line, bad)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a fault worker panicked"))
            .collect()
    });
    results.sort_by_key(|(i, _, _)| *i);
    assert_eq!(results.len(), scenarios.len(), "every scenario ran");
    let mut problems: Vec<String> = results.into_iter().flat_map(|(_, _, bad)| bad).collect();

    let plan = json!({"seed": 1, "rules": [{"fault": "latency", "rate": 0.2, "ms": 150}]});
    first.proxy.plan(&plan);
    let (_, slow) = scan(&first.proxy.url, 2);
    if keyed(&slow) != first.base.findings {
        problems.push("latency alone changed the findings".into());
    }

    assert!(
        problems.is_empty(),
        "{} violations:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn cli_exits_4_on_the_reported_truncations() {
    // The reported cases: a cut GetAccountAuthorizationDetails turned FAIL into PASS, a cut
    // GetBucketAcl hid a public grant, a cut ListBuckets hid five buckets.
    let moto = Moto::start();
    moto.seed(1);
    let proxy = FaultProxy::start(&moto.url);
    let cases = [
        (
            "iam:GetAccountAuthorizationDetails",
            &["iam.user_no_direct_policies", "iam.customer_policy_admin"][..],
        ),
        ("s3:GetBucketAcl", &["s3.bucket_acl_not_public"][..]),
        (
            "s3:ListBuckets",
            &["s3.default_encryption", "s3.bucket_acl_not_public"][..],
        ),
    ];
    for (op, controls) in cases {
        proxy.plan(&json!({"seed": 5, "rules": [{"fault": "truncate", "ops": [op]}]}));
        let out = Command::new(hipaa_bin())
            .args([
                "scan",
                "--endpoint-url",
                &proxy.url,
                "--format",
                "json",
                "--no-progress",
            ])
            .args(["--max-attempts", "2", "--region", "us-east-1"])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .output()
            .expect("hipaa runs");
        assert_eq!(
            out.status.code(),
            Some(4),
            "{op}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report =
            Report::from_json(&String::from_utf8_lossy(&out.stdout), "stdout").expect("json");
        let failed: BTreeSet<&str> = report
            .summary
            .completeness
            .failed_reads
            .iter()
            .filter(|f| f.reason == hipaa_core::UnknownReason::ParseError)
            .map(|f| f.operation.as_str())
            .collect();
        assert_eq!(failed, BTreeSet::from([op]), "{op}");
        for control in controls {
            let of: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.control_id == *control)
                .collect();
            assert!(!of.is_empty(), "{op}: no {control} finding");
            assert!(
                of.iter().all(|f| f.status == Status::Error),
                "{op}: {control}: {of:#?}"
            );
        }
    }
}
