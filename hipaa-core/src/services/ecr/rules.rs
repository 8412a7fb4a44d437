//! Amazon ECR rules: every repository's images are scanned for vulnerabilities when pushed (or
//! continuously), tags cannot be moved to other images, images are encrypted with KMS, and no
//! repository policy lets everyone pull.

use super::evidence::{EcrRegion, RegistryScanning, Repository};
use crate::aws::policy::PolicyDocument;
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "ecr.scan_on_push",
            f: scan_on_push,
        },
        RuleFn {
            id: "ecr.tag_immutability",
            f: tag_immutability,
        },
        RuleFn {
            id: "ecr.kms_encryption",
            f: kms_encryption,
        },
        RuleFn {
            id: "ecr.not_public",
            f: not_public,
        },
    ]
}

/// Judge every repository with its region's evidence.
fn each_repository(
    ctx: &Context<'_>,
    judge: impl Fn(&EcrRegion, &Repository) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let section = &ctx.snapshot.services.ecr;
    let regions = section!(ctx.regions(section, "ECR", "ECR"));
    each_listed(
        ctx,
        regions,
        "ECR repositories",
        |r| &r.repositories,
        |region, repo| {
            let phi = PhiMark::of(&ctx.scope.phi, &repo.tags);
            let res = Resource::regional(
                ctx,
                &repo.arn,
                &repo.name,
                "AwsEcrRepository",
                region,
                &phi,
            );
            // The repository was listed from this region's evidence, so the region is there.
            let verdict = match section.as_ref().and_then(|s| s.get(region)) {
                Some(evidence) => judge(evidence, repo),
                None => Err(Unknown::new(
                    UnknownReason::NotCollected,
                    "snapshot",
                    format!("no ECR evidence for `{region}`"),
                )),
            };
            Outcome::from_result(res, phi, verdict)
        },
    )
}

/// Whether a registry scanning filter covers a repository: `*` matches any run of characters;
/// a filter without one matches every name that contains it.
fn filter_matches(filter: &str, name: &str) -> bool {
    if filter.contains('*') {
        crate::aws::glob::star(filter, name)
    } else {
        name.contains(filter)
    }
}

/// The first rule of `frequencies` whose filters match `name`, with the matching filter.
fn matching_rule<'a>(
    scanning: &'a RegistryScanning,
    name: &str,
    frequencies: &[&str],
) -> Option<(&'a str, &'a str)> {
    scanning
        .rules
        .iter()
        .filter(|r| frequencies.contains(&r.frequency.as_str()))
        .find_map(|r| {
            r.filters
                .iter()
                .find(|f| filter_matches(f, name))
                .map(|f| (r.frequency.as_str(), f.as_str()))
        })
}

fn scan_on_push(ctx: &Context<'_>) -> Vec<Outcome> {
    each_repository(ctx, |region, repo| {
        let scanning = region.scanning.get()?;
        match scanning.scan_type.as_str() {
            "ENHANCED" => Ok(
                match matching_rule(scanning, &repo.name, &["CONTINUOUS_SCAN", "SCAN_ON_PUSH"]) {
                    Some((freq, filter)) => Verdict::pass(format!(
                        "enhanced scanning (Amazon Inspector) covers it with {freq} through the filter `{filter}`"
                    )),
                    None => Verdict::fail(
                        "the registry uses enhanced scanning but no scanning rule's filter matches this repository, so its images are not scanned at all",
                    ),
                },
            ),
            "BASIC" if scanning.rules.iter().any(|r| !r.filters.is_empty()) => Ok(
                // Registry filters decide; a repository they miss is set to manual scanning.
                match matching_rule(scanning, &repo.name, &["SCAN_ON_PUSH"]) {
                    Some((_, filter)) => Verdict::pass(format!(
                        "basic scanning scans each pushed image through the registry filter `{filter}`"
                    )),
                    None => Verdict::fail(
                        "no scan-on-push filter of the registry's basic scanning matches this repository, so its images are only scanned by hand",
                    ),
                },
            ),
            "BASIC" => Ok(if repo.scan_on_push {
                Verdict::pass("basic scanning scans each pushed image (the repository's scan-on-push setting)")
            } else {
                Verdict::fail(
                    "scan on push is off and the registry has no scanning rule: pushed images are never scanned for vulnerabilities",
                )
            }),
            other => Err(Unknown::new(
                UnknownReason::ParseError,
                "ecr:GetRegistryScanningConfiguration",
                format!("the registry has the unknown scan type `{other}`"),
            )),
        }
    })
}

fn tag_immutability(ctx: &Context<'_>) -> Vec<Outcome> {
    each_repository(ctx, |_, repo| match repo.tag_mutability.as_str() {
        "IMMUTABLE" => Ok(Verdict::pass("image tags are immutable")),
        "IMMUTABLE_WITH_EXCLUSION" => Ok(Verdict::pass(
            "image tags are immutable, except those matching the repository's exclusion filters",
        )),
        "MUTABLE" | "MUTABLE_WITH_EXCLUSION" => Ok(Verdict::fail(format!(
            "image tags are {}: a push can silently replace the image a running task or function refers to",
            repo.tag_mutability.to_lowercase().replace('_', " ")
        ))),
        other => Err(Unknown::new(
            UnknownReason::ParseError,
            "ecr:DescribeRepositories",
            format!("the repository has the unknown tag mutability `{other}`"),
        )),
    })
}

fn kms_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_repository(ctx, |_, repo| match repo.encryption_type.as_str() {
        "KMS" | "KMS_DSSE" => Ok(Verdict::pass(match &repo.kms_key {
            Some(k) => format!("images are encrypted with {} under the key `{k}`", repo.encryption_type),
            None => format!("images are encrypted with {}", repo.encryption_type),
        })),
        "AES256" => Ok(Verdict::fail(
            "images are encrypted with ECR's own AES-256 keys (SSE-S3), with no key policy of yours and no record of each use",
        )),
        other => Err(Unknown::new(
            UnknownReason::ParseError,
            "ecr:DescribeRepositories",
            format!("the repository has the unknown encryption type `{other}`"),
        )),
    })
}

fn not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_repository(ctx, |_, repo| {
        let Some(text) = repo.policy.get()? else {
            return Ok(Verdict::pass(
                "no repository policy: only the account's own IAM principals can pull",
            ));
        };
        let doc = PolicyDocument::parse(text).map_err(|e| {
            Unknown::new(
                UnknownReason::ParseError,
                "ecr:GetRepositoryPolicy",
                format!("the repository policy does not parse: {}", e.message),
            )
        })?;
        let public = doc.public_statements();
        Ok(if public.is_empty() {
            Verdict::pass("the repository policy grants nothing to everyone")
        } else {
            let labels: Vec<String> = public
                .iter()
                .map(|g| format!("{} ({})", g.statement, g.actions.join(", ")))
                .collect();
            Verdict::fail(format!(
                "the repository policy opens it to everyone: statement {}",
                labels.join("; ")
            ))
        })
    })
}

#[cfg(test)]
mod filter_tests {
    use super::filter_matches;

    /// The examples of AWS's "Filters to choose which repositories are scanned" table.
    #[test]
    fn filters_match_as_ecr_documents() {
        let names = ["prod", "repo-prod", "prod-repo", "repo-prod-repo", "prodrepo"];
        let table = [
            ("prod", [true, true, true, true, true]),
            ("*prod", [true, true, false, false, false]),
            ("prod*", [true, false, true, false, true]),
            ("*prod*", [true, true, true, true, true]),
            ("prod*repo", [false, false, true, false, true]),
        ];
        for (filter, want) in table {
            for (name, w) in names.iter().zip(want) {
                assert_eq!(filter_matches(filter, name), w, "{filter} on {name}");
            }
        }
    }
}
