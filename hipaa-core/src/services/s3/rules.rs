//! S3 rules: encryption, public exposure, TLS, versioning, Object Lock, logging, replication.

use super::evidence::{Bucket, BucketEncryption, PublicAccessBlock, S3Evidence, Versioning};
use crate::aws::policy::PolicyDocument;
use crate::evidence::UnknownReason;
use crate::evidence::{Fact, Unknown};
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
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
pub(crate) fn bucket_resource(ctx: &Context<'_>, b: &Bucket) -> (Resource, PhiMark) {
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

/// The S3 section, or the outcomes that stand for its absence.
pub(crate) fn s3<'a>(ctx: &Context<'a>) -> Result<&'a S3Evidence, Vec<Outcome>> {
    ctx.global(&ctx.snapshot.services.s3, "S3")
}

/// Apply `judge` to every bucket; a failed listing is one ERROR, an empty one one NOT_APPLICABLE.
fn each_bucket(
    ctx: &Context<'_>,
    judge: impl Fn(&Bucket) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let s3 = section!(s3(ctx));
    match &s3.buckets {
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
pub(crate) fn each_phi_bucket(
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
    let s3 = section!(s3(ctx));
    let r = s3
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
    let account = &section!(s3(ctx)).account_public_access_block;
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
