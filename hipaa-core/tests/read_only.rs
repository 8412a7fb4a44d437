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
