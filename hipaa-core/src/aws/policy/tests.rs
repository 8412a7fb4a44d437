//! Unit and property tests of policy parsing and analysis.

use super::analysis::{POSITIVE_OPERATORS, RESTRICTING_KEYS};
use super::parse::STATEMENT_ELEMENTS;
use super::*;
use proptest::prelude::*;
use serde_json::json;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

fn doc(value: Value) -> PolicyDocument {
    PolicyDocument::from_value(&value).unwrap()
}

fn one(statement: Value) -> PolicyDocument {
    doc(json!({"Version": "2012-10-17", "Statement": [statement]}))
}

fn err(text: &str) -> String {
    PolicyDocument::parse(text).unwrap_err().message
}

fn percent_encode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

// ---- parse: accepted shapes ----

#[test]
fn parse_statement_object_and_string_elements() {
    let d = PolicyDocument::parse(
        r#"{"Id": "x", "Statement": {"Sid": "S", "Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*", "Principal": "*"}}"#,
    )
    .unwrap();
    assert_eq!(d.version, None);
    assert_eq!(d.statements.len(), 1);
    let s = &d.statements[0];
    assert_eq!(s.sid.as_deref(), Some("S"));
    assert_eq!(s.effect, Effect::Allow);
    assert_eq!(s.action, vec!["s3:GetObject"]);
    assert_eq!(s.resource, vec!["arn:aws:s3:::b/*"]);
    assert!(s.principal.as_ref().unwrap().any);
    assert!(s.not_action.is_empty() && s.not_resource.is_empty());
}

#[test]
fn parse_list_elements_and_principal_map() {
    let d = one(json!({"Effect": "Deny", "NotAction": ["iam:*", "kms:*"],
        "NotResource": ["arn:aws:s3:::a", "arn:aws:s3:::b"],
        "NotPrincipal": {"AWS": ["arn:aws:iam::1:root", "2"], "Service": "s3.amazonaws.com"}}));
    let s = &d.statements[0];
    assert_eq!(d.version.as_deref(), Some("2012-10-17"));
    assert_eq!(s.effect, Effect::Deny);
    assert!(s.action.is_empty());
    assert_eq!(s.not_action, vec!["iam:*", "kms:*"]);
    assert_eq!(s.not_resource.len(), 2);
    let np = s.not_principal.as_ref().unwrap();
    assert!(!np.any);
    assert_eq!(np.by_type["AWS"], vec!["arn:aws:iam::1:root", "2"]);
    assert_eq!(np.by_type["Service"], vec!["s3.amazonaws.com"]);
}

#[test]
fn parse_flattens_conditions_with_bools_and_numbers() {
    let d = one(
        json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
        "Bool": {"aws:MultiFactorAuthPresent": true},
        "NumericLessThan": {"aws:MultiFactorAuthAge": 3600, "s3:max-keys": [10, 2.5]},
        "StringEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]},
        "Null": {"aws:TokenIssueTime": false}}}),
    );
    let c = &d.statements[0].conditions;
    let find = |key: &str| c.iter().find(|c| c.key == key).unwrap();
    assert_eq!(find("aws:MultiFactorAuthPresent").values, vec!["true"]);
    assert_eq!(find("aws:MultiFactorAuthPresent").operator, "Bool");
    assert_eq!(find("aws:MultiFactorAuthAge").values, vec!["3600"]);
    assert_eq!(find("s3:max-keys").values, vec!["10", "2.5"]);
    assert_eq!(find("aws:RequestedRegion").values.len(), 2);
    assert_eq!(find("aws:TokenIssueTime").values, vec!["false"]);
    assert_eq!(c.len(), 5);
}

#[test]
fn parse_accepts_url_encoded_double_encoded_and_bom() {
    let text =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let plain = PolicyDocument::parse(text).unwrap();
    let once = percent_encode(text);
    assert!(once.starts_with("%7B"));
    assert_eq!(PolicyDocument::parse(&once).unwrap(), plain);
    assert_eq!(
        PolicyDocument::parse(&percent_encode(&once)).unwrap(),
        plain
    );
    assert_eq!(
        PolicyDocument::parse(&format!("\u{feff}  {text}\n")).unwrap(),
        plain
    );
    // IAM's own form: only special characters encoded, `+` left literal.
    let iam = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGet%2B%22%2C%22Resource%22%3A%22*%22%7D%5D%7D";
    assert_eq!(
        PolicyDocument::parse(iam).unwrap().statements[0].action,
        vec!["s3:Get+"]
    );
}

#[test]
fn parse_does_not_decode_percent_inside_plain_json() {
    let d = PolicyDocument::parse(
        r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/%41"}}"#,
    )
    .unwrap();
    assert_eq!(d.statements[0].resource, vec!["arn:aws:s3:::b/%41"]);
}

#[test]
fn parse_allows_trust_policy_without_resource() {
    let d = one(
        json!({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
        "Action": "sts:AssumeRole"}),
    );
    assert!(d.statements[0].resource.is_empty());
    assert!(!d.grants_full_admin());
}

// ---- parse: rejected shapes ----

#[test]
fn parse_rejects_malformed_documents() {
    let cases: &[(&str, &str)] = &[
        ("", "policy document is empty"),
        ("   ", "policy document is empty"),
        ("{not json", "policy document is not valid json"),
        ("[]", "policy document must be a JSON object, found a list"),
        (
            "\"x\"",
            "policy document must be a JSON object, found a string",
        ),
        ("{}", "policy document has no `Statement`"),
        (
            r#"{"Version": 1, "Statement": []}"#,
            "`Version` must be a string",
        ),
        (
            r#"{"Statement": "Allow"}"#,
            "`Statement` must be an object or a list of objects",
        ),
        (
            r#"{"Statement": [1]}"#,
            "`Statement` must be an object or a list of objects, but item #0 is a number",
        ),
        (
            r#"{"Statement": {"Action": "*"}}"#,
            "statement #0: missing `Effect`",
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Action": "*"}, {"Effect": "allow", "Action": "*"}]}"#,
            "statement #1: `Effect` must be `Allow` or `Deny`, found `allow`",
        ),
        (
            r#"{"Statement": {"Effect": true, "Action": "*"}}"#,
            "found a boolean",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "iam:*"}}"#,
            "has both `Action` and `NotAction`",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Resource": "*"}}"#,
            "has neither `Action` nor `NotAction`",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}}"#,
            "`Action` must not be empty",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "NotResource": "x"}}"#,
            "has both `Resource` and `NotResource`",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": ["s3:Get*", 3]}}"#,
            "`Action` must be a string or a list of strings, but it holds a number",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": {"a": 1}}}"#,
            "found an object",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": "everyone"}}"#,
            "`Principal` must be `*` or an object of principal types, found `everyone`",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": {"Aws": "*"}}}"#,
            "`Principal` type `Aws` is not one of",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": {"AWS": [null]}}}"#,
            "`Principal.AWS` must be a string or a list of strings",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": "*", "NotPrincipal": "*"}}"#,
            "has both `Principal` and `NotPrincipal`",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condtion": {}}}"#,
            "unknown element `Condtion`",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Sid": 5}}"#,
            "`Sid` must be a string",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condition": []}}"#,
            "`Condition` must be an object of operators, found a list",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"Bool": "x"}}}"#,
            "condition operator `Bool` must map to an object of keys",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"Bool": {"k": null}}}}"#,
            "condition `Bool` key `k` must have a string, boolean or number value",
        ),
        (
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"Bool": {"k": [{"a": 1}]}}}}"#,
            "condition `Bool` key `k` must have",
        ),
        (
            "%7B%2",
            "url-encoded policy document has an invalid escape at byte 3",
        ),
        ("%zz", "invalid escape at byte 0"),
        ("%FF%FE", "url-decoded policy document is not valid utf-8"),
        ("%7Bnope", "policy document is not valid json"),
    ];
    for (text, want) in cases {
        let got = err(text);
        assert!(got.contains(want), "{text}: got `{got}`, want `{want}`");
        let first = got.chars().next().unwrap();
        assert!(!first.is_uppercase(), "{got}");
        assert!(!got.ends_with('.'), "{got}");
    }
}

// ---- action_matches ----

#[test]
fn action_matches_wildcards_and_case() {
    assert!(action_matches("s3:Get*", "s3:GetObject"));
    assert!(action_matches("S3:getobject", "s3:GetObject"));
    assert!(action_matches("*", "kms:Decrypt"));
    assert!(action_matches("*:*", "kms:Decrypt"));
    assert!(action_matches("kms:Decr*", "kms:Decrypt"));
    assert!(action_matches("kms:*crypt", "kms:Decrypt"));
    assert!(action_matches("kms:?ecrypt", "kms:Decrypt"));
    assert!(action_matches("*Object*", "s3:PutObjectAcl"));
    assert!(action_matches("s3:**", "s3:"));
    assert!(action_matches("", ""));
    assert!(!action_matches("s3:Get*", "s3:PutObject"));
    assert!(!action_matches("s3:GetObject", "s3:GetObjectAcl"));
    assert!(!action_matches("kms:?crypt", "kms:Decrypt"));
    assert!(!action_matches("kms:Decrypt?", "kms:Decrypt"));
    assert!(!action_matches("", "s3:GetObject"));
    assert!(!action_matches("*:*", "Decrypt") || action_matches("*:*", "a:b"));
    assert!(action_matches("ÄÖ:*", "äö:x"));
    assert!(!action_matches("a*a*a*a*a*a*b", &"a".repeat(200)));
}

// ---- grants_full_admin ----

#[test]
fn full_admin_positive_cases() {
    for (action, resource) in [
        (json!("*"), json!("*")),
        (json!(["*"]), json!(["*"])),
        (json!("*:*"), json!("*")),
        (json!(["s3:GetObject", "*"]), json!(["arn:aws:s3:::b", "*"])),
        (json!("*"), json!("arn:aws:*:*:*:*")),
        (json!("*"), json!("arn:*")),
    ] {
        let d = one(json!({"Effect": "Allow", "Action": action, "Resource": resource}));
        assert!(d.grants_full_admin(), "{action} on {resource}");
    }
    let with_condition = one(json!({"Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}));
    assert!(with_condition.grants_full_admin());
}

#[test]
fn full_admin_negative_cases() {
    for statement in [
        json!({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}),
        json!({"Effect": "Deny", "Action": "*", "Resource": "*"}),
        json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}),
        json!({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}),
        json!({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::*"}),
        json!({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::b"}),
        json!({"Effect": "Allow", "Action": ["*:Get*", "*:List*"], "Resource": "*"}),
        json!({"Effect": "Allow", "Action": "*", "Principal": "*"}),
    ] {
        assert!(!one(statement.clone()).grants_full_admin(), "{statement}");
    }
}

// ---- public_statements ----

#[test]
fn public_principal_shapes() {
    for principal in [
        json!("*"),
        json!({"AWS": "*"}),
        json!({"AWS": ["arn:aws:iam::1:root", "*"]}),
    ] {
        let d = one(
            json!({"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*"}),
        );
        assert_eq!(
            d.public_statements(),
            vec![PublicGrant {
                statement: "#0".into(),
                actions: vec!["s3:GetObject".into()]
            }],
            "{principal}"
        );
        assert!(d.allows_public_access());
    }
    let np = one(json!({"Sid": "AllButMe", "Effect": "Allow",
        "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "NotAction": "s3:Delete*", "Resource": "*"}));
    assert_eq!(
        np.public_statements(),
        vec![PublicGrant {
            statement: "AllButMe".into(),
            actions: vec!["all actions except s3:Delete*".into()]
        }]
    );
}

#[test]
fn non_public_principals() {
    for statement in [
        json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "*"}),
        json!({"Effect": "Allow", "Principal": {"Service": "*"}, "Action": "*"}),
        json!({"Effect": "Allow", "Action": "*", "Resource": "*"}),
        json!({"Effect": "Deny", "Principal": "*", "Action": "*"}),
        json!({"Effect": "Deny", "NotPrincipal": {"AWS": "1"}, "Action": "*"}),
    ] {
        let d = one(statement.clone());
        assert!(d.public_statements().is_empty(), "{statement}");
        assert!(!d.allows_public_access());
    }
}

#[test]
fn labels_use_sid_or_document_index() {
    let d = doc(json!({"Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "*"},
        {"Sid": "", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:ListBucket"]},
        {"Sid": "Named", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}));
    let labels: Vec<String> = d
        .public_statements()
        .into_iter()
        .map(|g| g.statement)
        .collect();
    assert_eq!(labels, vec!["#1", "Named"]);
    assert_eq!(
        d.public_statements()[0].actions,
        vec!["s3:GetObject", "s3:ListBucket"]
    );
}

fn public_with(condition: Value) -> bool {
    one(
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*", "Condition": condition}),
    )
    .allows_public_access()
}

#[test]
fn restricting_conditions_make_statement_private() {
    for key in RESTRICTING_KEYS {
        for op in POSITIVE_OPERATORS {
            assert!(!public_with(json!({op: {key: "o-abc123"}})), "{op} {key}");
        }
        let shouty = key.to_ascii_uppercase();
        assert!(
            !public_with(json!({"ForAnyValue:StringLike": {shouty: ["a", "b"]}})),
            "{key}"
        );
    }
    assert!(!public_with(
        json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}})
    ));
    assert!(!public_with(
        json!({"IpAddress": {"aws:sourceip": "2001:db8::/32"}})
    ));
    assert!(!public_with(
        json!({"stringequals": {"aws:sourceaccount": 111122223333u64}})
    ));
    assert!(!public_with(json!({
        "Bool": {"aws:SecureTransport": "true"},
        "ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1"}})));
}

#[test]
fn non_restricting_conditions_keep_statement_public() {
    for condition in [
        json!({"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc"}}),
        json!({"ArnLikeIfExists": {"aws:SourceArn": "*"}}),
        json!({"StringLike": {"aws:SourceArn": "*"}}),
        json!({"StringLike": {"aws:PrincipalOrgID": ["o-abc", "**"]}}),
        json!({"StringNotEquals": {"aws:SourceAccount": "111122223333"}}),
        json!({"ForAllValues:StringEquals": {"aws:PrincipalOrgPaths": "o-a/r-b/*"}}),
        json!({"StringEquals": {"aws:SourceAccount": []}}),
        json!({"NumericEquals": {"aws:SourceAccount": 1}}),
        json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
        json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "::/0"]}}),
        json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
        json!({"IpAddressIfExists": {"aws:SourceIp": "10.0.0.0/8"}}),
        json!({"StringLike": {"aws:Referer": "https://example.com/*"}}),
        json!({"Bool": {"aws:SecureTransport": "true"}}),
        json!({}),
    ] {
        assert!(public_with(condition.clone()), "{condition}");
    }
}

// ---- denies_insecure_transport ----

fn tls_deny(principal: Value, action: Value, condition: Value) -> PolicyDocument {
    one(
        json!({"Effect": "Deny", "Principal": principal, "Action": action,
        "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": condition}),
    )
}

#[test]
fn tls_deny_positive_spellings() {
    let f = json!({"Bool": {"aws:SecureTransport": "false"}});
    for (principal, action, condition) in [
        (json!("*"), json!("s3:*"), f.clone()),
        (
            json!({"AWS": "*"}),
            json!("*"),
            json!({"Bool": {"aws:SecureTransport": false}}),
        ),
        (
            json!({"AWS": ["*"]}),
            json!(["s3:*"]),
            json!({"BoolIfExists": {"aws:securetransport": "FALSE"}}),
        ),
        (json!("*"), json!(["s3:Get*", "s3:Put*"]), f.clone()),
        (
            json!("*"),
            json!(["s3:GetObject", "s3:PutObject"]),
            json!({"Bool": {"aws:SecureTransport": ["false"]}}),
        ),
        (json!("*"), json!("*:*"), f.clone()),
    ] {
        let d = tls_deny(principal.clone(), action.clone(), condition.clone());
        assert!(
            d.denies_insecure_transport("s3"),
            "{principal} {action} {condition}"
        );
    }
    let not_action = one(
        json!({"Effect": "Deny", "Principal": "*", "NotAction": "s3:ListBucket",
        "Resource": "*", "Condition": f}),
    );
    assert!(not_action.denies_insecure_transport("s3"));
    let kms = one(
        json!({"Effect": "Deny", "Principal": "*", "Action": "kms:*",
        "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": false}}}),
    );
    assert!(kms.denies_insecure_transport("kms"));
    assert!(!kms.denies_insecure_transport("s3"));
}

#[test]
fn tls_deny_negative_cases() {
    let f = json!({"Bool": {"aws:SecureTransport": "false"}});
    for (principal, action, condition) in [
        (json!("*"), json!("s3:GetObject"), f.clone()),
        (json!("*"), json!("s3:Get*"), f.clone()),
        (
            json!("*"),
            json!("s3:*"),
            json!({"Bool": {"aws:SecureTransport": "true"}}),
        ),
        (
            json!("*"),
            json!("s3:*"),
            json!({"StringEquals": {"aws:SecureTransport": "false"}}),
        ),
        (
            json!("*"),
            json!("s3:*"),
            json!({"NumericLessThan": {"s3:TlsVersion": 1.2}}),
        ),
        (
            json!({"AWS": "arn:aws:iam::1:root"}),
            json!("s3:*"),
            f.clone(),
        ),
        (
            json!("*"),
            json!("s3:*"),
            json!({"Bool": {"aws:SecureTransport": "false"},
            "StringEquals": {"aws:SourceVpc": "vpc-1"}}),
        ),
        (json!("*"), json!("s3:*"), json!({})),
    ] {
        let d = tls_deny(principal.clone(), action.clone(), condition.clone());
        assert!(
            !d.denies_insecure_transport("s3"),
            "{principal} {action} {condition}"
        );
    }
    let allow = one(json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Condition": f}));
    assert!(!allow.denies_insecure_transport("s3"));
    let not_principal = one(
        json!({"Effect": "Deny", "NotPrincipal": {"AWS": "1"}, "Action": "s3:*",
        "Condition": f}),
    );
    assert!(!not_principal.denies_insecure_transport("s3"));
    let bucket_only = one(json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": "arn:aws:s3:::b", "Condition": f}));
    assert!(!bucket_only.denies_insecure_transport("s3"));
    let not_action_objects = one(
        json!({"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject",
        "Resource": "*", "Condition": f}),
    );
    assert!(!not_action_objects.denies_insecure_transport("s3"));
}

#[test]
fn tls_deny_of_the_data_calls_of_queues_topics_and_file_systems() {
    let f = json!({"Bool": {"aws:SecureTransport": "false"}});
    let deny = |action: Value| {
        one(json!({"Effect": "Deny", "Principal": "*", "Action": action,
            "Resource": "arn:aws:sqs:us-east-1:1:q", "Condition": f}))
    };
    // A whole-service deny counts for every service, without any resource wildcard.
    assert!(deny(json!("sqs:*")).denies_insecure_transport("sqs"));
    assert!(deny(json!("*")).denies_insecure_transport("elasticfilesystem"));
    // Denying the calls that carry the data is enough; part of them is not.
    assert!(deny(json!(["sqs:SendMessage", "sqs:ReceiveMessage"])).denies_insecure_transport("sqs"));
    assert!(!deny(json!("sqs:SendMessage")).denies_insecure_transport("sqs"));
    assert!(deny(json!("SNS:Publish")).denies_insecure_transport("sns"));
    assert!(!deny(json!("SNS:Subscribe")).denies_insecure_transport("sns"));
    assert!(
        deny(json!("elasticfilesystem:ClientMount")).denies_insecure_transport("elasticfilesystem")
    );
    assert!(!deny(json!("elasticfilesystem:ClientWrite"))
        .denies_insecure_transport("elasticfilesystem"));
    // One service's data calls say nothing of another's.
    assert!(!deny(json!("sns:Publish")).denies_insecure_transport("sqs"));
    assert!(!deny(json!("sqs:*")).denies_insecure_transport("kms"));
}

// ---- grants_kms_decrypt_to_everyone ----

#[test]
fn kms_decrypt_to_everyone_cases() {
    for action in [
        json!("kms:Decrypt"),
        json!("kms:*"),
        json!("*"),
        json!(["kms:Encrypt", "kms:Decr*"]),
    ] {
        let d = one(
            json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": action, "Resource": "*"}),
        );
        assert!(d.grants_kms_decrypt_to_everyone(), "{action}");
    }
    for statement in [
        json!({"Effect": "Allow", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*"}),
        json!({"Effect": "Allow", "Principal": "*", "NotAction": "kms:Decrypt", "Resource": "*"}),
        json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:role/r"}, "Action": "kms:*"}),
        json!({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333",
                "kms:ViaService": "s3.us-east-1.amazonaws.com"}}}),
        json!({"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt"}),
    ] {
        assert!(
            !one(statement.clone()).grants_kms_decrypt_to_everyone(),
            "{statement}"
        );
    }
    let not_action =
        one(json!({"Effect": "Allow", "Principal": "*", "NotAction": "kms:ScheduleKeyDeletion"}));
    assert!(not_action.grants_kms_decrypt_to_everyone());
}

// ---- kms_wildcard_grantees ----

#[test]
fn kms_wildcard_grantees_cases() {
    let d = doc(json!({"Statement": [
        {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws-us-gov:iam::111122223333:root"]},
            "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"},
            "Action": ["kms:*"], "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
            "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}},
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "kms:*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/User"},
            "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"},
        {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Bad"}, "Action": "kms:*"},
        {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/X"}, "Action": "kms:*"}]}));
    assert_eq!(
        d.kms_wildcard_grantees("111122223333"),
        vec![
            "arn:aws:iam::111122223333:role/Admin",
            "arn:aws:iam::444455556666:root",
            "*",
            "AWS:*",
            "Service:cloudtrail.amazonaws.com",
        ]
    );
    let default_policy = one(
        json!({"Sid": "Enable IAM User Permissions", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}),
    );
    assert!(default_policy
        .kms_wildcard_grantees("111122223333")
        .is_empty());
    assert_eq!(
        default_policy.kms_wildcard_grantees("999999999999"),
        vec!["arn:aws:iam::111122223333:root"]
    );
}

#[test]
fn principal_is_everyone() {
    assert!(Principal {
        any: true,
        by_type: BTreeMap::new()
    }
    .is_everyone());
    assert!(!Principal::default().is_everyone());
}

// ---- property tests ----

fn words() -> BoxedStrategy<String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "Version", "Statement", "Sid", "Effect", "Allow", "Deny", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition", "AWS", "Service",
            "Federated", "CanonicalUser", "*", "*:*", "s3:*", "s3:Get*", "kms:Decrypt", "kms:*",
            "Bool", "BoolIfExists", "aws:SecureTransport", "false", "StringEquals",
            "StringLikeIfExists", "ForAllValues:StringLike", "aws:SourceArn", "aws:SourceIp",
            "IpAddress", "0.0.0.0/0", "arn:aws:iam::111122223333:root", "111122223333", "",
            "%7B", "%", "\u{feff}", "ÄÖ", "?",
        ])
        .prop_map(String::from),
        1 => any::<String>(),
    ]
    .boxed()
}

fn arb_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        words().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((words(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
    .boxed()
}

fn string_or_list(items: impl Strategy<Value = String> + Clone) -> impl Strategy<Value = Value> {
    prop_oneof![
        items.clone().prop_map(Value::String),
        prop::collection::vec(items, 1..4).prop_map(|v| json!(v)),
    ]
}

fn action_word() -> BoxedStrategy<String> {
    prop_oneof![
        prop::sample::select(vec![
            "*",
            "*:*",
            "s3:*",
            "s3:GetObject",
            "s3:Put*",
            "kms:*",
            "kms:Decr*",
            "kms:Encrypt",
            "iam:*",
            "sts:AssumeRole",
            "*:Get*"
        ])
        .prop_map(String::from),
        "[a-z0-9]{1,5}:[A-Za-z*?]{1,8}",
    ]
    .boxed()
}

fn arb_principal() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!("*")),
        Just(json!({"AWS": "*"})),
        string_or_list(
            prop::sample::select(vec![
                "*",
                "111122223333",
                "arn:aws:iam::111122223333:root",
                "arn:aws:iam::111122223333:role/R"
            ])
            .prop_map(String::from)
        )
        .prop_map(|v| json!({"AWS": v})),
        Just(json!({"Service": "cloudtrail.amazonaws.com"})),
    ]
    .boxed()
}

fn arb_condition() -> BoxedStrategy<Value> {
    let op = prop::sample::select(vec![
        "StringEquals",
        "StringLike",
        "StringNotEquals",
        "StringEqualsIfExists",
        "ArnLike",
        "Bool",
        "IpAddress",
        "ForAllValues:StringEquals",
        "NumericLessThan",
    ]);
    let key = prop::sample::select(vec![
        "aws:SourceArn",
        "aws:SourceAccount",
        "aws:PrincipalOrgID",
        "aws:SecureTransport",
        "aws:SourceIp",
        "kms:ViaService",
        "aws:Referer",
        "s3:TlsVersion",
    ]);
    let value = prop_oneof![
        words().prop_map(Value::String),
        any::<bool>().prop_map(Value::Bool),
        any::<u32>().prop_map(Value::from),
    ];
    let values = prop_oneof![
        value.clone(),
        prop::collection::vec(value, 0..3).prop_map(Value::Array)
    ];
    prop::collection::vec((op, key, values), 0..3)
        .prop_map(|entries| {
            let mut ops = Map::new();
            for (op, key, values) in entries {
                if let Value::Object(keys) = ops.entry(op).or_insert_with(|| json!({})) {
                    keys.insert(key.to_string(), values);
                }
            }
            Value::Object(ops)
        })
        .boxed()
}

/// A statement with every element well-formed, so parsing it always succeeds.
fn arb_statement(effect: Option<&'static str>) -> impl Strategy<Value = Value> {
    let effect = match effect {
        Some(e) => Just(e).boxed(),
        None => prop::sample::select(vec!["Allow", "Deny"]).boxed(),
    };
    (
        effect,
        prop::option::of("[A-Za-z0-9]{0,6}"),
        prop::option::of((any::<bool>(), arb_principal())),
        (any::<bool>(), string_or_list(action_word())),
        prop::option::of((
            any::<bool>(),
            string_or_list(
                prop::sample::select(vec!["*", "arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:*"])
                    .prop_map(String::from),
            ),
        )),
        arb_condition(),
    )
        .prop_map(
            |(effect, sid, principal, (not_action, action), resource, condition)| {
                let mut s = Map::new();
                s.insert("Effect".into(), json!(effect));
                if let Some(sid) = sid {
                    s.insert("Sid".into(), json!(sid));
                }
                if let Some((not, p)) = principal {
                    s.insert(if not { "NotPrincipal" } else { "Principal" }.into(), p);
                }
                s.insert(
                    if not_action { "NotAction" } else { "Action" }.into(),
                    action,
                );
                if let Some((not, r)) = resource {
                    s.insert(if not { "NotResource" } else { "Resource" }.into(), r);
                }
                s.insert("Condition".into(), condition);
                Value::Object(s)
            },
        )
}

fn arb_policy() -> impl Strategy<Value = Value> {
    prop::collection::vec(arb_statement(None), 0..5)
        .prop_map(|statements| json!({"Version": "2012-10-17", "Statement": statements}))
}

fn exercise(d: &PolicyDocument) {
    let _ = d.grants_full_admin();
    let public = d.public_statements();
    assert_eq!(public.is_empty(), !d.allows_public_access());
    let _ = d.denies_insecure_transport("s3");
    let _ = d.denies_insecure_transport("");
    let _ = d.grants_kms_decrypt_to_everyone();
    let _ = d.kms_wildcard_grantees("111122223333");
}

proptest! {
    #[test]
    fn parse_never_panics_on_strings(text in any::<String>()) {
        if let Ok(d) = PolicyDocument::parse(&text) {
            exercise(&d);
        }
    }

    #[test]
    fn parse_never_panics_on_near_json(text in r#"[{}\[\]",:%0-9A-Fa-z*\\ ]{0,64}"#) {
        let _ = PolicyDocument::parse(&text);
    }

    #[test]
    fn parse_never_panics_on_json_values(value in arb_json()) {
        let text = value.to_string();
        let from_text = PolicyDocument::parse(&text);
        let from_value = PolicyDocument::from_value(&value);
        prop_assert_eq!(&from_text, &from_value);
        prop_assert_eq!(PolicyDocument::parse(&percent_encode(&text)), from_value);
        if let Ok(d) = from_text {
            exercise(&d);
        }
    }

    #[test]
    fn parse_never_panics_on_policy_shaped_values(
        statements in prop::collection::vec(
            prop::collection::btree_map(
                prop::sample::select(STATEMENT_ELEMENTS.to_vec()).prop_map(String::from),
                prop_oneof![arb_json(), arb_principal(), string_or_list(action_word()), arb_condition(),
                    prop::sample::select(vec!["Allow", "Deny"]).prop_map(|e| json!(e))],
                0..9),
            0..4),
    ) {
        let value = json!({"Statement": statements.into_iter().map(|m| Value::Object(m.into_iter().collect())).collect::<Vec<_>>()});
        if let Ok(d) = PolicyDocument::from_value(&value) {
            exercise(&d);
        }
    }

    #[test]
    fn mutated_policies_never_panic(
        policy in arb_policy(),
        which in any::<prop::sample::Index>(),
        element in prop::sample::select(STATEMENT_ELEMENTS.to_vec()),
        junk in arb_json(),
    ) {
        let mut policy = policy;
        if let Some(Value::Array(statements)) = policy.get_mut("Statement") {
            if !statements.is_empty() {
                let i = which.index(statements.len());
                if let Some(Value::Object(s)) = statements.get_mut(i) {
                    s.insert(element.to_string(), junk);
                }
            }
        }
        if let Ok(d) = PolicyDocument::parse(&policy.to_string()) {
            exercise(&d);
        }
    }

    #[test]
    fn generated_policies_parse(policy in arb_policy()) {
        let d = PolicyDocument::from_value(&policy);
        prop_assert!(d.is_ok(), "{:?}", d);
    }

    #[test]
    fn adding_a_deny_never_adds_public_grants(
        policy in arb_policy(),
        deny in arb_statement(Some("Deny")),
        at in any::<prop::sample::Index>(),
    ) {
        let before = PolicyDocument::from_value(&policy).unwrap();
        let public_before = before.public_statements();
        let mut after = before.clone();
        after.statements.push(PolicyDocument::from_value(&json!({"Statement": deny})).unwrap().statements.remove(0));
        let public_after = after.public_statements();
        for grant in &public_after {
            prop_assert!(public_before.contains(grant), "{:?} not in {:?}", grant, public_before);
        }
        let mut inserted = before.clone();
        let deny = after.statements.pop().unwrap();
        inserted.statements.insert(at.index(before.statements.len() + 1), deny);
        prop_assert!(inserted.public_statements().len() <= public_before.len());
        prop_assert!(!inserted.grants_kms_decrypt_to_everyone() || before.grants_kms_decrypt_to_everyone());
    }

    #[test]
    fn literal_patterns_match_themselves(p in "[^*?]{0,40}") {
        prop_assert!(action_matches(&p, &p));
        prop_assert!(action_matches("*", &p));
        let upper = p.to_ascii_uppercase();
        prop_assert!(action_matches(&p, &upper));
    }

    #[test]
    fn wildcard_match_agrees_with_prefix_and_suffix(prefix in "[a-z0-9:]{0,8}", rest in "[a-z0-9:]{0,8}") {
        let text = format!("{prefix}{rest}");
        let star_prefix = format!("{prefix}*");
        let star_suffix = format!("*{rest}");
        prop_assert!(action_matches(&star_prefix, &text));
        prop_assert!(action_matches(&star_suffix, &text));
        let question = format!("{prefix}{}", "?".repeat(rest.chars().count()));
        prop_assert!(action_matches(&question, &text));
    }

    #[test]
    fn restricting_condition_makes_public_statement_private(
        principal in prop_oneof![Just(json!("*")), Just(json!({"AWS": "*"})), Just(json!({"AWS": ["arn:aws:iam::1:root", "*"]}))],
        not_principal in any::<bool>(),
        action in string_or_list(action_word()),
        other in arb_condition(),
        key in prop::sample::select(RESTRICTING_KEYS.to_vec()),
        upper in any::<bool>(),
        op in prop::sample::select(POSITIVE_OPERATORS.to_vec()),
        any_value in any::<bool>(),
        values in prop::collection::vec("[a-zA-Z0-9:/.-]{1,20}", 1..3),
        ip in (0u8..=255, 0u8..=255, 1u8..=32),
        use_ip in any::<bool>(),
    ) {
        let element = if not_principal { "NotPrincipal" } else { "Principal" };
        let mut statement = json!({"Effect": "Allow", "Action": action, "Condition": other});
        if let Value::Object(s) = &mut statement {
            s.insert(element.into(), principal);
        }
        let mut d = one(statement);
        d.statements[0].conditions.retain(|c| !c.restricts_caller());
        prop_assert!(d.allows_public_access());
        let condition = if use_ip {
            Condition { operator: "IpAddress".into(), key: "aws:SourceIp".into(),
                values: vec![format!("{}.{}.0.0/{}", ip.0, ip.1, ip.2)] }
        } else {
            let key = if upper { key.to_ascii_uppercase() } else { key.to_string() };
            let operator = if any_value { format!("ForAnyValue:{op}") } else { op.to_string() };
            Condition { operator, key, values }
        };
        d.statements[0].conditions.push(condition);
        prop_assert!(d.public_statements().is_empty());
        prop_assert!(!d.allows_public_access());
        prop_assert!(!d.grants_kms_decrypt_to_everyone());
    }
}
