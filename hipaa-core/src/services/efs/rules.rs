//! Amazon EFS rules: encryption at rest, TLS-only access and automatic backups of file systems.

use super::evidence::FileSystem;
use crate::aws::policy::PolicyDocument;
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "efs.backup_policy",
            f: backup_policy,
        },
        RuleFn {
            id: "efs.encrypted",
            f: encrypted,
        },
        RuleFn {
            id: "efs.tls_only",
            f: tls_only,
        },
    ]
}

fn each_efs<'a>(
    ctx: &Context<'a>,
    judge: impl Fn(&FileSystem) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.efs, "EFS", "EFS"));
    each_listed(
        ctx,
        regions,
        "EFS file systems",
        |r| &r.file_systems,
        |region, f| {
            let phi = PhiMark::of_known(&ctx.scope.phi, &f.tags);
            let mut res = Resource::regional(ctx, &f.arn, &f.id, "AwsEfsFileSystem", region, &phi);
            // File system ids are opaque; the Name tag is what people know them by.
            res.name = f.tags.get("Name").cloned();
            Outcome::from_result(res, phi, judge(f))
        },
    )
}

fn backup_policy(ctx: &Context<'_>) -> Vec<Outcome> {
    each_efs(ctx, |f| {
        Ok(if *f.backup_enabled.get()? {
            Verdict::pass("automatic backups are on")
        } else {
            Verdict::fail("automatic backups are off")
        })
    })
}

fn encrypted(ctx: &Context<'_>) -> Vec<Outcome> {
    each_efs(ctx, |f| {
        Ok(if f.encrypted {
            Verdict::pass("the file system is encrypted at rest")
        } else {
            Verdict::fail("the file system is not encrypted at rest")
        })
    })
}

fn tls_only(ctx: &Context<'_>) -> Vec<Outcome> {
    each_efs(ctx, |f| {
        let Some(text) = f.policy.get()? else {
            return Ok(Verdict::fail(
                "the file system has no policy, so clients may mount it without TLS",
            ));
        };
        let doc = PolicyDocument::parse(text).map_err(|e| {
            Unknown::new(
                UnknownReason::ParseError,
                "elasticfilesystem:DescribeFileSystemPolicy",
                format!("the file-system policy does not parse: {}", e.message),
            )
        })?;
        Ok(if doc.denies_insecure_transport("elasticfilesystem") {
            Verdict::pass("the file-system policy denies clients with aws:SecureTransport = false")
        } else {
            Verdict::fail(
                "the file-system policy does not deny mounting with aws:SecureTransport = false, so clients may mount it without TLS",
            )
        })
    })
}
