//! AWS Config rules: a recorder records every supported resource type in every scanned region.

use crate::rules::{each_region, section, Context, Outcome, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "config.recorder",
        f: recorder,
    }]
}

fn recorder(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.config, "AWS Config", "logging"));
    each_region(ctx, regions, |r| {
        let recorders = r.get(|l| &l.recorders)?;
        if recorders.is_empty() {
            return Ok(Verdict::fail(
                "no AWS Config configuration recorder exists in this region",
            ));
        }
        let mut problems = Vec::new();
        let mut first_unknown = None;
        for rec in recorders {
            let partial = if rec.all_supported {
                ""
            } else {
                " and records only selected resource types"
            };
            match rec.recording.get() {
                Ok(true) if rec.all_supported => {
                    return Ok(Verdict::pass(format!(
                        "recorder `{}` is recording every supported resource type",
                        rec.name
                    )))
                }
                Ok(true) => problems.push(format!(
                    "recorder `{}` records only selected resource types",
                    rec.name
                )),
                Ok(false) => problems.push(format!("recorder `{}` is stopped{partial}", rec.name)),
                Err(u) if rec.all_supported => {
                    first_unknown.get_or_insert(u);
                }
                Err(_) => problems.push(format!(
                    "recorder `{}` records only selected resource types",
                    rec.name
                )),
            }
        }
        if let Some(u) = first_unknown {
            return Err(u);
        }
        Ok(Verdict::fail(problems.join("; ")))
    })
}

