//! S3 rules: encryption, public exposure, TLS, versioning, Object Lock, logging, replication.

use super::{none_found, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::evidence::s3::{Bucket, BucketEncryption, PublicAccessBlock, Versioning};
use crate::evidence::UnknownReason;
use crate::evidence::{Fact, Unknown};
use crate::policy::PolicyDocument;

pub(super) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "s3.default_encryption",
            f: default_encryption,
        },
        RuleFn {
            id: "s3.default_encryption_kms",
            f: default_encryption_kms,
        },
        RuleFn {
            id: "s3.account_public_access_block",
            f: account_public_access_block,
        },
        RuleFn {
            id: "s3.bucket_public_access_block",
            f: bucket_public_access_block,
        },
        RuleFn {
            id: "s3.bucket_policy_not_public",
            f: bucket_policy_not_public,
        },
        RuleFn {
            id: "s3.bucket_acl_not_public",
            f: bucket_acl_not_public,
        },
        RuleFn {
            id: "s3.tls_only",
            f: tls_only,
        },
        RuleFn {
            id: "s3.versioning",
            f: versioning,
        },
        RuleFn {
            id: "s3.object_lock",
            f: object_lock,
        },
        RuleFn {
            id: "s3.access_logging",
            f: access_logging,
        },
        RuleFn {
            id: "s3.replication",
            f: replication,
        },
    ]
}

/// A bucket as a finding's resource, with its PHI marking (shared with the logging rules).
pub(super) fn bucket_resource(ctx: &Context<'_>, b: &Bucket) -> (Resource, PhiMark) {
    let phi = PhiMark::of(&ctx.scope.phi, &b.tags);
    let res = Resource {
        arn: b.arn.clone(),
        id: b.name.clone(),
        kind: "AwsS3Bucket".into(),
        account: ctx.account_id(),
        region: b.region.known().cloned(),
        name: None,
        phi: phi.flag(),
    };
    (res, phi)
}

/// Apply `judge` to every bucket; a failed listing is one ERROR, an empty one one NOT_APPLICABLE.
fn each_bucket(
    ctx: &Context<'_>,
    judge: impl Fn(&Bucket) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    match &ctx.snapshot.s3.buckets {
        Fact::Unknown(u) => vec![Outcome::error(
            ctx.account_resource(),
            PhiMark::Account,
            u.clone(),
        )],
        Fact::Known(list) if list.is_empty() => none_found(ctx, "S3 buckets"),
        Fact::Known(list) => list
            .iter()
            .map(|b| {
                let (res, phi) = bucket_resource(ctx, b);
                Outcome::from_result(res, phi, judge(b))
            })
            .collect(),
    }
}

/// Like [`each_bucket`], but judges only PHI-tagged buckets (others NOT_APPLICABLE, unknown tags ERROR).
pub(super) fn each_phi_bucket(
    ctx: &Context<'_>,
    judge: impl Fn(&Bucket) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    each_bucket(ctx, |b| {
        let tags = b.tags.get()?;
        if ctx.scope.phi.matches(tags) {
            judge(b)
        } else {
            Ok(Verdict::not_applicable(format!(
                "not tagged {}={}",
                ctx.scope.phi.tag_key,
                ctx.scope.phi.tag_values.join("|")
            )))
        }
    })
}

fn parse_policy(text: &str, op: &str) -> Result<PolicyDocument, Unknown> {
    PolicyDocument::parse(text)
        .map_err(|e| Unknown::new(UnknownReason::ParseError, op, e.to_string()))
}

fn default_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(ctx, |b| {
        Ok(match b.encryption.get()? {
            BucketEncryption::None => Verdict::fail("no default encryption is configured"),
            e => Verdict::pass(describe_encryption(e)),
        })
    })
}

fn describe_encryption(e: &BucketEncryption) -> String {
    match e.kms_key() {
        Some(k) => format!("default encryption is {} with key `{k}`", e.label()),
        None => format!("default encryption is {}", e.label()),
    }
}

fn default_encryption_kms(ctx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(ctx, |b| {
        Ok(match b.encryption.get()? {
            BucketEncryption::None => Verdict::fail("no default encryption is configured"),
            BucketEncryption::SseS3 => Verdict::fail(
                "default encryption is SSE-S3, not SSE-KMS: no key policy limits decryption",
            ),
            e => Verdict::pass(describe_encryption(e)),
        })
    })
}

fn account_public_access_block(ctx: &Context<'_>) -> Vec<Outcome> {
    let r = ctx
        .snapshot
        .s3
        .account_public_access_block
        .get()
        .map(|pab| match pab {
            None => Verdict::fail("account-level Block Public Access is not configured"),
            Some(p) if p.all_on() => {
                Verdict::pass("all four account-level Block Public Access settings are on")
            }
            Some(p) => Verdict::fail(format!(
                "account-level Block Public Access is off for: {}",
                p.missing().join(", ")
            )),
        });
    vec![Outcome::account(ctx, r)]
}

fn bucket_public_access_block(ctx: &Context<'_>) -> Vec<Outcome> {
    let account = &ctx.snapshot.s3.account_public_access_block;
    let account_all_on = matches!(account, Fact::Known(Some(p)) if p.all_on());
    each_bucket(ctx, |b| {
        if account_all_on {
            return Ok(Verdict::pass(
                "covered by account-level Block Public Access (all four settings on)",
            ));
        }
        let bucket = b.public_access_block.get()?;
        if bucket.as_ref().is_some_and(PublicAccessBlock::all_on) {
            return Ok(Verdict::pass(
                "all four bucket-level Block Public Access settings are on",
            ));
        }
        // The account setting could still cover the bucket: we must know it is not all-on.
        account.get()?;
        Ok(match bucket {
            None => {
                Verdict::fail("Block Public Access is not configured on the bucket or the account")
            }
            Some(p) => Verdict::fail(format!(
                "Block Public Access is off for: {}",
                p.missing().join(", ")
            )),
        })
    })
}

fn bucket_policy_not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(ctx, |b| {
        let Some(text) = b.policy.get()? else {
            return Ok(Verdict::pass("the bucket has no policy"));
        };
        let doc = parse_policy(text, "s3:GetBucketPolicy")?;
        let public = doc.public_statements();
        Ok(if public.is_empty() {
            Verdict::pass("no policy statement grants access to an unrestricted principal")
        } else {
            let what: Vec<String> = public
                .iter()
                .map(|g| format!("{} ({})", g.statement, g.actions.join(", ")))
                .collect();
            Verdict::fail(format!(
                "the bucket policy grants public access in statement {}",
                what.join("; ")
            ))
        })
    })
}

fn bucket_acl_not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(ctx, |b| {
        let public: Vec<String> = b
            .acl
            .get()?
            .iter()
            .filter(|g| g.is_public())
            .map(|g| {
                format!(
                    "{} to {}",
                    g.permission,
                    g.uri
                        .as_deref()
                        .and_then(|u| u.rsplit('/').next())
                        .unwrap_or("?")
                )
            })
            .collect();
        Ok(if public.is_empty() {
            Verdict::pass("the ACL grants nothing to AllUsers or AuthenticatedUsers")
        } else {
            Verdict::fail(format!("the ACL grants {}", public.join(", ")))
        })
    })
}

fn tls_only(ctx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(ctx, |b| {
        let Some(text) = b.policy.get()? else {
            return Ok(Verdict::fail(
                "the bucket has no policy, so requests over plain HTTP are allowed",
            ));
        };
        let doc = parse_policy(text, "s3:GetBucketPolicy")?;
        Ok(if doc.denies_insecure_transport("s3") {
            Verdict::pass("the bucket policy denies requests with aws:SecureTransport = false")
        } else {
            Verdict::fail(
                "the bucket policy does not deny requests with aws:SecureTransport = false",
            )
        })
    })
}

fn versioning(ctx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(ctx, |b| {
        Ok(match b.versioning.get()? {
            Versioning::Enabled => Verdict::pass("versioning is enabled"),
            Versioning::Suspended => Verdict::fail("versioning is suspended"),
            Versioning::NeverEnabled => Verdict::fail("versioning has never been enabled"),
        })
    })
}

fn object_lock(ctx: &Context<'_>) -> Vec<Outcome> {
    each_phi_bucket(ctx, |b| {
        Ok(if *b.object_lock.get()? {
            Verdict::pass("Object Lock is enabled")
        } else {
            Verdict::fail("Object Lock is not enabled on a bucket holding PHI")
        })
    })
}

fn access_logging(ctx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(ctx, |b| {
        Ok(match b.logging.get()? {
            Some(t) => Verdict::pass(format!(
                "server access logs go to `{}` (prefix `{}`)",
                t.bucket, t.prefix
            )),
            None => Verdict::fail("server access logging is off"),
        })
    })
}

fn replication(ctx: &Context<'_>) -> Vec<Outcome> {
    each_phi_bucket(ctx, |b| {
        let r = b.replication.get()?;
        let enabled: Vec<&str> = r
            .iter()
            .flat_map(|r| r.rules.iter())
            .filter(|r| r.enabled)
            .map(|r| r.destination.as_str())
            .collect();
        Ok(if enabled.is_empty() {
            Verdict::fail("no enabled replication rule copies this PHI bucket elsewhere")
        } else {
            Verdict::pass(format!("replicates to {}", enabled.join(", ")))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::evidence::s3::*;
    use crate::evidence::Fact;
    use crate::vocabulary::Status::*;

    const DENY_HTTP: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
    const PUBLIC_READ: &str = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;

    #[test]
    fn default_encryption() {
        let mut b = bucket("b");
        assert_eq!(run_bucket("s3.default_encryption", &b), Pass);
        b.encryption = Fact::Known(BucketEncryption::None);
        assert_eq!(run_bucket("s3.default_encryption", &b), Fail);
        b.encryption = denied("s3:GetBucketEncryption");
        assert_eq!(run_bucket("s3.default_encryption", &b), Error);
    }

    #[test]
    fn default_encryption_kms() {
        let mut b = bucket("b");
        assert_eq!(run_bucket("s3.default_encryption_kms", &b), Pass);
        b.encryption = Fact::Known(BucketEncryption::SseS3);
        assert_eq!(run_bucket("s3.default_encryption_kms", &b), Fail);
        b.encryption = denied("s3:GetBucketEncryption");
        assert_eq!(run_bucket("s3.default_encryption_kms", &b), Error);
    }

    #[test]
    fn account_public_access_block() {
        let mut s = snapshot_with(vec![]);
        assert_eq!(statuses(&s, "s3.account_public_access_block"), vec![Pass]);
        s.s3.account_public_access_block = Fact::Known(None);
        assert_eq!(statuses(&s, "s3.account_public_access_block"), vec![Fail]);
        s.s3.account_public_access_block = Fact::Known(Some(PublicAccessBlock {
            block_public_policy: false,
            ..all_on()
        }));
        assert_eq!(statuses(&s, "s3.account_public_access_block"), vec![Fail]);
        s.s3.account_public_access_block = denied("s3control:GetPublicAccessBlock");
        assert_eq!(statuses(&s, "s3.account_public_access_block"), vec![Error]);
    }

    #[test]
    fn bucket_public_access_block() {
        let mut b = bucket("b");
        b.public_access_block = Fact::Known(None);
        let mut s = snapshot_with(vec![b.clone()]);
        // account-level on covers the bucket
        assert_eq!(statuses(&s, "s3.bucket_public_access_block"), vec![Pass]);
        s.s3.account_public_access_block = Fact::Known(None);
        assert_eq!(statuses(&s, "s3.bucket_public_access_block"), vec![Fail]);
        // account unknown and bucket not on: cannot tell
        s.s3.account_public_access_block = denied("s3control:GetPublicAccessBlock");
        assert_eq!(statuses(&s, "s3.bucket_public_access_block"), vec![Error]);
        // bucket on: account does not matter
        b.public_access_block = Fact::Known(Some(all_on()));
        s.s3.buckets = Fact::Known(vec![b.clone()]);
        assert_eq!(statuses(&s, "s3.bucket_public_access_block"), vec![Pass]);
        b.public_access_block = denied("s3:GetPublicAccessBlock");
        s.s3.buckets = Fact::Known(vec![b]);
        assert_eq!(statuses(&s, "s3.bucket_public_access_block"), vec![Error]);
    }

    #[test]
    fn bucket_policy_not_public() {
        let mut b = bucket("b");
        assert_eq!(run_bucket("s3.bucket_policy_not_public", &b), Pass);
        b.policy = Fact::Known(Some(PUBLIC_READ.into()));
        assert_eq!(run_bucket("s3.bucket_policy_not_public", &b), Fail);
        b.policy = Fact::Known(Some("{not json".into()));
        assert_eq!(run_bucket("s3.bucket_policy_not_public", &b), Error);
        b.policy = denied("s3:GetBucketPolicy");
        assert_eq!(run_bucket("s3.bucket_policy_not_public", &b), Error);
    }

    #[test]
    fn bucket_acl_not_public() {
        let mut b = bucket("b");
        assert_eq!(run_bucket("s3.bucket_acl_not_public", &b), Pass);
        b.acl = Fact::Known(vec![AclGrant {
            grantee_type: "Group".into(),
            uri: Some("http://acs.amazonaws.com/groups/global/AllUsers".into()),
            id: None,
            permission: "READ".into(),
        }]);
        assert_eq!(run_bucket("s3.bucket_acl_not_public", &b), Fail);
        b.acl = denied("s3:GetBucketAcl");
        assert_eq!(run_bucket("s3.bucket_acl_not_public", &b), Error);
    }

    #[test]
    fn tls_only() {
        let mut b = bucket("b");
        assert_eq!(run_bucket("s3.tls_only", &b), Pass);
        b.policy = Fact::Known(None);
        assert_eq!(run_bucket("s3.tls_only", &b), Fail);
        b.policy = Fact::Known(Some(PUBLIC_READ.into()));
        assert_eq!(run_bucket("s3.tls_only", &b), Fail);
        b.policy = denied("s3:GetBucketPolicy");
        assert_eq!(run_bucket("s3.tls_only", &b), Error);
        b.policy = Fact::Known(Some(DENY_HTTP.into()));
        assert_eq!(run_bucket("s3.tls_only", &b), Pass);
    }

    #[test]
    fn versioning() {
        let mut b = bucket("b");
        assert_eq!(run_bucket("s3.versioning", &b), Pass);
        b.versioning = Fact::Known(Versioning::Suspended);
        assert_eq!(run_bucket("s3.versioning", &b), Fail);
        b.versioning = Fact::Known(Versioning::NeverEnabled);
        assert_eq!(run_bucket("s3.versioning", &b), Fail);
        b.versioning = denied("s3:GetBucketVersioning");
        assert_eq!(run_bucket("s3.versioning", &b), Error);
    }

    #[test]
    fn object_lock_applies_to_phi_buckets_only() {
        let mut b = bucket("b");
        assert_eq!(run_bucket("s3.object_lock", &b), Pass);
        b.object_lock = Fact::Known(false);
        assert_eq!(run_bucket("s3.object_lock", &b), Fail);
        b.object_lock = denied("s3:GetObjectLockConfiguration");
        assert_eq!(run_bucket("s3.object_lock", &b), Error);
        b.tags = Fact::Known(Default::default());
        assert_eq!(run_bucket("s3.object_lock", &b), NotApplicable);
        b.tags = denied("s3:GetBucketTagging");
        assert_eq!(run_bucket("s3.object_lock", &b), Error);
    }

    #[test]
    fn access_logging() {
        let mut b = bucket("b");
        assert_eq!(run_bucket("s3.access_logging", &b), Pass);
        b.logging = Fact::Known(None);
        assert_eq!(run_bucket("s3.access_logging", &b), Fail);
        b.logging = denied("s3:GetBucketLogging");
        assert_eq!(run_bucket("s3.access_logging", &b), Error);
    }

    #[test]
    fn replication() {
        let mut b = bucket("b");
        assert_eq!(run_bucket("s3.replication", &b), Pass);
        b.replication = Fact::Known(Some(Replication {
            rules: vec![ReplicationRule {
                id: None,
                enabled: false,
                destination: "arn:aws:s3:::x".into(),
            }],
        }));
        assert_eq!(run_bucket("s3.replication", &b), Fail);
        b.replication = Fact::Known(None);
        assert_eq!(run_bucket("s3.replication", &b), Fail);
        b.replication = denied("s3:GetBucketReplication");
        assert_eq!(run_bucket("s3.replication", &b), Error);
    }

    #[test]
    fn listing_failure_is_error_and_empty_listing_is_not_applicable() {
        let mut s = snapshot_with(vec![]);
        assert_eq!(statuses(&s, "s3.default_encryption"), vec![NotApplicable]);
        s.s3.buckets = denied("s3:ListBuckets");
        for id in [
            "s3.default_encryption",
            "s3.versioning",
            "s3.tls_only",
            "s3.object_lock",
        ] {
            assert_eq!(statuses(&s, id), vec![Error], "{id}");
        }
    }
}
