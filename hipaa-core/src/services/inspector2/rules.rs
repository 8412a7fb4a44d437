//! Amazon Inspector rules: each scan type is on in every scanned region.

use super::evidence::{Inspector2Region, ScanTypes};
use crate::evidence::Fact;
use crate::rules::{each_region, section, Context, Outcome, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "inspector2.ec2_scanning",
            f: ec2_scanning,
        },
        RuleFn {
            id: "inspector2.ecr_scanning",
            f: ecr_scanning,
        },
        RuleFn {
            id: "inspector2.lambda_scanning",
            f: lambda_scanning,
        },
    ]
}

/// Judge one scan type in every scanned region.
fn scanning(
    ctx: &Context<'_>,
    what: &str,
    field: impl Fn(&ScanTypes) -> &Fact<String>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(
        &ctx.snapshot.services.inspector2,
        "Amazon Inspector",
        "Amazon Inspector"
    ));
    each_region(ctx, regions, |r| {
        let account: &ScanTypes = r.get(|l: &Inspector2Region| &l.account)?;
        let state = field(account).get()?;
        Ok(if state.eq_ignore_ascii_case("ENABLED") {
            Verdict::pass(format!("Inspector {what} scanning is enabled"))
        } else {
            Verdict::fail(format!("Inspector {what} scanning is {state}"))
        })
    })
}

fn ec2_scanning(ctx: &Context<'_>) -> Vec<Outcome> {
    scanning(ctx, "EC2", |s| &s.ec2)
}

fn ecr_scanning(ctx: &Context<'_>) -> Vec<Outcome> {
    scanning(ctx, "ECR", |s| &s.ecr)
}

fn lambda_scanning(ctx: &Context<'_>) -> Vec<Outcome> {
    scanning(ctx, "Lambda", |s| &s.lambda)
}
