//! The recorded demo scan (every collector against the moto fixture) makes only read calls, and
//! the documented least-privilege policy (`docs/iam-policy.json`) grants every one of them.
#![allow(clippy::expect_used)] // a test: a missing file is a failure

use std::collections::BTreeSet;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// API operations whose IAM action has another name.
const IAM_NAME: &[(&str, &str)] = &[
    ("s3:ListBuckets", "s3:ListAllMyBuckets"),
    ("s3:GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    ("s3:GetBucketReplication", "s3:GetReplicationConfiguration"),
    (
        "s3:GetObjectLockConfiguration",
        "s3:GetBucketObjectLockConfiguration",
    ),
    ("s3:GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
    (
        "s3control:GetPublicAccessBlock",
        "s3:GetAccountPublicAccessBlock",
    ),
    // API Gateway grants reads by HTTP verb, REST and HTTP/WebSocket APIs alike.
    ("apigateway:GetRestApis", "apigateway:GET"),
    ("apigateway:GetStages", "apigateway:GET"),
    ("apigateway:GetResources", "apigateway:GET"),
    ("apigateway:GetDomainNames", "apigateway:GET"),
    ("apigatewayv2:GetApis", "apigateway:GET"),
    ("apigatewayv2:GetStages", "apigateway:GET"),
    ("apigatewayv2:GetDomainNames", "apigateway:GET"),
];

fn demo_calls() -> BTreeSet<String> {
    let s = hipaa_core::Snapshot::load(&repo().join("hipaa-core/data/demo/snapshot.json"))
        .expect("the demo snapshot loads");
    s.reads.calls.keys().cloned().collect()
}

/// Reads that would return data rather than configuration: object contents, secret values,
/// parameter values, log events, function code, container images. None may ever be called
/// (rule 2 of DEVELOPERS.md).
const CONTENT_READS: &[&str] = &[
    "s3:GetObject",
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "logs:StartQuery",
    "dynamodb:GetItem",
    "dynamodb:Scan",
    "dynamodb:Query",
    "kms:Decrypt",
    "lambda:GetFunction",
    "lambda:InvokeFunction",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
];

#[test]
fn no_call_reads_contents_or_secret_values() {
    let calls = demo_calls();
    for op in CONTENT_READS {
        assert!(!calls.contains(*op), "`{op}` reads data, not configuration");
    }
    let text = std::fs::read_to_string(repo().join("docs/iam-policy.json")).expect("policy");
    for op in CONTENT_READS {
        assert!(
            !text.contains(&format!("\"{op}\"")),
            "the policy grants `{op}`"
        );
    }
}

#[test]
fn every_call_is_a_read() {
    for op in demo_calls() {
        let name = op.split(':').nth(1).unwrap_or_default();
        // BatchGet calls are Get calls for several resources at once (Inspector's account status).
        let read = ["List", "Get", "Describe", "BatchGet"]
            .iter()
            .any(|p| name.starts_with(p))
            || op == "iam:GenerateCredentialReport";
        assert!(read, "`{op}` is not a List/Get/Describe call");
    }
}

#[test]
fn the_documented_policy_grants_every_call() {
    let text = std::fs::read_to_string(repo().join("docs/iam-policy.json")).expect("policy");
    let policy: serde_json::Value = serde_json::from_str(&text).expect("policy is JSON");
    let mut granted = BTreeSet::new();
    for st in policy["Statement"].as_array().expect("statements") {
        assert_eq!(st["Effect"], "Allow");
        for a in st["Action"].as_array().expect("an action list") {
            granted.insert(a.as_str().expect("action").to_string());
        }
    }
    for op in demo_calls() {
        // GetCallerIdentity needs no permission.
        if op == "sts:GetCallerIdentity" {
            continue;
        }
        let action = IAM_NAME
            .iter()
            .find(|(api, _)| *api == op)
            .map_or(op.as_str(), |(_, iam)| iam);
        assert!(
            granted.contains(action),
            "docs/iam-policy.json lacks `{action}` (for {op})"
        );
    }
}

/// The actions of `docs/iam-policy.json`, in its order.
fn documented_actions() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("docs/iam-policy.json")).expect("policy");
    let policy: serde_json::Value = serde_json::from_str(&text).expect("policy is JSON");
    policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .flat_map(|st| st["Action"].as_array().cloned().unwrap_or_default())
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect()
}

/// The AWS Batch job role (`deploy/aws-batch/template.yaml`) grants the scanner exactly the
/// documented read-only policy, between its BEGIN and END markers
/// (`UPDATE_BATCH_TEMPLATE=1 cargo test -p hipaa-core --test read_only` rewrites the list).
#[test]
fn the_batch_job_role_grants_the_documented_policy() {
    let path = repo().join("deploy/aws-batch/template.yaml");
    let text = std::fs::read_to_string(&path).expect("template");
    let marker = |m: &str| text.find(m).expect("the template keeps its markers");
    // The lines strictly between the BEGIN line and the END line.
    let start = marker("# BEGIN docs/iam-policy.json");
    let start = start + text[start..].find('\n').expect("a line after BEGIN") + 1;
    let end = marker("# END docs/iam-policy.json");
    let end = text[..end].rfind('\n').map_or(end, |i| i + 1);
    let block = &text[start..end];
    let action = |l: &str| -> Option<String> {
        let a = l.trim().strip_prefix("- ")?;
        (!a.contains(' ') && !a.contains('"') && a.split(':').count() == 2).then(|| a.to_string())
    };
    let listed: Vec<String> = block.lines().filter_map(action).collect();
    let documented = documented_actions();
    if std::env::var_os("UPDATE_BATCH_TEMPLATE").is_some() && listed != documented {
        let indent = block
            .lines()
            .find(|l| action(l).is_some())
            .map_or(18, |l| l.len() - l.trim_start().len());
        let mut out = String::new();
        let mut written = false;
        for l in block.lines() {
            if action(l).is_none() {
                out.push_str(l);
                out.push('\n');
            } else if !written {
                for a in &documented {
                    out.push_str(&format!("{}- {a}\n", " ".repeat(indent)));
                }
                written = true;
            }
        }
        std::fs::write(&path, format!("{}{out}{}", &text[..start], &text[end..])).expect("written");
        return;
    }
    assert_eq!(
        listed, documented,
        "deploy/aws-batch/template.yaml's job role differs from docs/iam-policy.json: rerun with UPDATE_BATCH_TEMPLATE=1"
    );
}
