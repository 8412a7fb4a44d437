//! Amazon Macie rules: Macie is enabled in every region that holds PHI-tagged S3 buckets.

use crate::evidence::Unknown;
use crate::rules::{none_found, section, Context, Outcome, PhiMark, RuleFn, Verdict};
use std::collections::BTreeMap;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "macie.enabled",
        f: enabled,
    }]
}

/// Per region, how many PHI-tagged buckets it holds, and the first failed read of a bucket whose
/// tags or region are unknown (it could hold ePHI anywhere, so no region is free of it).
struct PhiRegions {
    buckets: BTreeMap<String, usize>,
    unknown: Option<Unknown>,
}

fn phi_regions(ctx: &Context<'_>) -> Result<PhiRegions, Vec<Outcome>> {
    let s3 = ctx.global(&ctx.snapshot.services.s3, "S3")?;
    let buckets = s3
        .buckets
        .get()
        .map_err(|u| vec![Outcome::error(ctx.account_resource(), PhiMark::Account, u)])?;
    let mut out = PhiRegions {
        buckets: BTreeMap::new(),
        unknown: None,
    };
    for b in buckets {
        let phi = match b.tags.get() {
            Ok(t) => ctx.scope.phi.matches(t),
            Err(u) => {
                out.unknown.get_or_insert(u);
                continue;
            }
        };
        if !phi {
            continue;
        }
        match b.region.get() {
            Ok(r) => *out.buckets.entry(r.clone()).or_insert(0) += 1,
            Err(u) => {
                out.unknown.get_or_insert(u);
            }
        }
    }
    Ok(out)
}

fn enabled(ctx: &Context<'_>) -> Vec<Outcome> {
    let macie = section!(ctx.global(&ctx.snapshot.services.macie, "Macie"));
    let phi = section!(phi_regions(ctx));
    let mut out = Vec::new();
    // A bucket whose tags or region are unknown may hold ePHI in any region: each scanned
    // region without PHI buckets is then unknown rather than not applicable.
    for region in &ctx.snapshot.regions {
        if phi.buckets.contains_key(region) {
            continue;
        }
        if let Some(u) = &phi.unknown {
            out.push(Outcome::error(
                ctx.region_resource(region),
                PhiMark::Account,
                u.clone(),
            ));
        }
    }
    for (region, n) in &phi.buckets {
        let r = match macie.get(region) {
            None => Err(ctx.snapshot.missing_region(region, "Macie")),
            Some(m) => m.session.get().map(|s| match s {
                Some(s) if s.status.eq_ignore_ascii_case("ENABLED") => {
                    Verdict::pass(format!("Macie is enabled where {n} PHI-tagged bucket(s) live"))
                }
                Some(s) => Verdict::fail(format!(
                    "Macie is {} in a region with {n} PHI-tagged bucket(s)",
                    s.status
                )),
                None => Verdict::fail(format!(
                    "Macie is not enabled in a region with {n} PHI-tagged bucket(s)"
                )),
            }),
        };
        out.push(Outcome::from_result(
            ctx.region_resource(region),
            PhiMark::Tagged,
            r,
        ));
    }
    if out.is_empty() {
        return none_found(ctx, "PHI-tagged S3 buckets");
    }
    out
}
