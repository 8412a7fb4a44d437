//! Service control policies that keep PHI accounts on HIPAA-eligible services: generating them
//! from the shipped list, and judging the ones attached to an account.

use crate::aws::policy::{Effect, PolicyDocument, Statement};
use crate::eligible::EligibleServices;
use crate::error::{Error, Result};
use serde::Serialize;
use serde_json::json;

/// AWS Organizations' size limit for one SCP document, in characters.
pub const SCP_MAX_CHARS: usize = 5120;
/// How many SCPs AWS Organizations lets you attach to one account, OU or root.
pub const MAX_SCPS_PER_TARGET: usize = 5;

/// How a generated policy restricts services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScpStrategy {
    /// One `Deny` + `NotAction` statement: attach next to `FullAWSAccess`.
    DenyOutside,
    /// `Allow` statements listing only eligible services: attach in place of `FullAWSAccess`
    /// (allows at one level add up, so the list may be split over several policies).
    AllowOnly,
}

/// A policy ready for `aws organizations create-policy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneratedScp {
    /// Suggested policy name.
    pub name: String,
    /// How it restricts.
    pub strategy: ScpStrategy,
    /// The policy document, minified so it stays under [`SCP_MAX_CHARS`].
    pub document: String,
}

/// Build the SCP(s) that deny every service outside `list`.
///
/// `exempt_principals` (ARN patterns, e.g. a break-glass role) are excluded from the deny. The
/// single deny policy is preferred; when it would exceed the size limit the list is split into
/// allow-only policies instead (splitting a `NotAction` deny would deny everything).
pub fn generate(
    list: &EligibleServices,
    exempt_principals: &[String],
) -> Result<Vec<GeneratedScp>> {
    let mut actions: Vec<String> = list.iam_prefixes().map(|p| format!("{p}:*")).collect();
    actions.sort();
    actions.dedup();
    let mut statement = json!({
        "Sid": "DenyServicesNotHipaaEligible",
        "Effect": "Deny",
        "NotAction": actions,
        "Resource": "*",
    });
    if !exempt_principals.is_empty() {
        statement["Condition"] = json!({ "ArnNotLike": { "aws:PrincipalArn": exempt_principals } });
    }
    let deny = json!({ "Version": "2012-10-17", "Statement": [statement] }).to_string();
    if deny.len() <= SCP_MAX_CHARS {
        return Ok(vec![GeneratedScp {
            name: "deny-services-not-hipaa-eligible".into(),
            strategy: ScpStrategy::DenyOutside,
            document: deny,
        }]);
    }
    if !exempt_principals.is_empty() {
        return Err(Error::Catalog {
            source_name: "SCP generation".into(),
            message: format!(
            "the deny policy is {} characters, over the {SCP_MAX_CHARS}-character SCP limit, and \
             allow-only policies cannot exempt principals; drop the exemptions",
            deny.len()
        ),
        });
    }
    let mut docs = Vec::new();
    let mut chunk: Vec<String> = Vec::new();
    let render = |n: usize, chunk: &[String]| {
        json!({
            "Version": "2012-10-17",
            "Statement": [{ "Sid": format!("AllowHipaaEligibleServices{n}"), "Effect": "Allow", "Action": chunk, "Resource": "*" }]
        })
        .to_string()
    };
    for a in actions {
        chunk.push(a);
        if render(docs.len() + 1, &chunk).len() > SCP_MAX_CHARS {
            let last = chunk.pop().unwrap_or_default();
            docs.push(render(docs.len() + 1, &chunk));
            chunk = vec![last];
        }
    }
    if !chunk.is_empty() {
        docs.push(render(docs.len() + 1, &chunk));
    }
    if docs.len() > MAX_SCPS_PER_TARGET {
        return Err(Error::Catalog {
            source_name: "SCP generation".into(),
            message: format!(
            "the eligible list needs {} allow-only policies, more than the {MAX_SCPS_PER_TARGET} \
             AWS Organizations lets you attach to one target",
            docs.len()
        ),
        });
    }
    Ok(docs
        .into_iter()
        .enumerate()
        .map(|(i, document)| GeneratedScp {
            name: format!("allow-hipaa-eligible-services-{}", i + 1),
            strategy: ScpStrategy::AllowOnly,
            document,
        })
        .collect())
}

/// The IAM prefix of an action pattern (`s3:Get*` → `s3`); `None` for `*` or a wildcard prefix.
fn action_prefix(action: &str) -> Option<&str> {
    let (prefix, _) = action.split_once(':')?;
    (!prefix.is_empty() && !prefix.contains(['*', '?'])).then_some(prefix)
}

/// Conditions a guardrail may carry without losing its force: exemptions of named principals.
fn only_principal_exemptions(s: &Statement) -> bool {
    s.conditions.iter().all(|c| {
        c.key.eq_ignore_ascii_case("aws:PrincipalArn")
            && matches!(
                c.operator.as_str(),
                "ArnNotLike" | "ArnNotEquals" | "StringNotLike" | "StringNotEquals"
            )
    })
}

/// If `doc` has a `Deny` + `NotAction` statement that leaves only eligible services callable,
/// the statement's label.
pub fn deny_outside_eligible(doc: &PolicyDocument, list: &EligibleServices) -> Option<String> {
    doc.statements.iter().enumerate().find_map(|(i, s)| {
        let qualifies = s.effect == Effect::Deny
            && s.action.is_empty()
            && !s.not_action.is_empty()
            && s.resource.iter().any(|r| r == "*")
            && s.not_resource.is_empty()
            && only_principal_exemptions(s)
            && s.not_action
                .iter()
                .all(|a| action_prefix(a).is_some_and(|p| list.allows_prefix(p)));
        qualifies.then(|| s.label(i))
    })
}

/// Whether the policies attached at one level allow only eligible services (and allow something).
pub fn allow_only_eligible(docs: &[PolicyDocument], list: &EligibleServices) -> bool {
    let allows: Vec<&Statement> = docs
        .iter()
        .flat_map(|d| d.statements.iter())
        .filter(|s| s.effect == Effect::Allow)
        .collect();
    !allows.is_empty()
        && allows.iter().all(|s| {
            s.not_action.is_empty()
                && !s.action.is_empty()
                && s.action
                    .iter()
                    .all(|a| action_prefix(a).is_some_and(|p| list.allows_prefix(p)))
        })
}

/// Actions that create data stores: a region-lock statement must deny all of them.
const REGIONAL_CREATES: [&str; 4] = [
    "ec2:RunInstances",
    "rds:CreateDBInstance",
    "dynamodb:CreateTable",
    "s3:CreateBucket",
];

/// If `doc` denies creating data stores in `region` through an `aws:RequestedRegion` condition
/// (the usual region-lock SCP), the statement's label. Principal exemptions (a break-glass role)
/// are allowed; any other condition could switch the statement off, so it does not count.
pub fn denies_region(doc: &PolicyDocument, region: &str) -> Option<String> {
    doc.statements.iter().enumerate().find_map(|(i, s)| {
        let broad = s.effect == Effect::Deny
            && (s.resource.is_empty() || s.resource.iter().any(|r| r == "*"))
            && s.not_resource.is_empty()
            && REGIONAL_CREATES.iter().all(|a| s.covers_action(a));
        let mut region_condition = false;
        let conditions_ok = s.conditions.iter().all(|c| {
            let op = c.operator.trim();
            let op = op.strip_suffix("IfExists").unwrap_or(op);
            if c.key.eq_ignore_ascii_case("aws:RequestedRegion") {
                let outside = match op {
                    "StringNotEquals" | "StringNotEqualsIgnoreCase" => {
                        !c.values.iter().any(|v| v.eq_ignore_ascii_case(region))
                    }
                    "StringNotLike" => !c
                        .values
                        .iter()
                        .any(|v| crate::aws::policy::action_matches(v, region)),
                    _ => false,
                };
                region_condition |= outside;
                outside
            } else {
                c.key
                    .get(..13)
                    .is_some_and(|p| p.eq_ignore_ascii_case("aws:Principal"))
            }
        });
        (broad && conditions_ok && region_condition).then(|| s.label(i))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_lock_statement_denies_the_other_regions() {
        let lock = |extra: &str| {
            PolicyDocument::parse(&format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"RegionLock","Effect":"Deny",
                "NotAction":["iam:*","organizations:*","sts:*","support:*"],"Resource":"*",
                "Condition":{{"StringNotEquals":{{"aws:RequestedRegion":["us-east-1","us-west-2"]}}{extra}}}}}]}}"#
            ))
            .unwrap()
        };
        let doc = lock("");
        assert_eq!(
            denies_region(&doc, "eu-west-1").as_deref(),
            Some("RegionLock")
        );
        assert_eq!(denies_region(&doc, "us-west-2"), None);
        // A break-glass exemption still locks the region; an unrelated condition does not.
        let exempt =
            lock(r#","ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/break-glass"}"#);
        assert!(denies_region(&exempt, "eu-west-1").is_some());
        let tagged = lock(r#","StringEquals":{"aws:ResourceTag/env":"prod"}"#);
        assert_eq!(denies_region(&tagged, "eu-west-1"), None);
        // Exempting one data store service is not a lock.
        let leaky = PolicyDocument::parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["s3:*"],"Resource":"*",
            "Condition":{"StringNotLike":{"aws:RequestedRegion":["us-*"]}}}]}"#,
        )
        .unwrap();
        assert_eq!(denies_region(&leaky, "eu-west-1"), None);
    }

    fn list() -> &'static EligibleServices {
        EligibleServices::bundled().unwrap()
    }

    #[test]
    fn the_generated_policy_is_valid_json_under_the_limit_and_passes_its_own_check() {
        let scps = generate(list(), &[]).unwrap();
        assert_eq!(scps.len(), 1);
        let doc = &scps[0].document;
        assert!(doc.len() <= SCP_MAX_CHARS, "{}", doc.len());
        let v: serde_json::Value = serde_json::from_str(doc).unwrap();
        assert_eq!(v["Statement"][0]["Effect"], "Deny");
        let parsed = PolicyDocument::parse(doc).unwrap();
        assert!(deny_outside_eligible(&parsed, list()).is_some());
        let exempt = generate(list(), &["arn:aws:iam::*:role/break-glass".into()]).unwrap();
        let parsed = PolicyDocument::parse(&exempt[0].document).unwrap();
        assert!(deny_outside_eligible(&parsed, list()).is_some());
    }

    #[test]
    fn an_oversized_list_splits_into_allow_only_policies() {
        let mut big = list().clone();
        for i in 0..400 {
            big.services.push(crate::eligible::EligibleService {
                name: format!("svc{i}"),
                arn_services: vec![format!("svc{i}")],
                iam_prefixes: vec![format!("someservicewithalongname{i}")],
            });
        }
        let scps = generate(&big, &[]).unwrap();
        assert!(scps.len() > 1 && scps.len() <= MAX_SCPS_PER_TARGET);
        let docs: Vec<PolicyDocument> = scps
            .iter()
            .map(|s| {
                assert!(s.document.len() <= SCP_MAX_CHARS);
                assert_eq!(s.strategy, ScpStrategy::AllowOnly);
                PolicyDocument::parse(&s.document).unwrap()
            })
            .collect();
        assert!(allow_only_eligible(&docs, &big));
        let total: usize = docs.iter().map(|d| d.statements[0].action.len()).sum();
        assert_eq!(total, big.iam_prefixes().count());
        assert!(generate(&big, &["arn:aws:iam::1:role/x".into()]).is_err());
    }

    #[test]
    fn weak_guardrails_do_not_count() {
        let p = |t: &str| PolicyDocument::parse(t).unwrap();
        // Leaves an ineligible service callable.
        let d = p(
            r#"{"Statement":[{"Effect":"Deny","NotAction":["s3:*","gamelift:*"],"Resource":"*"}]}"#,
        );
        assert!(deny_outside_eligible(&d, list()).is_none());
        // A condition that is not a principal exemption.
        let d = p(
            r#"{"Statement":[{"Effect":"Deny","NotAction":["s3:*"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}"#,
        );
        assert!(deny_outside_eligible(&d, list()).is_none());
        // Denies only some resources.
        let d = p(
            r#"{"Statement":[{"Effect":"Deny","NotAction":["s3:*"],"Resource":"arn:aws:s3:::x"}]}"#,
        );
        assert!(deny_outside_eligible(&d, list()).is_none());
        let full = p(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#);
        assert!(!allow_only_eligible(&[full], list()));
        let wild =
            p(r#"{"Statement":[{"Effect":"Allow","Action":["s3:*","ec2*:*"],"Resource":"*"}]}"#);
        assert!(!allow_only_eligible(&[wild], list()));
        assert!(!allow_only_eligible(&[], list()));
        let ok = p(
            r#"{"Statement":[{"Effect":"Allow","Action":["s3:*","kms:Decrypt"],"Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#,
        );
        assert!(allow_only_eligible(&[ok], list()));
    }
}
