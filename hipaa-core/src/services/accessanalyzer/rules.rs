//! IAM Access Analyzer rules: an active account or organization analyzer in every scanned region.

use crate::rules::{each_region, section, Context, Outcome, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "accessanalyzer.enabled",
        f: enabled,
    }]
}

fn enabled(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(ctx.regions(
        &ctx.snapshot.services.accessanalyzer,
        "IAM Access Analyzer",
        "IAM Access Analyzer"
    ));
    each_region(ctx, regions, |r| {
        let analyzers = r.get(|l| &l.analyzers)?;
        let external: Vec<_> = analyzers.iter().filter(|a| a.finds_external_access()).collect();
        if let Some(a) = external
            .iter()
            .find(|a| a.status.eq_ignore_ascii_case("ACTIVE"))
        {
            return Ok(Verdict::pass(format!(
                "{} analyzer `{}` is active",
                a.kind.to_ascii_lowercase(),
                a.name
            )));
        }
        Ok(if external.is_empty() {
            Verdict::fail("no account or organization analyzer in this region")
        } else {
            let states: Vec<String> = external
                .iter()
                .map(|a| format!("`{}` is {}", a.name, a.status))
                .collect();
            Verdict::fail(format!("no active external-access analyzer: {}", states.join(", ")))
        })
    })
}
