//! Amazon ECS rules, over the latest ACTIVE revision of each task definition family: no
//! container runs privileged, every root file system is read-only, every container sends its
//! logs somewhere, and no environment variable holds a credential in plain text.

use super::evidence::{Container, TaskDefinition};
use crate::aws::secret_names::plaintext_secrets;
use crate::evidence::Unknown;
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "ecs.no_env_secrets",
            f: no_env_secrets,
        },
        RuleFn {
            id: "ecs.no_privileged",
            f: no_privileged,
        },
        RuleFn {
            id: "ecs.readonly_root_fs",
            f: readonly_root_fs,
        },
        RuleFn {
            id: "ecs.logging",
            f: logging,
        },
    ]
}

/// Judge the containers of every task definition.
fn each_task_definition(
    ctx: &Context<'_>,
    judge: impl Fn(&[Container]) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.ecs, "ECS", "ECS"));
    each_listed(
        ctx,
        regions,
        "ECS task definitions",
        |r| &r.task_definitions,
        |region, td: &TaskDefinition| {
            let phi = PhiMark::of(&ctx.scope.phi, &td.tags);
            let id = format!("{}:{}", td.family, td.revision);
            let res = Resource::regional(ctx, &td.arn, &id, "AwsEcsTaskDefinition", region, &phi);
            Outcome::from_result(res, phi, td.containers.get().and_then(|c| judge(c.as_slice())))
        },
    )
}

/// `` `a`, `b` `` for the names of the containers that match.
fn names<'a>(containers: impl Iterator<Item = &'a Container>) -> Vec<&'a str> {
    containers.map(|c| c.name.as_str()).collect()
}

fn no_env_secrets(ctx: &Context<'_>) -> Vec<Outcome> {
    each_task_definition(ctx, |containers| {
        let mut found = Vec::new();
        for c in containers {
            for name in plaintext_secrets(&c.environment)? {
                found.push(format!("{}/{name}", c.name));
            }
        }
        Ok(if found.is_empty() {
            Verdict::pass(
                "no container environment variable is named like a credential (credentials come from `secrets`, or there are none)",
            )
        } else {
            Verdict::fail(format!(
                "environment variables named like credentials hold values of their own: `{}` (values not read by the scanner); use the container's `secrets` with Secrets Manager or Parameter Store",
                found.join("`, `")
            ))
        })
    })
}

fn no_privileged(ctx: &Context<'_>) -> Vec<Outcome> {
    each_task_definition(ctx, |containers| {
        let privileged = names(containers.iter().filter(|c| c.privileged == Some(true)));
        Ok(if privileged.is_empty() {
            Verdict::pass(format!(
                "none of its {} containers runs privileged",
                containers.len()
            ))
        } else {
            Verdict::fail(format!(
                "`{}` runs privileged: root on the container instance, with every device of the host",
                privileged.join("`, `")
            ))
        })
    })
}

fn readonly_root_fs(ctx: &Context<'_>) -> Vec<Outcome> {
    each_task_definition(ctx, |containers| {
        let writable = names(
            containers
                .iter()
                .filter(|c| c.readonly_root_filesystem != Some(true)),
        );
        Ok(if writable.is_empty() {
            Verdict::pass(format!(
                "all {} containers have a read-only root file system",
                containers.len()
            ))
        } else {
            Verdict::fail(format!(
                "`{}` can write to its root file system: an intruder can change the code it runs",
                writable.join("`, `")
            ))
        })
    })
}

fn logging(ctx: &Context<'_>) -> Vec<Outcome> {
    each_task_definition(ctx, |containers| {
        let silent = names(containers.iter().filter(|c| c.log_driver.is_none()));
        Ok(if silent.is_empty() {
            let mut drivers: Vec<&str> = containers
                .iter()
                .filter_map(|c| c.log_driver.as_deref())
                .collect();
            drivers.sort_unstable();
            drivers.dedup();
            Verdict::pass(format!(
                "every container has a log configuration ({})",
                drivers.join(", ")
            ))
        } else {
            Verdict::fail(format!(
                "`{}` has no log configuration: its output is lost when the task stops",
                silent.join("`, `")
            ))
        })
    })
}
