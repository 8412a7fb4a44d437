//! Scan benchmark: seeds the moto fixture at ×N, scans it, and prints wall time, API calls per
//! service and per resource, the moto floor measured in the same run, and peak memory.
//!
//! `cargo run --release -p hipaa-e2e --example bench_scan -- --scale 1,10,100 [--concurrency 32]`
//! (needs the `.venv` that `scripts/test` creates). Each scale gets a fresh moto server.

use futures::stream::{self, StreamExt};
use hipaa_aws::{AwsSource, ScanOptions};
use hipaa_core::{EvidenceSource, NoProgress, Snapshot};
use hipaa_e2e::{fake_credentials, Moto};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// Peak resident set size of this process, from /proc (kB).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The floor: `calls` cheap calls (STS GetCallerIdentity) at full concurrency against the same server.
async fn floor(url: &str, calls: u64, concurrency: usize) -> Duration {
    let cfg = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(url)
        .load()
        .await;
    let sts = aws_sdk_sts::Client::new(&cfg);
    let start = Instant::now();
    stream::iter(0..calls)
        .map(|_| {
            let sts = sts.clone();
            async move {
                let _ = sts.get_caller_identity().send().await;
            }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<_>>()
        .await;
    start.elapsed()
}

fn resources(s: &Snapshot) -> BTreeMap<&'static str, u64> {
    let mut m = BTreeMap::new();
    let sv = &s.services;
    m.insert(
        "s3",
        sv.s3
            .as_ref()
            .and_then(|s3| s3.buckets.known())
            .map_or(0, |b| b.len() as u64),
    );
    m.insert(
        "kms",
        sv.kms
            .iter()
            .flat_map(|k| k.iter())
            .filter_map(|(_, r)| r.keys.known())
            .map(|k| k.len() as u64)
            .sum(),
    );
    let iam = sv
        .iam
        .as_ref()
        .and_then(|i| i.authorization.known())
        .map_or(0, |a| {
            (a.users.len() + a.groups.len() + a.roles.len()) as u64
        });
    m.insert("iam", iam);
    m
}

/// Operations that read one fact per resource: more calls than resources means a fact was fetched twice.
fn fetched_twice(s: &Snapshot, res: &BTreeMap<&'static str, u64>) -> Vec<String> {
    let per_resource = [
        ("s3", "s3:GetBucket"),
        ("s3", "s3:GetPublicAccessBlock"),
        ("s3", "s3:GetObjectLockConfiguration"),
        ("kms", "kms:DescribeKey"),
        ("kms", "kms:GetKey"),
        ("kms", "kms:ListResourceTags"),
    ];
    let mut out = Vec::new();
    for (op, n) in &s.reads.calls {
        for (svc, prefix) in per_resource {
            if op.starts_with(prefix) && *n > res[svc] {
                out.push(format!("{op}: {n} calls for {} resources", res[svc]));
            }
        }
    }
    for op in [
        "iam:GetAccountAuthorizationDetails",
        "iam:GetAccountSummary",
        "iam:GetAccountPasswordPolicy",
        "iam:GetCredentialReport",
        "s3:ListBuckets",
        "sts:GetCallerIdentity",
    ] {
        // One call (or one per page of 100+ items) is expected.
        if s.reads.calls.get(op).copied().unwrap_or(0) > 1 + res["iam"].max(res["s3"]) / 100 {
            out.push(format!("{op}: {} calls", s.reads.calls[op]));
        }
    }
    out
}

fn main() {
    fake_credentials();
    let scales: Vec<u32> = arg("--scale")
        .unwrap_or_else(|| "1,10".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let concurrency: usize = arg("--concurrency")
        .and_then(|c| c.parse().ok())
        .unwrap_or(32);
    let rt = match hipaa_aws::runtime_builder().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start a runtime: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "scan benchmark against moto on 127.0.0.1 (concurrency {concurrency}, {} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    for scale in scales {
        let moto = Moto::start();
        let seeded = Instant::now();
        moto.seed(scale);
        let seed_time = seeded.elapsed();
        let options = ScanOptions {
            endpoint_url: Some(moto.url.clone()),
            regions: vec!["us-east-1".into(), "us-west-2".into()],
            concurrency,
            ..ScanOptions::default()
        };
        // moto loads each service's backend on its first request; one untimed scan warms it, as
        // AWS always is. (It also leaves a fresh credential report, as AWS caches one for 4 hours.)
        let warm = Instant::now();
        if let Err(e) = rt.block_on(AwsSource::new(options.clone()).collect(&NoProgress)) {
            eprintln!("warm-up scan failed: {e}");
            std::process::exit(1);
        }
        let warm_time = warm.elapsed();
        let start = Instant::now();
        let snapshot = match rt.block_on(AwsSource::new(options).collect(&NoProgress)) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("scan failed: {e}");
                std::process::exit(1);
            }
        };
        let scan_time = start.elapsed();
        let calls = snapshot.reads.attempted();
        let floor_time = rt.block_on(floor(&moto.url, calls, concurrency));
        let res = resources(&snapshot);
        println!(
            "\n## ×{scale}  (seeded in {:.1}s; first, cold scan {:.2}s)",
            seed_time.as_secs_f64(),
            warm_time.as_secs_f64()
        );
        println!(
            "resources: {} buckets, {} KMS keys, {} IAM principals; failed reads: {}",
            res["s3"],
            res["kms"],
            res["iam"],
            snapshot.reads.failures.len()
        );
        println!(
            "scan: {:.2}s, {calls} API calls ({:.0} calls/s); floor ({calls} cheap calls at concurrency {concurrency}): {:.2}s; scan = {:.2}× floor",
            scan_time.as_secs_f64(),
            calls as f64 / scan_time.as_secs_f64(),
            floor_time.as_secs_f64(),
            scan_time.as_secs_f64() / floor_time.as_secs_f64().max(1e-9)
        );
        let mut by_service: BTreeMap<&str, u64> = BTreeMap::new();
        for (op, n) in &snapshot.reads.calls {
            *by_service
                .entry(op.split(':').next().unwrap_or("?"))
                .or_default() += n;
        }
        println!("calls per service: {by_service:?}");
        println!("calls per operation (and per resource of its service):");
        for (op, n) in &snapshot.reads.calls {
            let svc = op.split(':').next().unwrap_or("?");
            let per = res
                .get(svc)
                .copied()
                .filter(|r| *r > 0)
                .map(|r| format!("{:.2}/resource", *n as f64 / r as f64))
                .unwrap_or_default();
            println!("  {op:<40} {n:>6}  {per}");
        }
        let twice = fetched_twice(&snapshot, &res);
        if twice.is_empty() {
            println!("facts fetched twice: none");
        } else {
            println!("facts fetched twice: {}", twice.join("; "));
        }
        match peak_rss_kb() {
            Some(kb) => println!("peak RSS so far: {:.1} MB", kb as f64 / 1024.0),
            None => println!("peak RSS: not available on this platform"),
        }
    }
}
