//! Organization benchmark, two parts:
//!
//! 1. An organization of small accounts in moto (`tests/fixture/seed_org.py` plus `--members N`
//!    accounts), scanned once with `--organization` and then account by account, one scan after
//!    another: wall time, API calls and peak memory of each.
//! 2. Offline: `--offline N` synthetic account snapshots (the demo account under N account ids)
//!    evaluated into `--shards S` shard reports, written as JSON as shard workers would, then
//!    merged: time and peak memory (the goal: under 500 MB for 1,000 accounts).
//!
//! `cargo run --release -p hipaa-e2e --example bench_org -- --members 95 --offline 1000 --shards 10`
//! (`--members 0` skips part 1, `--offline 0` part 2; needs the `.venv` that `scripts/test`
//! creates). Each measured run is a child process of its own, so each peak RSS is its own.

use hipaa_aws::{scan_organization, OrganizationOptions, ScanOptions};
use hipaa_core::organization::{Discovery, Plan, Prefer, ScanFacts, Shard};
use hipaa_core::services::org::evidence::OrganizationView;
use hipaa_core::{Engine, NoProgress, Report, Scope, Snapshot};
use hipaa_e2e::{fake_credentials, Moto};
use std::process::Command;
use std::time::Instant;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn num(name: &str, default: u64) -> u64 {
    arg(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Peak resident set size of this process, from /proc (kB).
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("{what}: {e}");
    std::process::exit(1)
}

fn runtime() -> tokio::runtime::Runtime {
    hipaa_aws::runtime_builder()
        .build()
        .unwrap_or_else(|e| fail("cannot start a runtime", e))
}

fn options(url: &str, accounts: Option<Vec<String>>, at_once: usize) -> OrganizationOptions {
    OrganizationOptions {
        scan: ScanOptions {
            endpoint_url: Some(url.to_string()),
            regions: vec!["us-east-1".into()],
            max_attempts: 2,
            ..ScanOptions::default()
        },
        accounts,
        account_concurrency: at_once,
        ..OrganizationOptions::default()
    }
}

/// What a measured child prints (one line): seconds, API calls, accounts, findings, peak RSS.
fn print_result(secs: f64, calls: u64, accounts: usize, findings: usize, extra: &str) {
    println!(
        "RESULT {secs:.3} {calls} {accounts} {findings} {} {extra}",
        peak_rss_kb()
    );
}

/// Child: one organization scan of every account.
fn run_org(url: &str, at_once: usize) {
    let (engine, scope) = engine();
    let rt = runtime();
    let start = Instant::now();
    let report = rt
        .block_on(scan_organization(
            &options(url, None, at_once),
            &scope,
            &engine,
            &NoProgress,
        ))
        .unwrap_or_else(|e| fail("organization scan failed", e));
    let secs = start.elapsed().as_secs_f64();
    let scanned = report
        .summary
        .by_account
        .iter()
        .filter(|a| a.state == "scanned" || a.state == "unreachable")
        .count();
    print_result(
        secs,
        report.summary.completeness.reads_attempted,
        scanned,
        report.findings.len(),
        "",
    );
}

/// Child: each account alone, one scan after another (as a loop of `hipaa scan --accounts ID`).
fn run_sequential(url: &str, ids: &[String]) {
    let (engine, scope) = engine();
    let rt = runtime();
    let (mut calls, mut findings) = (0, 0);
    let start = Instant::now();
    for id in ids {
        let report = rt
            .block_on(scan_organization(
                &options(url, Some(vec![id.clone()]), 1),
                &scope,
                &engine,
                &NoProgress,
            ))
            .unwrap_or_else(|e| fail("account scan failed", e));
        calls += report.summary.completeness.reads_attempted;
        findings += report.findings.len();
    }
    print_result(
        start.elapsed().as_secs_f64(),
        calls,
        ids.len(),
        findings,
        "",
    );
}

/// Child: `accounts` synthetic snapshots evaluated into `shards` shard reports (each written as
/// JSON and dropped), then the JSON read back and merged.
fn run_offline(accounts: u64, shards: u32) {
    let (engine, scope) = engine();
    let demo = hipaa_core::demo::snapshot().unwrap_or_else(|e| fail("demo snapshot", e));
    let demo_id = demo
        .account
        .known()
        .cloned()
        .unwrap_or_else(|| fail("demo snapshot", "its account is unknown"));
    let demo_text = serde_json::to_string(&demo).unwrap_or_else(|e| fail("demo snapshot", e));
    drop(demo);
    let ids: Vec<String> = (0..accounts)
        .map(|i| format!("{:012}", 200_000_000_000 + i))
        .collect();
    let now = chrono::Utc::now();
    let start = Instant::now();
    let dir = std::env::temp_dir().join(format!("hipaa-bench-org-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail("temporary folder", e));
    let mut paths = Vec::new();
    for index in 0..shards {
        let shard = Shard {
            index,
            count: shards,
        };
        let plan = Plan::named(&ids, &scope, Some(shard));
        let mut results = Vec::with_capacity(plan.scan.len());
        for m in &plan.scan {
            // One account's evidence at a time, evaluated and dropped, as a live scan streams.
            let snapshot: Snapshot = serde_json::from_str(&demo_text.replace(&demo_id, &m.id))
                .unwrap_or_else(|e| fail("synthetic snapshot", e));
            results.push(
                engine
                    .evaluate_member(&snapshot, m, "synthetic", &scope, now)
                    .unwrap_or_else(|e| fail("evaluation", e)),
            );
        }
        let facts = ScanFacts {
            discovery: Discovery::Named,
            partition: "aws".into(),
            caller: None,
            role_name: scope.organization.role_name.clone(),
            view: OrganizationView::not_read("synthetic accounts"),
            view_taken_at: now,
            view_reads: Default::default(),
            shard: Some(shard),
            source: "synthetic".into(),
        };
        let report = engine
            .organization_report(facts, results, plan.skipped, &scope, now)
            .unwrap_or_else(|e| fail("shard report", e));
        // As a shard worker does: the report written as JSON, then gone from memory.
        let path = dir.join(format!("shard-{index}.json"));
        std::fs::write(&path, report.to_json()).unwrap_or_else(|e| fail("shard report", e));
        paths.push(path);
    }
    let evaluated = start.elapsed().as_secs_f64();
    let merging = Instant::now();
    let mut bytes = 0;
    let mut inputs: Vec<(String, Report)> = Vec::with_capacity(paths.len());
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| fail("shard report", e));
        bytes += text.len();
        let name = path.display().to_string();
        let r = Report::from_json(&text, &name).unwrap_or_else(|e| fail("shard report", e));
        drop(text);
        let _ = std::fs::remove_file(path);
        inputs.push((name, r));
    }
    let merged = hipaa_core::organization::merge_owned(&engine, &scope, inputs, Prefer::Refuse)
        .unwrap_or_else(|e| fail("merge", e));
    // Written as `hipaa merge -o` would, streamed to the file.
    let out = dir.join("org.json");
    let file = std::fs::File::create(&out).unwrap_or_else(|e| fail("merged report", e));
    serde_json::to_writer_pretty(std::io::BufWriter::new(file), &merged)
        .unwrap_or_else(|e| fail("merged report", e));
    let merged_json = std::fs::metadata(&out).map_or(0, |m| m.len());
    let _ = std::fs::remove_file(&out);
    let merge_secs = merging.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir(&dir);
    print_result(
        start.elapsed().as_secs_f64(),
        0,
        merged.summary.by_account.len(),
        merged.findings.len(),
        &format!(
            "evaluate={evaluated:.3}s merge={merge_secs:.3}s shard_json={:.1}MB merged_json={:.1}MB",
            bytes as f64 / 1e6,
            merged_json as f64 / 1e6
        ),
    );
}

fn engine() -> (Engine, Scope) {
    let engine = Engine::bundled().unwrap_or_else(|e| fail("catalog", e));
    (engine, Scope::default())
}

/// Run this example again as a child with `args`; its RESULT line, split.
fn child(args: &[String]) -> Vec<String> {
    let exe = std::env::current_exe().unwrap_or_else(|e| fail("this program's path", e));
    let out = Command::new(exe)
        .args(args)
        .output()
        .unwrap_or_else(|e| fail("cannot run a measured child", e));
    let text = String::from_utf8_lossy(&out.stdout);
    match text.lines().find_map(|l| l.strip_prefix("RESULT ")) {
        Some(line) if out.status.success() => line.split(' ').map(str::to_string).collect(),
        _ => fail(
            "a measured child failed",
            String::from_utf8_lossy(&out.stderr),
        ),
    }
}

fn mb(kb: &str) -> String {
    format!("{:.1} MB", kb.parse::<f64>().unwrap_or(0.0) / 1024.0)
}

fn main() {
    fake_credentials();
    match arg("--run").as_deref() {
        Some("org") => {
            return run_org(
                &arg("--url").unwrap_or_default(),
                num("--account-concurrency", 4) as usize,
            )
        }
        Some("sequential") => {
            let ids: Vec<String> = arg("--ids")
                .unwrap_or_default()
                .split(',')
                .map(str::to_string)
                .collect();
            return run_sequential(&arg("--url").unwrap_or_default(), &ids);
        }
        Some("offline") => return run_offline(num("--offline", 1000), num("--shards", 10) as u32),
        _ => {}
    }
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let members = num("--members", 95);
    let offline = num("--offline", 1000);
    let shards = num("--shards", 10).max(1);
    let at_once = num("--account-concurrency", 4).max(1);
    if members > 0 {
        let moto = Moto::start();
        let seeded = Instant::now();
        let ids = moto.seed_org(members as u32);
        let seed_secs = seeded.elapsed().as_secs_f64();
        // Every account that can be scanned: the closed one is not; the locked one is tried.
        let active: Vec<String> = ids
            .iter()
            .filter(|(name, _)| name.as_str() != "closed-legacy")
            .map(|(_, id)| id.clone())
            .collect();
        // moto builds each account's backends on their first request: one untimed organization
        // scan warms every account, as AWS always is (and leaves fresh credential reports).
        let (engine, scope) = engine();
        let warm = Instant::now();
        let _ = runtime().block_on(scan_organization(
            &options(&moto.url, None, at_once as usize),
            &scope,
            &engine,
            &NoProgress,
        ));
        let warm_secs = warm.elapsed().as_secs_f64();
        println!(
            "## Organization of {} accounts in moto ({build} build; seeded in {seed_secs:.0} s; first, cold scan {warm_secs:.1} s; us-east-1; concurrency 32)\n",
            ids.len()
        );
        println!("| run | accounts | time | API calls | findings | peak RSS |\n|---|---:|---:|---:|---:|---:|");
        let org = child(&[
            "--run".into(),
            "org".into(),
            "--url".into(),
            moto.url.clone(),
            "--account-concurrency".into(),
            at_once.to_string(),
        ]);
        println!(
            "| `--organization` (--account-concurrency {at_once}) | {} | {} s | {} | {} | {} |",
            org[2],
            org[0],
            org[1],
            org[3],
            mb(&org[4])
        );
        let seq = child(&[
            "--run".into(),
            "sequential".into(),
            "--url".into(),
            moto.url.clone(),
            "--ids".into(),
            active.join(","),
        ]);
        println!(
            "| one account at a time, one after another | {} | {} s | {} | {} | {} |",
            seq[2],
            seq[0],
            seq[1],
            seq[3],
            mb(&seq[4])
        );
        let (a, b) = (
            org[0].parse::<f64>().unwrap_or(0.0),
            seq[0].parse::<f64>().unwrap_or(0.0),
        );
        if a > 0.0 {
            println!(
                "\nthe organization scan took {:.2}× the time of the sequential scans",
                a / b.max(1e-9)
            );
        }
    }
    if offline > 0 {
        let r = child(&[
            "--run".into(),
            "offline".into(),
            "--offline".into(),
            offline.to_string(),
            "--shards".into(),
            shards.to_string(),
        ]);
        println!(
            "\n## Offline: {offline} synthetic account snapshots, evaluated into {shards} shard reports and merged ({build} build)\n"
        );
        println!(
            "accounts in the merged report: {}; findings: {}; total {} s ({}); peak RSS {}",
            r[2],
            r[3],
            r[0],
            r[5..].join(", "),
            mb(&r[4])
        );
    }
}
