//! Test support: a moto server on 127.0.0.1 and the shared fixture, as the Rust suites use them.
//!
//! The Python venv (`.venv`, with `moto[server]` and boto3) is made by `scripts/test`; the fixture
//! itself (`tests/fixture/seed.py`) is shared with the Python and Node suites.
//!
//! Test-support code: a broken test environment should stop the test loudly, so panics are allowed here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

/// Where the repository is (the workspace root).
pub fn repo_root() -> PathBuf {
    match std::env::var_os("HIPAA_REPO_ROOT") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
    }
}

/// The venv's Python, with a clear message when the set-up step was skipped.
pub fn python() -> PathBuf {
    let py = repo_root().join(".venv/bin/python");
    assert!(
        py.exists(),
        "{} is missing: run `scripts/test` once to create the moto venv",
        py.display()
    );
    py
}

/// The `hipaa` binary built by `cargo build`.
pub fn hipaa_bin() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let bin = target.join("debug/hipaa");
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p hipaa-cli` first (scripts/test does)",
        bin.display()
    );
    bin
}

/// Spawn a `serve`-style helper script with the venv's Python: it prints its URL
/// (`http://127.0.0.1:PORT`) as the first line of stdout and runs until its stdin closes.
fn spawn_serving(
    script: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Child, Option<ChildStdin>, String) {
    let script = repo_root().join(script);
    let mut child = Command::new(python())
        .envs(env.iter().copied())
        .arg(&script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", script.display()));
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{} printed nothing: {e}", script.display()));
    let url = line.trim().to_string();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "unexpected first line from {}: {url:?}",
        script.display()
    );
    let stdin = child.stdin.take();
    (child, stdin, url)
}

/// A running moto server; stopped when dropped.
pub struct Moto {
    child: Child,
    _stdin: Option<ChildStdin>,
    /// Base URL, `http://127.0.0.1:PORT`.
    pub url: String,
}

impl Moto {
    /// Start moto on a free port of 127.0.0.1.
    pub fn start() -> Moto {
        Moto::start_with_env(&[])
    }

    /// Start moto with extra environment (e.g. `INITIAL_NO_AUTH_ACTION_COUNT` to enforce IAM).
    pub fn start_with_env(env: &[(&str, &str)]) -> Moto {
        let (child, stdin, url) = spawn_serving("tests/fixture/moto_server.py", &["serve"], env);
        Moto {
            child,
            _stdin: stdin,
            url,
        }
    }

    /// Seed the shared fixture at a scale (1 = the reference account).
    pub fn seed(&self, scale: u32) {
        let status = Command::new(python())
            .arg(repo_root().join("tests/fixture/seed.py"))
            .args(["--endpoint", &self.url, "--scale", &scale.to_string()])
            .stdout(Stdio::null())
            .status()
            .expect("cannot run seed.py");
        assert!(status.success(), "seed.py failed: {status}");
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Credentials moto accepts, set for this process (the SDK's default chain reads them).
pub fn fake_credentials() {
    // Safety of set_var: tests call this before starting any SDK client; values are constants.
    for (k, v) in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
        // Tests talk to 127.0.0.1 only: never probe the EC2 metadata address for credentials.
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ] {
        if std::env::var(k).ok().as_deref() != Some(v) {
            // set_var is only unsafe in edition 2024; this crate is 2021.
            std::env::set_var(k, v);
        }
    }
    std::env::remove_var("AWS_PROFILE");
    std::env::remove_var("AWS_SESSION_TOKEN");
}

/// One expected finding of the fixture.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize, serde::Serialize)]
pub struct Expected {
    /// Control id.
    pub control_id: String,
    /// Resource id (bucket name, user, key alias, account id).
    pub resource: String,
    /// Status label.
    pub status: String,
}

/// The fixture's expected findings (`tests/fixture/expected.json`), shared by all three languages.
pub fn expected() -> Vec<Expected> {
    let path = repo_root().join("tests/fixture/expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: serde_json::Value = serde_json::from_str(&text).expect("expected.json is JSON");
    serde_json::from_value(v["findings"].clone()).expect("expected.json has a findings list")
}

/// Rewrite the findings list of `tests/fixture/expected.json`, keeping its other fields
/// (`UPDATE_EXPECTED=1 cargo test -p hipaa-e2e --test moto_scan scan_reports_every`).
pub fn write_expected(findings: &std::collections::BTreeSet<Expected>) {
    let path = repo_root().join("tests/fixture/expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("expected.json is JSON");
    v["findings"] = serde_json::to_value(findings).expect("findings serialise");
    // The file's own layout: one-space indents, keys in their existing order.
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
    serde::Serialize::serialize(
        &v,
        &mut serde_json::Serializer::with_formatter(&mut out, fmt),
    )
    .expect("expected.json serialises");
    out.push(b'\n');
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The reads moto does not implement (`moto_gaps` in expected.json): the only reads allowed to fail
/// against the fixture.
pub fn moto_gaps() -> std::collections::BTreeSet<String> {
    let path = repo_root().join("tests/fixture/expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: serde_json::Value = serde_json::from_str(&text).expect("expected.json is JSON");
    serde_json::from_value(v["moto_gaps"].clone()).expect("expected.json has a moto_gaps list")
}

/// The operations of the failed reads, deduplicated.
pub fn failed_operations(
    reads: &hipaa_core::evidence::ReadLog,
) -> std::collections::BTreeSet<String> {
    reads.failures.iter().map(|f| f.operation.clone()).collect()
}

/// A finding reduced to what is stable across runs (KMS keys by alias, not by random id).
pub fn key_of(f: &hipaa_core::Finding) -> Expected {
    Expected {
        control_id: f.control_id.clone(),
        resource: f
            .resource
            .name
            .clone()
            .unwrap_or_else(|| f.resource.id.clone()),
        status: f.status.label().to_string(),
    }
}

/// `tests/fixture/fault_proxy.py` in front of a moto server; stopped when dropped.
pub struct FaultProxy {
    child: Child,
    _stdin: Option<ChildStdin>,
    /// Base URL, `http://127.0.0.1:PORT`: point the scanner here.
    pub url: String,
}

/// One request the proxy saw: how the ledger names it, and what was done to it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ProxyEntry {
    /// `service:Operation`, as the ledger names it.
    pub op: String,
    /// The request's identity (operation, region, method, path and query, body digest).
    pub key: String,
    /// How many times the same request was seen before.
    pub attempt: u32,
    /// HTTP status sent back.
    pub status: u16,
    /// Body bytes sent back.
    pub bytes: usize,
    /// `query`, `ec2`, `restxml`, `json`, `restjson` or `cbor`.
    pub protocol: String,
    /// The fault injected, if any (latency is not a fault).
    pub fault: Option<String>,
}

impl FaultProxy {
    /// Start the proxy on a free port of 127.0.0.1 in front of `upstream`.
    pub fn start(upstream: &str) -> FaultProxy {
        let (child, stdin, url) = spawn_serving(
            "tests/fixture/fault_proxy.py",
            &["--upstream", upstream],
            &[],
        );
        FaultProxy {
            child,
            _stdin: stdin,
            url,
        }
    }

    /// Replace the plan (`{"seed": N, "rules": [...]}`) and empty the log.
    pub fn plan(&self, plan: &serde_json::Value) {
        let (status, body) = self.control("PUT", "/__faults__/plan", &plan.to_string());
        assert_eq!(status, 200, "the proxy refused the plan {plan}: {body}");
    }

    /// Every request since the plan was set, in arrival order.
    pub fn log(&self) -> Vec<ProxyEntry> {
        let (status, body) = self.control("GET", "/__faults__/log", "");
        assert_eq!(status, 200, "the proxy's log: {body}");
        serde_json::from_str(&body).expect("the proxy's log is JSON")
    }

    /// One HTTP/1.1 request to the proxy's control API (standard library only).
    fn control(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let addr = self.url.trim_start_matches("http://");
        let mut s = std::net::TcpStream::connect(addr).expect("the proxy accepts connections");
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("request written");
        let mut out = String::new();
        s.read_to_string(&mut out).expect("answer read");
        let status = out
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = out.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        (status, body.to_string())
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- the organization fixture (tests/fixture/seed_org.py) ------------------------------------

/// Account ids of the seeded organization, by fixture name (`management`, `phi-claims`, …).
pub type OrgIds = std::collections::BTreeMap<String, String>;

impl Moto {
    /// Seed the organization fixture (plus `members` small accounts) and return its accounts.
    pub fn seed_org(&self, members: u32) -> OrgIds {
        let out = Command::new(python())
            .arg(repo_root().join("tests/fixture/seed_org.py"))
            .args(["--endpoint", &self.url, "--members", &members.to_string()])
            .output()
            .expect("cannot run seed_org.py");
        assert!(
            out.status.success(),
            "seed_org.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("seed_org.py prints its accounts as JSON")
    }
}

/// One finding of an organization report, in the fixture's terms (see `expected_org.json`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize, serde::Serialize)]
pub struct ExpectedOrg {
    /// The account's fixture name.
    pub account: String,
    /// Control id.
    pub control_id: String,
    /// Resource id (an OU by its name), with `{name}` for account ids and `{org}` for the organization.
    pub resource: String,
    /// Status label.
    pub status: String,
}

/// `tests/fixture/expected_org.json`: each account's state, and the findings.
pub fn expected_org() -> (std::collections::BTreeMap<String, String>, Vec<ExpectedOrg>) {
    let path = repo_root().join("tests/fixture/expected_org.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: serde_json::Value = serde_json::from_str(&text).expect("expected_org.json is JSON");
    (
        serde_json::from_value(v["accounts"].clone()).expect("an accounts map"),
        serde_json::from_value(v["findings"].clone()).expect("a findings list"),
    )
}

/// An organization report's finding in the fixture's terms.
pub fn org_key(report: &hipaa_core::Report, f: &hipaa_core::Finding, ids: &OrgIds) -> ExpectedOrg {
    let org = report
        .organization
        .as_ref()
        .and_then(|o| o.view.organization.known().cloned().flatten())
        .map(|o| o.id)
        .unwrap_or_default();
    let name_of = |id: &str| {
        ids.iter()
            .find(|(_, v)| v.as_str() == id)
            .map_or_else(|| id.to_string(), |(k, _)| k.clone())
    };
    let mut resource = if f.resource.kind == "AwsOrganizationalUnit" {
        f.resource
            .name
            .clone()
            .unwrap_or_else(|| f.resource.id.clone())
    } else {
        f.resource.id.clone()
    };
    if !org.is_empty() {
        resource = resource.replace(&org, "{org}");
    }
    for (name, id) in ids {
        resource = resource.replace(id.as_str(), &format!("{{{name}}}"));
    }
    ExpectedOrg {
        account: name_of(f.account.as_deref().unwrap_or_default()),
        control_id: f.control_id.clone(),
        resource,
        status: f.status.label().to_string(),
    }
}
